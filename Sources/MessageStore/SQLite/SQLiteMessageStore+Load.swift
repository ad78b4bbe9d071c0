import GRDB
import GRDBSQLite

extension SQLiteMessageStore {
    /// Rows read per read transaction. In rollback-journal mode (Django's default) a reader's SHARED
    /// lock keeps the CRM, and a watch's content batches, from committing, so a long load is cut
    /// into transactions of some tens of milliseconds each. A chunk of one instance's rows reads
    /// the rows of the others too: 20,000 of them took 0.14 s on a store of nine instances, and
    /// each content batch beside it waited as long to commit.
    static let loadChunkSize = 1_000
    /// Rows read per read transaction when they are read by id: ids bound as parameters, with the
    /// scope's few, under 999 (SQLite's limit on parameters before 3.32).
    static let idChunkSize = 900

    public func loadAudioMessages(scope: MessageScope) async throws -> MessageLoad {
        let resolved = try await resolve(scope)
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                var chats = try SQLiteMessageStore.fetchChats(db, scope: resolved)
                // Growing an array of a million messages by doubling copies it again and again; the
                // largest row id bounds the count (read from the b-tree's end, no scan), and pages of
                // the reservation that stay unused are never touched.
                // (Two queries: SQLite answers a lone min() or max() from the index end, not both at once.)
                let last = try Int.fetchOne(db, sql: "SELECT max(id) FROM core_mensagem") ?? 0
                let first = try Int.fetchOne(db, sql: "SELECT min(id) FROM core_mensagem") ?? 0
                let bound = last - first + 1
                // Rows after a watch's last read are few: no reservation for the whole table.
                var assembler = AudioRowAssembler(
                    expectedRows: resolved.afterRowID == nil ? min(max(bound, 0), 4_000_000) : 0)
                var lastID = resolved.afterRowID ?? Int64.min
                // One instance's rows, where Django's index on the chat gives their ids: read by id,
                // not by a walk of every instance's rows.
                if let ids = try SQLiteMessageStore.scopeRowIDs(db, scope: resolved, after: lastID) {
                    try SQLiteMessageStore.forEachChunk(of: ids, db, scope: resolved) { statement in
                        try SQLiteMessageStore.readRows(
                            of: statement, db, after: &lastID, chats: &chats, into: &assembler)
                    }
                    return assembler.finish()
                }
                while true {
                    var read = 0
                    try db.inTransaction(.deferred) {
                        read = try SQLiteMessageStore.readChunk(
                            db, scope: resolved, after: &lastID, chats: &chats, into: &assembler)
                        return .commit
                    }
                    if read < SQLiteMessageStore.loadChunkSize { break }
                }
                return assembler.finish()
            }
        }
    }

    public func audioRowsFingerprint(scope: MessageScope, sumThrough: Int64?) async throws
        -> AudioRowsFingerprint
    {
        let resolved = try await resolve(scope)
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                var digest = RowDigest()
                var sum = sumThrough.map { RowsSum(through: $0) }
                // Chunked like the load, for the same reason: the CRM must not wait on a long read.
                var lastID = resolved.afterRowID ?? Int64.min
                // The same rows, read as the load reads them (by id where the chat index gives them).
                if let ids = try SQLiteMessageStore.scopeRowIDs(db, scope: resolved, after: lastID) {
                    try SQLiteMessageStore.forEachChunk(of: ids, db, scope: resolved) { statement in
                        try SQLiteMessageStore.fingerprintRows(
                            of: statement, db, after: &lastID, into: &digest, sum: &sum)
                    }
                } else {
                    while true {
                        var read = 0
                        try db.inTransaction(.deferred) {
                            read = try SQLiteMessageStore.fingerprintChunk(
                                db, scope: resolved, after: &lastID, into: &digest, sum: &sum)
                            return .commit
                        }
                        if read < SQLiteMessageStore.loadChunkSize { break }
                    }
                }
                let rows = digest.rows
                let chats = try SQLiteMessageStore.fetchChats(db, scope: resolved)
                digest.add(chats: chats)
                return AudioRowsFingerprint(
                    rows: rows, highestRowID: max(lastID, 0), digest: digest.hex, sum: sum,
                    chats: AudioRowsFingerprint.hashes(of: chats))
            }
        }
    }

    /// The load's query: the audio rows of the scope after `lastID`, in id order, a chunk at a time.
    private static func audioRowsStatement(
        _ db: Database, scope: ResolvedScope, after lastID: Int64
    ) throws -> Statement {
        var sql = """
            SELECT m.id, m.chat_id, m.message_id, m.remetente, m.data_envio, m.from_me, m.conteudo
            FROM core_mensagem m
            WHERE m.tipo = 'audio' AND m.id > ?
            """
        var arguments: StatementArguments = [lastID]
        if let condition = scope.chatCondition(prefix: "", placeholder: { _ in "?" }) {
            sql += " AND m.chat_id IN (SELECT id FROM core_chat WHERE \(condition.sql))"
            arguments += StatementArguments(condition.values)
        }
        sql += " ORDER BY m.id LIMIT ?"
        arguments += [loadChunkSize]
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        return statement
    }

    /// Mixes up to ``loadChunkSize`` rows after `lastID` into `digest`: every column as stored
    /// (its type and bytes), so any edit the load could see changes the fingerprint.
    private static func fingerprintChunk(
        _ db: Database, scope: ResolvedScope, after lastID: inout Int64, into digest: inout RowDigest,
        sum: inout RowsSum?
    ) throws -> Int {
        try fingerprintRows(
            of: try audioRowsStatement(db, scope: scope, after: lastID), db, after: &lastID, into: &digest, sum: &sum)
    }

    /// Steps `statement` (the load's columns, in id order) into `digest`; returns the rows read, and
    /// leaves the last one's id in `lastID`.
    @discardableResult
    private static func fingerprintRows(
        of statement: Statement, _ db: Database, after lastID: inout Int64, into digest: inout RowDigest,
        sum: inout RowsSum?
    ) throws -> Int {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var read = 0
        while try step(handle, db) {
            read += 1
            lastID = sqlite3_column_int64(handle, 0)
            for column in Int32(0)..<7 {
                switch sqlite3_column_type(handle, column) {
                case SQLITE_NULL: digest.add(nil as UnsafeBufferPointer<UInt8>?)
                case SQLITE_INTEGER: digest.add(sqlite3_column_int64(handle, column))
                case SQLITE_FLOAT: digest.add(Int64(bitPattern: sqlite3_column_double(handle, column).bitPattern))
                default: digest.add(text(handle, column))
                }
            }
            let hash = digest.endRow()
            if let through = sum?.through, lastID <= through {
                sum?.rows += 1
                sum?.sum &+= hash
            }
        }
        return read
    }

    static let chatQuery = """
        SELECT c.id, c.chat_id, c.cliente_id, cl.nome, i.instance_id
        FROM core_chat c
        JOIN core_cliente cl ON cl.id = c.cliente_id
        LEFT JOIN core_whatsappinstance i ON i.id = c.instance_id
        """

    /// The chats of the scope, with their client and instance.
    static func fetchChats(_ db: Database, scope: ResolvedScope) throws -> [Int64: ChatInfo] {
        let condition = scope.chatCondition(prefix: "c.") { _ in "?" }
        let sql = chatQuery + (condition.map { " WHERE " + $0.sql } ?? "")
        var chats: [Int64: ChatInfo] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(condition?.values ?? [])) {
            let info = ChatInfo(
                chatRowID: row[0], chatID: row[1] ?? "", clientID: row[2], clientName: row[3] ?? "",
                instanceID: row[4])
            chats[info.chatRowID] = info
        }
        return chats
    }

    /// One chat by id, for a message whose chat appeared after the chats were read.
    private static func fetchChat(_ db: Database, id: Int64) throws -> ChatInfo? {
        let statement = try db.cachedStatement(sql: chatQuery + " WHERE c.id = ?")
        return try Row.fetchOne(statement, arguments: [id]).map {
            ChatInfo(chatRowID: $0[0], chatID: $0[1] ?? "", clientID: $0[2], clientName: $0[3] ?? "", instanceID: $0[4])
        }
    }

    /// Whether `core_mensagem` has an index whose first column is `chat_id`, covering every row (not
    /// partial): Django makes one for every foreign key (`core_mensagem_chat_id_<hash>`); the spec's
    /// tables, as some copies of the database have them, have none. Asked of SQLite at each load,
    /// not of a schema cache: the CRM may add it while a watch runs.
    static func hasChatIndex(_ db: Database) throws -> Bool {
        let sql = """
            SELECT EXISTS (SELECT 1 FROM pragma_index_list('core_mensagem') l
            JOIN pragma_index_info(l.name) i
            WHERE i.seqno = 0 AND lower(i.name) = 'chat_id' AND l.partial = 0)
            """
        return try Bool.fetchOne(db, sql: sql) ?? false
    }

    /// The ids of every row of the scope's chats after `lastID`, of any type, in id order, read from
    /// the chat index alone (an index holds its rows' ids) in one short read; `nil` for the whole
    /// database, or without the index (``hasChatIndex(_:)``): the rows are then walked.
    static func scopeRowIDs(_ db: Database, scope: ResolvedScope, after lastID: Int64) throws -> [Int64]? {
        guard let condition = scope.chatCondition(prefix: "", placeholder: { _ in "?" }),
            try hasChatIndex(db)
        else { return nil }
        let sql = """
            SELECT m.id FROM core_mensagem m
            WHERE m.chat_id IN (SELECT id FROM core_chat WHERE \(condition.sql)) AND m.id > ?
            """
        var ids: [Int64] = []
        try db.inTransaction(.deferred) {
            ids = try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(condition.values) + [lastID])
            return .commit
        }
        ids.sort()
        return ids
    }

    /// Runs `body` with the load's statement (``audioRowsStatement(_:ids:scope:)``) for each
    /// ``idChunkSize`` of `ids`, in a read transaction of its own, as short as a chunk of the walk's.
    static func forEachChunk(
        of ids: [Int64], _ db: Database, scope: ResolvedScope, _ body: (Statement) throws -> Void
    ) throws {
        for start in stride(from: 0, to: ids.count, by: idChunkSize) {
            let chunk = ids[start..<min(start + idChunkSize, ids.count)]
            try db.inTransaction(.deferred) {
                try body(try audioRowsStatement(db, ids: chunk, scope: scope))
                return .commit
            }
        }
    }

    /// The load's query for the audio rows among `ids` (sorted) still in the scope, in id order: the
    /// walk's columns and conditions (``audioRowsStatement(_:scope:after:)``), its rows found by id.
    static func audioRowsStatement(_ db: Database, ids: ArraySlice<Int64>, scope: ResolvedScope) throws -> Statement {
        let list = repeatElement("?", count: ids.count).joined(separator: ",")
        var sql = """
            SELECT m.id, m.chat_id, m.message_id, m.remetente, m.data_envio, m.from_me, m.conteudo
            FROM core_mensagem m
            WHERE m.tipo = 'audio' AND m.id IN (\(list))
            """
        var arguments = StatementArguments(Array(ids))
        // `+m.chat_id`: the condition checked on each row found by id. Left to choose, SQLite went
        // through the chat index for every chat of the scope and every id: 4.1-5.0 s for an
        // instance's 48,160 rows, against 0.30-0.38 s by id alone.
        if let condition = scope.chatCondition(prefix: "", placeholder: { _ in "?" }) {
            sql += " AND +m.chat_id IN (SELECT id FROM core_chat WHERE \(condition.sql))"
            arguments += StatementArguments(condition.values)
        }
        sql += " ORDER BY m.id"
        // A full chunk's statement is the same text each time; the last, shorter one is made once.
        let statement = ids.count == idChunkSize ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        return statement
    }

    /// Reads up to ``loadChunkSize`` audio rows after `lastID`, stepping the statement through the C API
    /// so that `conteudo` is scanned in SQLite's own buffer, never copied into a `String`.
    private static func readChunk(
        _ db: Database,
        scope: ResolvedScope,
        after lastID: inout Int64,
        chats: inout [Int64: ChatInfo],
        into assembler: inout AudioRowAssembler
    ) throws -> Int {
        let statement = try audioRowsStatement(db, scope: scope, after: lastID)
        return try readRows(of: statement, db, after: &lastID, chats: &chats, into: &assembler)
    }

    /// Steps `statement` (the load's columns, in id order) and adds each row to `assembler`; returns
    /// the rows read, and leaves the last one's id in `lastID`.
    @discardableResult
    private static func readRows(
        of statement: Statement, _ db: Database, after lastID: inout Int64, chats: inout [Int64: ChatInfo],
        into assembler: inout AudioRowAssembler
    ) throws -> Int {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var read = 0
        var missingChats = Set<Int64>()
        while try step(handle, db) {
            read += 1
            let rowID = sqlite3_column_int64(handle, 0)
            lastID = rowID
            let chatRowID = sqlite3_column_int64(handle, 1)
            var chat = chats[chatRowID]
            if chat == nil, !missingChats.contains(chatRowID) {
                // A chat created after the chats were read (the CRM keeps writing): look it up once. The
                // query's own scope condition already held for this message, so the chat is in scope.
                if let found = try fetchChat(db, id: chatRowID) {
                    chats[chatRowID] = found
                    chat = found
                } else {
                    missingChats.insert(chatRowID)
                }
            }
            assembler.add(
                rowID: rowID,
                chat: chat,
                conteudo: text(handle, 6),
                insertTime: insertTime(handle, 4),
                fromMe: sqlite3_column_int64(handle, 5) != 0,
                messageID: { string(handle, 2) },
                sender: { string(handle, 3) })
        }
        return read
    }

    /// Steps the load's statement: `true` with a row, `false` at its end.
    @inline(__always)
    static func step(_ handle: OpaquePointer, _ db: Database) throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return false }
        guard code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return true
    }

    /// A text column's bytes, valid until the next step; `nil` for `NULL`.
    @inline(__always)
    private static func text(_ handle: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        // sqlite3_column_text must be called before sqlite3_column_bytes (SQLite's documented order).
        guard let pointer = sqlite3_column_text(handle, column) else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    @inline(__always)
    static func string(_ handle: OpaquePointer, _ column: Int32) -> String? {
        text(handle, column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `data_envio` as Unix seconds: the spec's UTC text, or a number of seconds where some writer
    /// stored one.
    @inline(__always)
    private static func insertTime(_ handle: OpaquePointer, _ column: Int32) -> Int64? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: sqlite3_column_int64(handle, column)
        case SQLITE_FLOAT: Int64(exactly: sqlite3_column_double(handle, column).rounded(.down))
        case SQLITE_TEXT: text(handle, column).flatMap(DataEnvio.unixSeconds)
        default: nil
        }
    }
}
