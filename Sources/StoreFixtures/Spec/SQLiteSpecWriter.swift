import Foundation
import GRDB
import GRDBSQLite
import MessageStore

/// Creates and fills SQLite files with the spec's tables (see ``SpecDatabaseWriter``).
///
/// Rows go through prepared statements bound through the C API, one transaction per call, so a million
/// messages take seconds rather than minutes.
public final class SQLiteSpecWriter: SpecDatabaseWriter {
    let path: String
    let queue: DatabaseQueue

    /// Creates a new SQLite file at `path` holding the spec's empty tables.
    /// - Throws: ``MessageStoreError/invalidLocation(_:reason:)`` when something already exists at `path`
    ///   (it is never overwritten).
    public static func create(path: String) throws -> SQLiteSpecWriter {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw MessageStoreError.invalidLocation(path, reason: "a file already exists there")
        }
        let writer = try SQLiteSpecWriter(opening: path)
        try writer.queue.write { db in
            for statement in SpecSchema.sqlite { try db.execute(sql: statement) }
        }
        return writer
    }

    /// Opens an existing file that has the spec's tables, to add rows.
    /// - Throws: ``MessageStoreError/fileNotFound(path:)``.
    public convenience init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw MessageStoreError.fileNotFound(path: path) }
        try self.init(opening: path)
    }

    private init(opening path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // Rows are written in the caller's order, and tests need orphans (a message whose chat is gone).
        configuration.foreignKeysEnabled = false
        // Test fixtures and generated stores: losing one to a power cut costs a re-run, not data.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw SQLiteMessageStore.mapError(error, path: path, options: MessageStoreOptions())
        }
    }

    public func insert(clients: [SpecClient]) async throws {
        try await insert(
            "INSERT INTO core_cliente (id, nome) VALUES (?, ?)", clients
        ) { s, row in
            s.bind(1, row.id)
            s.bind(2, row.name)
        }
    }

    public func insert(instances: [SpecInstance]) async throws {
        try await insert(
            "INSERT INTO core_whatsappinstance (id, instance_id, cliente_id) VALUES (?, ?, ?)", instances
        ) { s, row in
            s.bind(1, row.id)
            s.bind(2, row.instanceID)
            s.bind(3, row.clientID)
        }
    }

    public func insert(chats: [SpecChat]) async throws {
        try await insert(
            "INSERT INTO core_chat (id, chat_id, chat_name, cliente_id, instance_id) VALUES (?, ?, ?, ?, ?)", chats
        ) { s, row in
            s.bind(1, row.id)
            s.bind(2, row.chatID)
            s.bind(3, row.chatName)
            s.bind(4, row.clientID)
            s.bind(5, row.instanceRowID)
        }
    }

    public func insert(messages: [SpecMessage]) async throws {
        try await insert(
            """
            INSERT INTO core_mensagem (id, chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, messages
        ) { s, row in
            s.bind(1, row.id)
            s.bind(2, row.chatRowID)
            s.bind(3, row.messageID)
            s.bind(4, row.sender)
            s.bind(5, row.kind)
            s.bind(6, row.conteudo)
            s.bind(7, row.dataEnvio)
            s.bind(8, row.fromMe ? 1 : 0)
        }
    }

    public func close() async throws {
        try queue.close()
    }

    private func insert<Row: Sendable>(
        _ sql: String, _ rows: [Row], bind: @escaping @Sendable (RawStatement, Row) -> Void
    ) async throws {
        let path = self.path
        do {
            try await queue.write { db in
                let statement = try db.makeStatement(sql: sql)
                let raw = RawStatement(handle: statement.sqliteStatement)
                for row in rows {
                    bind(raw, row)
                    let code = sqlite3_step(raw.handle)
                    sqlite3_reset(raw.handle)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(
                            resultCode: ResultCode(rawValue: code),
                            message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                }
            }
        } catch {
            throw SQLiteMessageStore.mapError(error, path: path, options: MessageStoreOptions())
        }
    }
}

/// A prepared statement's handle, for binding without building `StatementArguments` per row.
struct RawStatement {
    let handle: OpaquePointer

    /// SQLite copies the bytes before `sqlite3_bind_text` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = value.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would read as NULL.
            if let base = bytes.baseAddress {
                sqlite3_bind_text(handle, index, base, Int32(bytes.count), RawStatement.transient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, RawStatement.transient)
            }
        }
    }
}
