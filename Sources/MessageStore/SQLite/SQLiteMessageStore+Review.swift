import GRDB
import MatchEngine

extension SQLiteMessageStore {
    public func messageLink(ofRow rowID: Int64, scope: MessageScope) async throws -> MessageLinkRecord? {
        let resolved = try await resolve(scope)
        return try await mapped {
            // One SELECT is consistent on its own: the read transaction `read` would wrap it in costs
            // three statements more on every request `serve` answers.
            try await queue.unsafeRead { db in
                var sql = "SELECT m.tipo, m.conteudo FROM core_mensagem m"
                var arguments: [Int64] = []
                if let condition = resolved.chatCondition(prefix: "c.", placeholder: { _ in "?" }) {
                    sql += " JOIN core_chat c ON c.id = m.chat_id AND " + condition.sql
                    arguments = condition.values
                }
                arguments.append(rowID)
                // Cached: `serve` asks this once per request, always with the same text.
                let statement = try db.cachedStatement(sql: sql + " WHERE m.id = ?")
                guard let row = try Row.fetchOne(statement, arguments: StatementArguments(arguments)) else {
                    return nil
                }
                return MessageLinkRecord(rowID: rowID, kind: row[0], conteudo: row[1])
            }
        }
    }

    public func rejections() async throws -> [RejectionRecord] {
        try await mapped {
            try await queue.read { db in
                guard try db.tableExists(JournalSchema.rejectionTable) else { return [] }
                return try Row.fetchAll(
                    db, sql: "SELECT file_path, message_id, rejected_at, source FROM audiosync_rejection ORDER BY id"
                ).map { RejectionRecord(file: $0[0], messageRowID: $0[1], rejectedAt: $0[2], source: $0[3]) }
            }
        }
    }

    public func recordRejection(file: String, messageRowID: Int64, source: String) async throws -> Bool {
        try requireWritable()
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                try SQLiteMessageStore.migrateJournal(db)
                var inserted = false
                try db.inTransaction(.immediate) {
                    try db.execute(
                        sql: """
                            INSERT INTO audiosync_rejection (file_path, message_id, rejected_at, source)
                            VALUES (?, ?, ?, ?) ON CONFLICT (file_path, message_id) DO NOTHING
                            """,
                        arguments: [file, messageRowID, UnixClock.now(), source])
                    inserted = db.changesCount == 1
                    return .commit
                }
                return inserted
            }
        }
    }

    public func forgetRejection(file: String, messageRowID: Int64) async throws -> Bool {
        try requireWritable()
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                guard try db.tableExists(JournalSchema.rejectionTable) else { return false }
                var deleted = false
                try db.inTransaction(.immediate) {
                    try db.execute(
                        sql: "DELETE FROM audiosync_rejection WHERE file_path = ? AND message_id = ?",
                        arguments: [file, messageRowID])
                    deleted = db.changesCount > 0
                    return .commit
                }
                return deleted
            }
        }
    }
}
