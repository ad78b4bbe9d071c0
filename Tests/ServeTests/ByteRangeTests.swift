import Foundation
import Testing

@testable import Serve

/// The Range header read against a file's size (RFC 9110 §14.1.2), before FileMiddleware sees it.
struct ByteRangeTests {
    @Test(
        "Single, open-ended and suffix ranges become one FIRST-LAST inside the file",
        arguments: [
            ("bytes=0-99", 1000, ByteRange.single(first: 0, last: 99)),
            ("bytes=10-10", 1000, .single(first: 10, last: 10)),
            ("bytes=500-", 1000, .single(first: 500, last: 999)),
            ("bytes=990-5000", 1000, .single(first: 990, last: 999)),
            ("bytes=-100", 1000, .single(first: 900, last: 999)),
            ("bytes=-5000", 1000, .single(first: 0, last: 999)),
            ("BYTES = 1-2", 1000, .single(first: 1, last: 2)),
            ("bytes=0-99999999999999999999999", 1000, .single(first: 0, last: 999)),
            ("bytes=-99999999999999999999999", 1000, .single(first: 0, last: 999)),
        ] as [(String, Int64, ByteRange)])
    func satisfiable(header: String, size: Int64, expected: ByteRange) {
        #expect(ByteRange(header: header, size: size) == expected)
    }

    @Test(
        "Past the end, an empty suffix, or any range of an empty file: unsatisfiable",
        arguments: [
            ("bytes=1000-", 1000), ("bytes=1000-2000", 1000), ("bytes=-0", 1000), ("bytes=0-", 0), ("bytes=-5", 0),
            ("bytes=99999999999999999999999-", 1000),
        ] as [(String, Int64)])
    func unsatisfiable(header: String, size: Int64) {
        #expect(ByteRange(header: header, size: size) == .unsatisfiable)
    }

    @Test(
        "Several ranges, another unit, or a malformed header: ignored (the whole file is sent)",
        arguments: ["bytes=0-1,4-5", "items=0-1", "bytes=5-2", "bytes=-", "bytes=a-b", "bytes 0-1", "bytes=1-2-3", ""])
    func ignored(header: String) {
        #expect(ByteRange(header: header, size: 1000) == .ignore)
    }
}

/// Stored paths resolved inside the media root, as the scan resolves them.
struct MediaRootTests {
    @Test("Plain paths resolve; .., absolute tricks, links out and folders do not")
    func resolves() throws {
        let folder = NSTemporaryDirectory() + "audiosync-root-\(UUID().uuidString)"
        let root = folder + "/media"
        let fm = FileManager.default
        defer { try? fm.removeItem(atPath: folder) }
        try fm.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/a/b/note.ogg"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: folder + "/secret.txt"))
        try fm.createSymbolicLink(atPath: root + "/a/in.ogg", withDestinationPath: root + "/a/b/note.ogg")
        try fm.createSymbolicLink(atPath: root + "/a/out.txt", withDestinationPath: folder + "/secret.txt")
        try fm.createSymbolicLink(atPath: root + "/linked", withDestinationPath: folder)
        let media = try MediaRoot(path: root)

        let plain = try media.resolve("a/b/note.ogg").get()
        #expect(plain.relativePath == "a/b/note.ogg" && plain.size == 1)
        #expect(try media.resolve("./a/b/note.ogg").get() == plain)
        #expect(try media.resolve("/a/b/note.ogg").get() == plain)
        #expect(try media.resolve("a\\b\\note.ogg").get() == plain)
        #expect(
            try media.resolve("a/in.ogg").get().relativePath == "a/b/note.ogg", "a link inside the root is followed")

        #expect(media.resolve("a/../../secret.txt") == .failure(.unsafePath))
        #expect(media.resolve("a/./b/note.ogg") == .failure(.unsafePath))
        #expect(media.resolve("a//b/note.ogg") == .failure(.unsafePath))
        #expect(media.resolve("") == .failure(.unsafePath))
        for unsafe in ["a/..", "..", "a/b/.", "a\\..\\..\\secret.txt", "a/b/note.ogg/", "a/b\u{0}/note.ogg"] {
            #expect(media.resolve(unsafe) == .failure(.unsafePath), "\(unsafe)")
        }
        try fm.createDirectory(atPath: root + "/...", withIntermediateDirectories: true)
        #expect(fm.createFile(atPath: root + "/.../.n.ogg", contents: Data("x".utf8)))
        #expect(
            try media.resolve(".../.n.ogg").get().relativePath == ".../.n.ogg", "dots that are not . or .. are names")
        #expect(media.resolve("a/out.txt") == .failure(.outsideRoot))
        #expect(media.resolve("linked/secret.txt") == .failure(.outsideRoot))
        #expect(media.resolve("a/b") == .failure(.notAFile))
        #expect(media.resolve("a/b/gone.ogg") == .failure(.missing))
        #expect(throws: ServeError.self) { try MediaRoot(path: folder + "/nowhere") }
    }
}
