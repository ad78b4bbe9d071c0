import Crypto
import Foundation
internal import GRDB
internal import GRDBSQLite
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
        /// The file's SHA-256, once a sync has had a reason to compute it.
        public var sha256: ContentDigest?

        public init(
            path: String, size: Int64, mtimeNanoseconds: Int64, format: AudioFormat, duration: Double?,
            durationIsEstimate: Bool, problem: FileProblem?, sha256: ContentDigest? = nil
        ) {
            self.path = path
            self.size = size
            self.mtimeNanoseconds = mtimeNanoseconds
            self.format = format
            self.duration = duration
            self.durationIsEstimate = durationIsEstimate
            self.problem = problem
            self.sha256 = sha256
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
        var configuration = Configuration()
        // Two scans may write it at once (a watch's batches, a manual sync beside a watch): the
        // second waits for the first's few milliseconds instead of failing.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // A cache: losing the last writes to a crash only means probing those files again, so
            // no fsync on every commit (which cost more than probing a thousand notes).
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
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
        // Digests are remembered too, so a re-sync of an unchanged store reads no audio bytes at all.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: "ALTER TABLE probe ADD COLUMN sha256 BLOB CHECK (sha256 IS NULL OR length(sha256) = 32)")
        }
        // The store the cache is for and when it was last used, so old caches can be pruned.
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql:
                    "CREATE TABLE cache_use (id INTEGER PRIMARY KEY CHECK (id = 1), media_root TEXT NOT NULL, last_used INTEGER NOT NULL)"
            )
        }
        // What a sync saw (``MediaStoreScanner/remember(_:as:)``), so an unchanged store costs a walk.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE TABLE memory (
                      key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, recorded_at INTEGER NOT NULL
                    ) WITHOUT ROWID
                    """)
        }
        try migrator.migrate(queue)
    }

    /// The value remembered under `key`, if any.
    public func remembered(_ key: String) throws -> [UInt8]? {
        try queue.read { db in
            (try Data.fetchOne(db, sql: "SELECT value FROM memory WHERE key = ?", arguments: [key])).map { Array($0) }
        }
    }

    /// Remembers `value` under `key`, replacing what was there.
    public func remember(_ value: [UInt8], as key: String) throws {
        try queue.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO memory (key, value, recorded_at) VALUES (?, ?, ?)",
                arguments: [key, Data(value), Int64(Date().timeIntervalSince1970)])
        }
    }

    /// Records that a scan of `mediaRoot` used the cache now (or at `unixSeconds`).
    public func recordUse(mediaRoot: String, unixSeconds: Int64? = nil) throws {
        let time = unixSeconds ?? Int64(Date().timeIntervalSince1970)
        try queue.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO cache_use (id, media_root, last_used) VALUES (1, ?, ?)",
                arguments: [mediaRoot, time])
        }
    }

    /// The media root the cache was last used for, and when (`nil` for a cache from before
    /// this was recorded).
    public func lastUse() throws -> (mediaRoot: String, unixSeconds: Int64)? {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT media_root, last_used FROM cache_use WHERE id = 1") else {
                return nil
            }
            return (row[0], row[1])
        }
    }

    /// The folder of the standard caches: `$XDG_CACHE_HOME/audiosync` (or `~/.cache/audiosync`).
    public static func standardFolder(environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/audiosync" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/audiosync"
    }

    /// The cache file for a media root: `probe-<16 hex of SHA-256 of the root's real path>.sqlite`
    /// under `$XDG_CACHE_HOME/audiosync` (or `~/.cache/audiosync`).
    public static func standardPath(forMediaRoot root: String, environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let real = URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path
        let digest = SHA256.hash(data: Data(real.utf8))
        let hex = hexDigits(digest.prefix(8))
        return standardFolder(environment: environment) + "/probe-\(hex).sqlite"
    }

    /// Remembers the SHA-256 of files the cache knows, where the row still has the file's size.
    public func storeDigests(_ digests: some Collection<(path: String, size: Int64, digest: ContentDigest)>) throws {
        guard !digests.isEmpty else { return }
        try queue.write { db in
            let statement = try db.makeStatement(sql: "UPDATE probe SET sha256 = ? WHERE path = ? AND size = ?")
            for (path, size, digest) in digests {
                try statement.execute(arguments: [Data(digest.bytes), path, size])
            }
        }
    }

    /// Every entry that is still valid for this probe version, by path; only those under one of
    /// `folders` (relative paths, without a trailing `/`) when they are given.
    ///
    /// A scoped scan (one instance, as a watch batch is) needs its own folders' entries only:
    /// reading all 300,000 of a large store took 1.5 s of a batch that probed one file. A folder's
    /// paths are a range of the primary key, from `folder/` to `folder0` (paths compare as their
    /// UTF-8 bytes, and `0` is the byte after `/`), so each folder is one search.
    public func entries(inFolders folders: Set<String>? = nil) throws -> [String: Entry] {
        try queue.read { db in
            let columns =
                "SELECT path, size, mtime_ns, format, duration, duration_is_estimate, problem, sha256 FROM probe"
            var result: [String: Entry] = [:]
            guard let folders else {
                try Self.read(
                    Row.fetchCursor(db, sql: "\(columns) WHERE probe_version = ?", arguments: [Self.probeVersion]),
                    into: &result)
                return result
            }
            for folder in folders.sorted() {
                try Self.read(
                    Row.fetchCursor(
                        db, sql: "\(columns) WHERE path >= ? AND path < ? AND probe_version = ?",
                        arguments: [folder + "/", folder + "0", Self.probeVersion]),
                    into: &result)
            }
            return result
        }
    }

    private static func read(_ rows: RowCursor, into result: inout [String: Entry]) throws {
        while let row = try rows.next() {
            let path: String = row[0]
            let format = AudioFormat(rawValue: row[3]) ?? .unknown
            let problem: String? = row[6]
            result[path] = Entry(
                path: path, size: row[1], mtimeNanoseconds: row[2], format: format, duration: row[4],
                durationIsEstimate: row[5], problem: problem.flatMap(FileProblem.init(rawValue:)),
                sha256: (row[7] as Data?).flatMap { ContentDigest(bytes: Array($0)) })
        }
    }

    /// Stores entries (replacing those with the same path) and removes the rows of `removed`
    /// paths, in one transaction.
    public func update(storing entries: some Collection<Entry>, removing removed: some Collection<String> = []) throws {
        guard !entries.isEmpty || !removed.isEmpty else { return }
        try queue.write { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO probe
                      (path, size, mtime_ns, format, duration, duration_is_estimate, problem, probe_version, sha256)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            // Bound through SQLite's C API: GRDB's StatementArguments box every value, which cost
            // more per row than the rest of the scan's bookkeeping. SQLITE_TRANSIENT copies the text.
            let statement = insert.sqliteStatement
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for entry in entries {
                sqlite3_reset(statement)
                sqlite3_bind_text(statement, 1, entry.path, -1, transient)
                sqlite3_bind_int64(statement, 2, entry.size)
                sqlite3_bind_int64(statement, 3, entry.mtimeNanoseconds)
                sqlite3_bind_text(statement, 4, entry.format.rawValue, -1, transient)
                if let duration = entry.duration {
                    sqlite3_bind_double(statement, 5, duration)
                } else {
                    sqlite3_bind_null(statement, 5)
                }
                sqlite3_bind_int(statement, 6, entry.durationIsEstimate ? 1 : 0)
                if let problem = entry.problem {
                    sqlite3_bind_text(statement, 7, problem.rawValue, -1, transient)
                } else {
                    sqlite3_bind_null(statement, 7)
                }
                sqlite3_bind_int(statement, 8, Int32(Self.probeVersion))
                if let digest = entry.sha256 {
                    digest.bytes.withUnsafeBytes { sqlite3_bind_blob(statement, 9, $0.baseAddress, 32, transient) }
                } else {
                    sqlite3_bind_null(statement, 9)
                }
                let code = sqlite3_step(statement)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
            }
            sqlite3_reset(statement)
            let delete = try db.makeStatement(sql: "DELETE FROM probe WHERE path = ?")
            for path in removed { try delete.execute(arguments: [path]) }
        }
    }

    /// The number of rows.
    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe") ?? 0 }
    }
}

/// Lower-case hex, two digits a byte.
func hexDigits(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
