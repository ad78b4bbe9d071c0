import Crypto
import Foundation
import MatchEngine
import MediaStore
import Testing

@Suite struct ContentHasherTests {
    @Test func digestEqualsSHA256OfTheBytes() throws {
        let path = StoreFixture.fixtures + "/speech-16k.wav"
        let expected = Array(SHA256.hash(data: FileManager.default.contents(atPath: path)!))
        #expect(try ContentHasher.sha256(ofFileAt: path).bytes == expected)
    }

    @Test func largeFilesStreamAcrossChunks() throws {
        let store = try StoreFixture()
        let path = store.outside + "/big.bin"
        let data = Data((0..<(3 * 65_536 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        #expect(try ContentHasher.sha256(ofFileAt: path).bytes == Array(SHA256.hash(data: data)))
        let empty = store.outside + "/empty.bin"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(try ContentHasher.sha256(ofFileAt: empty).bytes == Array(SHA256.hash(data: Data())))
    }

    @Test func fillHashesOnlyTheChosenFiles() throws {
        let store = try StoreFixture()
        var files = try MediaStoreScanner(root: store.root, options: ScanOptions(cache: .disabled)).scan().files
        // Names that are not UTF-8 cannot be reopened from their (lossy) path; they are left out here.
        let chosen = files.indices.filter { $0 % 2 == 0 && !files[$0].path.contains("\u{FFFD}") }
        let failures = ContentHasher.fillSHA256(files: &files, indices: chosen, root: store.root)
        #expect(failures == 0)
        for index in files.indices {
            #expect((files[index].sha256 != nil) == chosen.contains(index), "\(files[index].path)")
        }
        let opus = try #require(files.first { $0.path.hasSuffix("msg_81585468_20250811_110317.ogg") })
        if let digest = opus.sha256 {
            #expect(digest.bytes == Array(SHA256.hash(data: StoreFixture.fixture("opus-16k.opus"))))
        }
    }

    @Test func unreadableFilesAreTypedErrors() {
        #expect(throws: MediaStoreError.unreadable(path: "/nonexistent", errno: ENOENT)) {
            try ContentHasher.sha256(ofFileAt: "/nonexistent")
        }
    }
}
