import Foundation
import MediaStore
import Testing

/// `FolderWatch` (inotify on Linux) and the polling fallback, on a real folder tree. Each wait is
/// for an event to arrive; the bound on the number of waits only ends a failing test.
@Suite struct FolderWatchTests {
    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "audiosync-watch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/client", withIntermediateDirectories: true)
        return folder
    }

    /// Events until `done` says enough, or a bounded number of empty waits.
    static func events(from watch: FolderWatch, until done: ([FolderEvent]) -> Bool) throws -> [FolderEvent] {
        var seen: [FolderEvent] = []
        for _ in 0..<100 where !done(seen) {
            seen += try watch.next(timeout: .milliseconds(200))
        }
        return seen
    }

    @Test("A file in a new folder is seen; written in pieces, it is being written until it is closed")
    func newFoldersAndFilesWrittenInPieces() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let watch = try FolderWatch(root: root)
        try FileManager.default.createDirectory(
            atPath: root + "/client/chats/55/audio", withIntermediateDirectories: true)
        // The folders' events are queued by now: one read takes them, and watches the new folders.
        // (A file already in a folder when its watch is added is reported complete: nothing tells
        // whether it is still open; its next write says so.)
        #expect(try watch.next(timeout: .milliseconds(200)).isEmpty)
        let file = root + "/client/chats/55/audio/msg_1.ogg"
        let descriptor = open(file, O_WRONLY | O_CREAT, 0o644)
        #expect(descriptor >= 0)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: Data(repeating: 1, count: 1000))
        let whileOpen = try Self.events(from: watch) {
            $0.contains(.writing(path: file)) || $0.contains(.written(path: file))
        }
        #if os(Linux)
            #expect(whileOpen.contains(.writing(path: file)), "\(whileOpen)")
            #expect(!whileOpen.contains(.written(path: file)), "open, so not complete: \(whileOpen)")
        #endif
        try handle.write(contentsOf: Data(repeating: 2, count: 1000))
        try handle.close()
        let closed = try Self.events(from: watch) { $0.contains(.written(path: file)) }
        #expect(closed.contains(.written(path: file)), "\(closed)")
    }

    @Test("A folder moved out of the tree is no longer watched; moved within it, files come under the new path")
    func movedFolders() throws {
        let root = try Self.temporaryFolder()
        let outside = try Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        for name in ["old", "leaving"] {
            try FileManager.default.createDirectory(atPath: root + "/client/" + name, withIntermediateDirectories: true)
        }
        let watch = try FolderWatch(root: root)
        try FileManager.default.moveItem(atPath: root + "/client/old", toPath: root + "/client/new")
        try FileManager.default.moveItem(atPath: root + "/client/leaving", toPath: outside + "/gone")
        #expect(try watch.next(timeout: .milliseconds(200)).isEmpty)
        try Data([1]).write(to: URL(fileURLWithPath: outside + "/gone/msg_0.ogg"))
        let file = root + "/client/new/msg_2.ogg"
        try Data(repeating: 3, count: 100).write(to: URL(fileURLWithPath: file))
        let seen = try Self.events(from: watch) { $0.contains(.written(path: file)) }
        #expect(seen.contains(.written(path: file)), "\(seen)")
        let paths = seen.compactMap { event -> String? in
            switch event {
            case .writing(let path), .written(let path), .removed(let path): path
            case .overflow: nil
            }
        }
        #expect(!paths.contains { $0.contains("/old/") || $0.contains("/leaving/") }, "\(seen)")
    }

    @Test("The polling fallback sees files added and removed, in new folders too")
    func poller() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data().write(to: URL(fileURLWithPath: root + "/client/before.ogg"))
        var poller = FolderPoller(root: root)
        #expect(poller.changes().isEmpty)
        try FileManager.default.createDirectory(atPath: root + "/client/chats", withIntermediateDirectories: true)
        try Data([1]).write(to: URL(fileURLWithPath: root + "/client/chats/new.ogg"))
        try FileManager.default.removeItem(atPath: root + "/client/before.ogg")
        let changes = Set(poller.changes())
        #expect(changes.contains(.written(path: root + "/client/chats/new.ogg")), "\(changes)")
        #expect(changes.contains(.removed(path: root + "/client/before.ogg")), "\(changes)")
        #expect(poller.changes().isEmpty)
    }
}
