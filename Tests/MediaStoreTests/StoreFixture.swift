import Foundation
import Glibc

/// A media store built in a scratch folder from the AudioProbe fixtures, with the clutter real
/// stores have: other media, sidecars, leftovers, links, odd names, damaged files.
final class StoreFixture {
    let root: String
    let outside: String

    /// The audio fixtures, read from the AudioProbeTests bundle's source folder.
    static let fixtures: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.deletingLastPathComponent().appendingPathComponent("AudioProbeTests/Fixtures").path
    }()

    static func fixture(_ name: String) -> Data { FileManager.default.contents(atPath: fixtures + "/" + name)! }

    init() throws {
        let base = NSTemporaryDirectory() + "mediastore-" + UUID().uuidString
        root = base + "/media"
        outside = base + "/outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let ana = root + "/Ana_Souza/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344"
        let bia = root + "/Bia/instance_Q1/chats/120363025246125486"
        try fm.createDirectory(atPath: ana + "/audio", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: ana + "/image", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: bia, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/Bia/instance_Q2/chats/5511", withIntermediateDirectories: true)
        let opus = Self.fixture("opus-16k.opus")
        write(ana + "/audio/msg_81585468_20250811_110317.ogg", opus)
        write(ana + "/audio/msg_81585468_20250811_110321.ogg", opus)  // downloaded twice
        write(ana + "/audio/wapi_3EB0C767D0D1E2F3A4B5_20250811_110317.mp3", Self.fixture("mp3-vbr-xing-16k.mp3"))
        write(ana + "/audio/msg_AAAABBBB_20250811_120000.mp3", opus)  // Ogg Opus saved as .mp3
        write(ana + "/audio/msg_EEEEEEEE_20250811_120000.ogg", Data())  // empty
        write(ana + "/audio/msg_CCCCDDDD_20250811_120000.ogg", Data(repeating: 0x5A, count: 3000))  // not audio
        write(ana + "/audio/msg_TTTTTTTT_20250811_120000.ogg", opus.prefix(opus.count - 100))  // cut short
        write(ana + "/audio/msg_81585468_20250811_110317.ogg.part", opus)
        write(ana + "/audio/temp_123.ogg", opus)
        write(ana + "/audio/msg_81585468_20250811_110317.json", Data("{}".utf8))
        write(ana + "/image/msg_11111111_20250811_110317.jpg", Data([0xFF, 0xD8, 0xFF]))
        write(ana + "/Voice note from Ana.m4a", Self.fixture("m4a-aac-16k.m4a"))  // older layout, other name
        write(bia + "/msg_22222222_20240101_000000.opus", Self.fixture("opus-48k-stereo.opus"))
        write(bia + "/msg_33333333_20240101_000000.wav", Self.fixture("speech-16k.wav"))
        write(root + "/Bia/instance_Q2/chats/5511/msg_44444444_20240101_000000.ogg", Self.fixture("vorbis-16k.ogg"))
        write(root + "/stray.ogg", opus)  // not in the layout
        write(outside + "/secret.ogg", opus)
        // Links: out of the root (refused), to a file inside (followed), to a folder (not walked).
        try fm.createSymbolicLink(
            atPath: bia + "/msg_55555555_20240101_000000.ogg", withDestinationPath: outside + "/secret.ogg")
        try fm.createSymbolicLink(
            atPath: bia + "/msg_66666666_20240101_000000.ogg",
            withDestinationPath: ana + "/audio/msg_81585468_20250811_110317.ogg")
        try fm.createSymbolicLink(atPath: bia + "/linked", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: bia + "/audio", withDestinationPath: ana + "/audio")
        // A name that is not UTF-8.
        let odd = bia + "/msg_77777777_20240101_000000_"
        var bytes = Array(odd.utf8) + [0xC3, 0x28, 0xFF] + Array(".ogg".utf8) + [0]
        let fd = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        opus.withUnsafeBytes { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    deinit { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }

    func write(_ path: String, _ data: Data) {
        precondition(FileManager.default.createFile(atPath: path, contents: data), "cannot write the test file")
    }
}
