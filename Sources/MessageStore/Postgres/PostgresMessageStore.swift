public import Logging
import MatchEngine
import PostgresNIO
import Synchronization

/// The message store of a CRM whose database is PostgreSQL, with the same rules as
/// ``SQLiteMessageStore``.
///
/// What differs is told by the schema, read when the store opens: `conteudo` may be `text` or `jsonb`
/// (a `jsonb` column re-normalises what is written: keys sorted, spacing its own — every key and value
/// is kept, the byte layout cannot be), `data_envio` `timestamptz`, `timestamp` or text, `from_me`
/// `boolean` or an integer. Reads run at READ COMMITTED and never block the CRM; each write is an
/// `UPDATE … WHERE conteudo = <the text read>`, which PostgreSQL re-checks against the newest committed
/// row version, so a concurrent CRM write makes our update miss instead of being overwritten.
public final class PostgresMessageStore: MessageDatabase, StoreBackend {
    let session: PostgresSession
    let columns: Columns
    let logger: Logger

    /// How the CRM's columns are typed.
    struct Columns: Sendable {
        var conteudoIsJSONB: Bool
        var dataEnvioIsText: Bool
    }

    public var displayLocation: String { session.location.display }

    var options: MessageStoreOptions { session.options }

    /// Connects to `url` and checks the spec's tables.
    /// - Throws: ``MessageStoreError/connectionRefused(host:port:)``,
    ///   ``MessageStoreError/authenticationFailed(user:host:)``, ``MessageStoreError/databaseMissing(name:host:)``,
    ///   ``MessageStoreError/missingTable(_:database:)``, ``MessageStoreError/missingColumn(_:table:database:)``.
    public init(url: String, options: MessageStoreOptions = MessageStoreOptions(), logger: Logger) async throws {
        let location = try PostgresLocation(url: url)
        let session = try await PostgresSession.connect(location, options: options, logger: logger)
        self.session = session
        self.logger = logger
        do {
            columns = try await session.exclusive { try await PostgresMessageStore.checkSchema(session) }
        } catch {
            try? await session.close()
            throw error
        }
        logger.debug("opened PostgreSQL message store", metadata: ["database": "\(location.display)"])
    }

    private static func checkSchema(_ session: PostgresSession) async throws -> Columns {
        var types: [String: [String: String]] = [:]
        let rows = try await session.rows(
            """
            SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name IN
              ('core_cliente', 'core_whatsappinstance', 'core_chat', 'core_mensagem')
            """)
        for row in rows {
            let (table, column, type) = try row.decode((String, String, String).self)
            types[table, default: [:]][column] = type
        }
        for (table, required) in SQLiteMessageStore.requiredColumns {
            guard let present = types[table] else {
                throw MessageStoreError.missingTable(table, database: session.location.display)
            }
            for column in required where present[column] == nil {
                throw MessageStoreError.missingColumn(column, table: table, database: session.location.display)
            }
        }
        let message = types["core_mensagem"] ?? [:]
        return Columns(
            conteudoIsJSONB: message["conteudo"] == "jsonb",
            dataEnvioIsText: !(message["data_envio"] ?? "").hasPrefix("timestamp"))
    }

    /// `conteudo` written back: cast to `jsonb` when that is the column's type.
    var conteudoParameter: String { columns.conteudoIsJSONB ? "::jsonb" : "" }

    public func clients() async throws -> [ClientInfo] {
        try await session.exclusive {
            try await session.rows("SELECT id::int8, nome FROM core_cliente ORDER BY id").map {
                let (id, name) = try $0.decode((Int64, String?).self)
                return ClientInfo(id: id, name: name ?? "")
            }
        }
    }

    public func instances() async throws -> [InstanceInfo] {
        try await session.exclusive {
            try await session.rows(
                "SELECT id::int8, instance_id, cliente_id::int8 FROM core_whatsappinstance ORDER BY id"
            ).map {
                let (id, instance, client) = try $0.decode((Int64, String?, Int64).self)
                return InstanceInfo(rowID: id, instanceID: instance ?? "", clientID: client)
            }
        }
    }

    public func highestMessageRowID() async throws -> Int64 {
        try await session.exclusive {
            try await session.rows("SELECT coalesce(max(id), 0)::int8 FROM core_mensagem").first?.decode(Int64.self)
                ?? 0
        }
    }

    public func messageRowIDs(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> [Int64]? {
        let (condition, binds) = try await audioRowIDsCondition(scope, range)
        return try await session.exclusive {
            try await session.rows("SELECT m.id::int8 FROM core_mensagem m WHERE \(condition) ORDER BY m.id", binds)
                .map { try $0.decode(Int64.self) }
        }
    }

    public func messageRowCount(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> Int? {
        let (condition, binds) = try await audioRowIDsCondition(scope, range)
        return try await session.exclusive {
            try await session.rows("SELECT count(*)::int8 FROM core_mensagem m WHERE \(condition)", binds)
                .first.map { Int(try $0.decode(Int64.self)) } ?? 0
        }
    }

    /// The audio rows of `scope` with ids in `range`.
    private func audioRowIDsCondition(_ scope: MessageScope, _ range: ClosedRange<Int64>) async throws -> (
        String, PostgresBindings
    ) {
        let resolved = try await resolve(scope)
        var sql = "m.tipo = 'audio' AND m.id BETWEEN $1 AND $2"
        var values = [range.lowerBound, range.upperBound]
        if let chats = resolved.chatCondition(prefix: "", placeholder: { "$\($0 + 2)" }) {
            sql += " AND m.chat_id IN (SELECT id FROM core_chat WHERE \(chats.sql))"
            values += chats.values
        }
        return (sql, PostgresBindings(values))
    }

    /// PostgreSQL has no cheap counter of commits; ``rowAnnouncements()`` tell what changed.
    public func changeCounter() async throws -> Int64? { nil }

    /// The channel the trigger notifies, with the row id as payload.
    static let rowChannel = "audiosync_rows"

    public func installRowTrigger() async throws {
        try await session.exclusive {
            try await session.transaction {
                // Audio rows only, inserted or with `conteudo` or `tipo` changed; AFTER, so a rolled
                // back write announces nothing (NOTIFY is sent at commit).
                _ = try await session.execute(
                    """
                    CREATE OR REPLACE FUNCTION audiosync_row_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.tipo = 'audio' THEN PERFORM pg_notify('\(Self.rowChannel)', NEW.id::text); END IF;
                      RETURN NULL;
                    END $$
                    """)
                _ = try await session.execute("DROP TRIGGER IF EXISTS audiosync_row_notify ON core_mensagem")
                _ = try await session.execute(
                    """
                    CREATE TRIGGER audiosync_row_notify AFTER INSERT OR UPDATE OF conteudo, tipo ON core_mensagem
                    FOR EACH ROW EXECUTE PROCEDURE audiosync_row_notify()
                    """)
            }
        }
        logger.info("installed the row trigger", metadata: ["trigger": "audiosync_row_notify"])
    }

    public func rowAnnouncements() async throws -> RowAnnouncements? {
        let installed = try await session.exclusive {
            try await session.rows(
                """
                SELECT count(*)::int8 FROM pg_trigger
                WHERE tgname = 'audiosync_row_notify' AND tgrelid = 'core_mensagem'::regclass
                """
            ).first?.decode(Int64.self) ?? 0
        }
        guard installed > 0 else { return nil }
        // A connection of its own: notifications arrive whenever, and the store's connection is
        // used one operation at a time.
        let listener = try await PostgresSession.connect(session.location, options: options, logger: logger)
        let announcements = RowAnnouncements()
        let logger = logger
        let listening = ListenStart()
        let task = Task {
            do {
                try await listener.connection.listen(on: Self.rowChannel) { notifications in
                    listening.finish(nil)
                    for try await notification in notifications {
                        if let row = Int64(notification.payload) { announcements.note(row) }
                    }
                }
            } catch {
                let mapped = PostgresSession.map(error, location: listener.location, options: listener.options)
                if !listening.finish(mapped), !Task.isCancelled {
                    logger.warning("row announcements ended: \(mapped); watch polls the highest row id")
                }
            }
        }
        announcements.onClose {
            task.cancel()
            try? await listener.close()
        }
        do {
            try await listening.wait()
        } catch {
            await announcements.close()
            throw error
        }
        return announcements
    }

    public func close() async throws {
        try await session.close()
    }

    deinit {
        session.closeWhenDropped()
    }
}

/// The moment a `LISTEN` is acknowledged (or failed), awaited once.
private final class ListenStart: Sendable {
    private let state = Mutex<(done: Bool, error: (any Error)?, waiter: CheckedContinuation<Void, any Error>?)>(
        (false, nil, nil))

    /// Records the outcome; `false` when one was recorded before.
    @discardableResult
    func finish(_ error: (any Error)?) -> Bool {
        let (first, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, any Error>?) in
            guard !state.done else { return (false, nil) }
            state.done = true
            state.error = error
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        if let waiter { error.map { waiter.resume(throwing: $0) } ?? waiter.resume() }
        return first
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { state -> (done: Bool, error: (any Error)?) in
                if !state.done { state.waiter = continuation }
                return (state.done, state.error)
            }
            guard outcome.done else { return }
            outcome.error.map { continuation.resume(throwing: $0) } ?? continuation.resume()
        }
    }
}
