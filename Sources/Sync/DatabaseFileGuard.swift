import Foundation
import MediaStore
import MessageStore

/// A file audiosync would write — the probe cache, a profile — that is the CRM's database itself
/// (by path, through a link, or spelt another way). Writing it would put audiosync's tables in the
/// CRM's database, or overwrite it; even a dry run writes its probe cache.
public struct OutputIsTheDatabase: Error, Sendable, CustomStringConvertible {
    /// What the file is for (`--probe-cache`, `--out`).
    public var role: String
    public var path: String
    public var database: String

    public var description: String {
        "\(role) \(path) is the database \(database): give a file of its own (nothing was written)"
    }
}

extension DatabaseLocation {
    /// Refuses `path` as a file to write when it is the SQLite database or one of SQLite's files
    /// beside it (`-journal`, `-wal`, `-shm`), compared by device and inode.
    /// - Throws: ``OutputIsTheDatabase``.
    public func refuseWriting(_ path: String, as role: String) throws {
        guard !database.hasPrefix("postgres://"), !database.hasPrefix("postgresql://"),
            let file = try? sqlitePath(database)
        else { return }
        for file in [file, file + "-journal", file + "-wal", file + "-shm"]
        where Self.isSameFile(path, file) {
            throw OutputIsTheDatabase(role: role, path: path, database: redactedDatabaseLocation(database))
        }
    }

    /// Refuses the probe cache of `media` when it is the database.
    public func refuseProbeCache(of media: MediaLocation) throws {
        if case .file(let path) = media.probeCache { try refuseWriting(path, as: "the probe cache") }
    }

    /// Whether both paths name one existing file (links followed).
    static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
