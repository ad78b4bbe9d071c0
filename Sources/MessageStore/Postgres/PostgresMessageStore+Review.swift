import MatchEngine
import PostgresNIO

extension PostgresMessageStore {
    public func messageLink(ofRow rowID: Int64, scope: MessageScope) async throws -> MessageLinkRecord? {
        let resolved = try await resolve(scope)
        return try await session.exclusive {
            var sql = "SELECT m.tipo::text, m.conteudo::text FROM core_mensagem m"
            var values: [Int64] = []
            if let condition = resolved.chatCondition(prefix: "c.", placeholder: { "$\($0)" }) {
                sql += " JOIN core_chat c ON c.id = m.chat_id AND " + condition.sql
                values = condition.values
            }
            values.append(rowID)
            let rows = try await session.rows(sql + " WHERE m.id = $\(values.count)", PostgresBindings(values))
            guard let row = rows.first else { return nil }
            let (kind, conteudo) = try row.decode((String?, String?).self)
            return MessageLinkRecord(rowID: rowID, kind: kind, conteudo: conteudo)
        }
    }

    /// Whether the rejection table exists; reads ask before touching it.
    private func hasRejections() async throws -> Bool {
        let row = try await session.rows("SELECT to_regclass('\(JournalSchema.rejectionTable)') IS NOT NULL")
        return try row.first?.decode(Bool.self) ?? false
    }

    public func rejections() async throws -> [RejectionRecord] {
        try await session.exclusive {
            guard try await hasRejections() else { return [] }
            return try await session.rows(
                "SELECT file_path, message_id::int8, rejected_at::int8, source FROM audiosync_rejection ORDER BY id"
            ).map {
                let (file, message, at, source) = try $0.decode((String, Int64, Int64, String).self)
                return RejectionRecord(file: file, messageRowID: message, rejectedAt: at, source: source)
            }
        }
    }

    public func recordRejection(file: String, messageRowID: Int64, source: String) async throws -> Bool {
        try await session.exclusive {
            try await migrateJournal()
            let inserted = try await session.execute(
                """
                INSERT INTO audiosync_rejection (file_path, message_id, rejected_at, source) VALUES ($1, $2, $3, $4)
                ON CONFLICT (file_path, message_id) DO NOTHING RETURNING id
                """,
                PostgresBindings([file, messageRowID, UnixClock.now(), source]))
            return inserted == 1
        }
    }

    public func forgetRejection(file: String, messageRowID: Int64) async throws -> Bool {
        try await session.exclusive {
            guard try await hasRejections() else { return false }
            let deleted = try await session.execute(
                "DELETE FROM audiosync_rejection WHERE file_path = $1 AND message_id = $2 RETURNING id",
                PostgresBindings([file, messageRowID]))
            return deleted > 0
        }
    }
}
