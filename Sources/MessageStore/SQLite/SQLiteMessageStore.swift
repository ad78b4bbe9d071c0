import Foundation
import GRDB
public import Logging
import MatchEngine

/// The message store of a CRM whose database is a SQLite file.
///
/// One `DatabaseQueue` (one connection): the sync is one process doing one thing at a time, and the
/// CRM's own connections are the concurrency to respect. The file's journal mode is left as it is —
/// switching to WAL would change the CRM's file for the CRM too (and needs `-wal`/`-shm` files the
/// CRM's user may not be able to write) — so reads take short SHARED locks (loading goes in chunks) and
/// writes take short RESERVED locks (one transaction per batch). A busy timeout makes us wait for the
/// CRM's transactions instead of failing at once.
public final class SQLiteMessageStore: MessageDatabase, StoreBackend {
    let path: String
    let options: MessageStoreOptions
    let logger: Logger
    let queue: DatabaseQueue
    /// Marks this store's lock row, so that unlocking removes only its own.
    let lockToken = UUID().uuidString

    public var displayLocation: String { redactedDatabaseLocation(path) }

    /// Opens the SQLite file at `path`, which must exist and hold the spec's tables.
    /// - Throws: ``MessageStoreError/fileNotFound(path:)`` (nothing is created),
    ///   ``MessageStoreError/notADatabase(path:)``, ``MessageStoreError/missingTable(_:database:)``,
    ///   ``MessageStoreError/missingColumn(_:table:database:)``.
    public init(path: String, options: MessageStoreOptions = MessageStoreOptions(), logger: Logger) throws {
        self.path = path
        self.options = options
        self.logger = logger
        var isDirectory: ObjCBool = false
        // SQLite would create a missing file; a typo must not leave an empty database behind.
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MessageStoreError.fileNotFound(path: redactedDatabaseLocation(path))
        }
        guard !isDirectory.boolValue else { throw MessageStoreError.notADatabase(path: redactedDatabaseLocation(path)) }
        var configuration = Configuration()
        configuration.readonly = options.readOnly
        configuration.busyMode = .timeout(Double(options.busyTimeoutMilliseconds) / 1000)
        configuration.label = "audiosync.MessageStore"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in try SQLiteMessageStore.checkSchema(db, path: path) }
        } catch {
            throw SQLiteMessageStore.mapError(error, path: path, options: options)
        }
        logger.debug("opened SQLite message store", metadata: ["path": "\(path)"])
    }

    /// The tables and columns of spec §2 that this module reads.
    static let requiredColumns: [(table: String, columns: [String])] = [
        ("core_cliente", ["id", "nome"]),
        ("core_whatsappinstance", ["id", "instance_id", "cliente_id"]),
        ("core_chat", ["id", "chat_id", "cliente_id", "instance_id"]),
        ("core_mensagem", ["id", "chat_id", "message_id", "remetente", "tipo", "conteudo", "data_envio", "from_me"]),
    ]

    private static func checkSchema(_ db: Database, path: String) throws {
        for (table, columns) in requiredColumns {
            guard try db.tableExists(table) else {
                throw MessageStoreError.missingTable(table, database: redactedDatabaseLocation(path))
            }
            let present = Set(try db.columns(in: table).map { $0.name.lowercased() })
            for column in columns where !present.contains(column) {
                throw MessageStoreError.missingColumn(column, table: table, database: redactedDatabaseLocation(path))
            }
        }
    }

    /// Runs `body`, turning SQLite's errors into ``MessageStoreError``.
    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw SQLiteMessageStore.mapError(error, path: path, options: options)
        }
    }

    /// SQLite's error as what went wrong and what to do; `path` is the file as opened, shown
    /// redacted.
    package static func mapError(_ error: any Error, path: String, options: MessageStoreOptions) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let shown = redactedDatabaseLocation(path)
        // The file this connection has open is no longer at its path: SQLite calls it read-only.
        if error.extendedResultCode == .SQLITE_READONLY_DBMOVED {
            return MessageStoreError.databaseMoved(
                database: shown, replaced: FileManager.default.fileExists(atPath: path))
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return MessageStoreError.databaseLocked(
                database: shown, timeoutMilliseconds: options.busyTimeoutMilliseconds)
        case .SQLITE_READONLY:
            return MessageStoreError.readOnly(database: shown)
        case .SQLITE_NOTADB:
            return MessageStoreError.notADatabase(path: shown)
        case .SQLITE_CANTOPEN where !FileManager.default.fileExists(atPath: path),
            // Deleted while a write waited for the lock, SQLite may fail the write's own I/O
            // (the journal's, the file's size) before it notices the file is gone: a disk error
            // that is no disk's fault.
            .SQLITE_IOERR where !FileManager.default.fileExists(atPath: path):
            return MessageStoreError.databaseMoved(database: shown, replaced: false)
        case .SQLITE_CANTOPEN where !FileManager.default.isWritableFile(atPath: folder(of: path)):
            // SQLite writes its rollback journal next to the database: the folder must be writable.
            return MessageStoreError.folderNotWritable(database: shown)
        default:
            return MessageStoreError.database("\(shown): \(error.message ?? "SQLite error") (\(error.resultCode))")
        }
    }

    private static func folder(of path: String) -> String {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return parent.isEmpty ? "." : parent
    }

    public func clients() async throws -> [ClientInfo] {
        try await mapped {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, nome FROM core_cliente ORDER BY id").map {
                    ClientInfo(id: $0[0], name: $0[1] ?? "")
                }
            }
        }
    }

    public func instances() async throws -> [InstanceInfo] {
        try await mapped {
            try await queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, instance_id, cliente_id FROM core_whatsappinstance ORDER BY id")
                    .map { InstanceInfo(rowID: $0[0], instanceID: $0[1] ?? "", clientID: $0[2]) }
            }
        }
    }

    public func highestMessageRowID() async throws -> Int64 {
        try await mapped {
            try await queue.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM core_mensagem") ?? 0 }
        }
    }

    /// One writer at a time: ids commit in their order, and ``changeCounter()`` tells of the rest.
    public func messageRowIDs(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> [Int64]? { nil }

    public func messageRowCount(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> Int? { nil }

    public func changeCounter() async throws -> Int64? {
        try await mapped {
            try await queue.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") }
        }
    }

    /// SQLite announces nothing to another process; `watch` polls the highest row id.
    public func rowAnnouncements() async throws -> RowAnnouncements? { nil }

    public func installRowTrigger() async throws {
        throw MessageStoreError.notSupported(
            "--install-trigger needs a PostgreSQL database: SQLite cannot announce rows to another process (watch polls it instead)"
        )
    }

    public func close() async throws {
        try await mapped { try queue.close() }
    }
}
