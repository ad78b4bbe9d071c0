import Crypto
import Foundation
internal import GRDB
public import MatchEngine

/// A SQLite file that remembers each file's probe, keyed by (relative path, size, mtime in ns),
/// so that a second scan of an unchanged store reads no audio bytes.
///
/// A row answers only while the file's size and mtime are what they were and the probe's
/// version is current; any change sends the file to the probe again.
public final class ProbeCache: Sendable {
    /// Bumped whenever the probe would answer differently for the same bytes.
    static let probeVersion = 1

    /// One remembered probe.
    public struct Entry: Sendable, Hashable, Codable {
        public var path: String
        public var size: Int64
        public var mtimeNanoseconds: Int64
        public var format: AudioFormat
        public var duration: Double?
        public var durationIsEstimate: Bool
        public var problem: FileProblem?

        public init(
            path: String, size: Int64, mtimeNanoseconds: Int64, format: AudioFormat, duration: Double?,
            durationIsEstimate: Bool, problem: FileProblem?
        ) {
            self.path = path
            self.size = size
            self.mtimeNanoseconds = mtimeNanoseconds
            self.format = format
            self.duration = duration
            self.durationIsEstimate = durationIsEstimate
            self.problem = problem
        }
    }

    /// The file this cache lives in.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (or creates) the cache at `path`, creating its folder.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE probe (
                      path TEXT PRIMARY KEY NOT NULL,
                      size INTEGER NOT NULL CHECK (size >= 0),
                      mtime_ns INTEGER NOT NULL,
                      format TEXT NOT NULL,
                      duration REAL CHECK (duration IS NULL OR duration >= 0),
                      duration_is_estimate INTEGER NOT NULL CHECK (duration_is_estimate IN (0, 1)),
                      problem TEXT,
                      probe_version INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)
        }
        try migrator.migrate(queue)
    }

    /// The cache file for a media root: `probe-<16 hex of SHA-256 of the root's real path>.sqlite`
    /// under `$XDG_CACHE_HOME/audiosync` (or `~/.cache/audiosync`).
    public static func standardPath(forMediaRoot root: String, environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let real = URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path
        let digest = SHA256.hash(data: Data(real.utf8))
        let hex = digest.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        }
        return base + "/audiosync/probe-\(hex).sqlite"
    }

    /// Every entry that is still valid for this probe version, by path.
    public func entries() throws -> [String: Entry] {
        try queue.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT path, size, mtime_ns, format, duration, duration_is_estimate, problem
                    FROM probe WHERE probe_version = ?
                    """,
                arguments: [Self.probeVersion])
            var result: [String: Entry] = [:]
            while let row = try rows.next() {
                let path: String = row[0]
                let format = AudioFormat(rawValue: row[3]) ?? .unknown
                let problem: String? = row[6]
                result[path] = Entry(
                    path: path, size: row[1], mtimeNanoseconds: row[2], format: format, duration: row[4],
                    durationIsEstimate: row[5], problem: problem.flatMap(FileProblem.init(rawValue:)))
            }
            return result
        }
    }

    /// Stores entries (replacing those with the same path) in one transaction.
    public func store(_ entries: some Collection<Entry>) throws {
        guard !entries.isEmpty else { return }
        try queue.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO probe
                      (path, size, mtime_ns, format, duration, duration_is_estimate, problem, probe_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in entries {
                try statement.execute(arguments: [
                    entry.path, entry.size, entry.mtimeNanoseconds, entry.format.rawValue, entry.duration,
                    entry.durationIsEstimate, entry.problem?.rawValue, Self.probeVersion,
                ])
            }
        }
    }

    /// Removes the entries of files no longer in the store.
    public func removeEntries(notIn paths: Set<String>) throws {
        try queue.write { db in
            let known = try String.fetchAll(db, sql: "SELECT path FROM probe")
            let statement = try db.makeStatement(sql: "DELETE FROM probe WHERE path = ?")
            for path in known where !paths.contains(path) { try statement.execute(arguments: [path]) }
        }
    }

    /// The number of rows.
    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe") ?? 0 }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
