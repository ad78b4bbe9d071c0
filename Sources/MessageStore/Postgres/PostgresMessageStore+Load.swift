import PostgresNIO

extension PostgresMessageStore {
    public func loadAudioMessages(scope: MessageScope) async throws -> MessageLoad {
        let resolved = try await resolve(scope)
        return try await session.exclusive {
            // One snapshot for the chats and the messages, so a chat the CRM adds meanwhile is not
            // reported missing. Reads never block writers in PostgreSQL, so the length does not matter.
            try await session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try await load(resolved)
            }
        }
    }

    public func audioRowsFingerprint(scope: MessageScope, sumThrough: Int64?) async throws
        -> AudioRowsFingerprint
    {
        let resolved = try await resolve(scope)
        return try await session.exclusive {
            try await session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try await fingerprint(resolved, sumThrough: sumThrough)
            }
        }
    }

    /// The server hashes each row (MD5 of every column the load reads, quoted so `NULL` and `''`
    /// differ) and sums the hashes' first 64 bits: a few bytes cross the network, not the rows.
    ///
    /// With `sumThrough`, the rows up to that id are summed apart (``RowsSum``), modulo 2⁶⁴ as the
    /// server's numeric sum allows: one 64-bit value, wrapping as SQLite's does.
    private func fingerprint(_ resolved: ResolvedScope, sumThrough: Int64?) async throws -> AudioRowsFingerprint {
        let (condition, binds) = audioRowsCondition(resolved)
        let columns = ["m.id", "m.chat_id", "m.message_id", "m.remetente", "m.data_envio", "m.from_me", "m.conteudo"]
            .map { "quote_nullable(\($0))" }.joined(separator: ", ")
        let hash = "('x' || substr(md5(concat_ws(',', \(columns))), 1, 16))::bit(64)::int8::numeric"
        // A literal, not a bind: the condition's binds are numbered already. An Int64 is safe to print.
        let through = sumThrough ?? Int64.max
        let sql = """
            SELECT count(*)::int8, COALESCE(max(r.id), 0)::int8, COALESCE(sum(r.hash), 0)::text,
              count(*) FILTER (WHERE r.id <= \(through))::int8,
              (((COALESCE(sum(r.hash) FILTER (WHERE r.id <= \(through)), 0) % 18446744073709551616)
                + 18446744073709551616) % 18446744073709551616)::text
            FROM (SELECT m.id, \(hash) AS hash FROM core_mensagem m WHERE \(condition)) r
            """
        var rows = 0
        var highest: Int64 = 0
        var sum = "0"
        var summedRows = 0
        var summed = "0"
        for row in try await session.rows(sql, binds) {
            (rows, highest, sum, summedRows, summed) = try row.decode((Int, Int64, String, Int, String).self)
        }
        var digest = RowDigest()
        digest.add(sum)
        digest.endRow()
        let chats = try await fetchChats(scope: resolved)
        digest.add(chats: chats)
        return AudioRowsFingerprint(
            rows: rows, highestRowID: highest, digest: digest.hex,
            sum: sumThrough.map { RowsSum(rows: summedRows, sum: UInt64(summed) ?? 0, through: $0) },
            chats: AudioRowsFingerprint.hashes(of: chats))
    }

    /// The rows a load reads and its fingerprint hashes: audio rows of the scope's chats.
    private func audioRowsCondition(_ resolved: ResolvedScope) -> (sql: String, binds: PostgresBindings) {
        var conditions = ["m.tipo = 'audio'"]
        let chatCondition = resolved.chatCondition(prefix: "", placeholder: { "$\($0)" })
        if let chatCondition { conditions.append("m.chat_id IN (SELECT id FROM core_chat WHERE \(chatCondition.sql))") }
        var values = chatCondition?.values ?? []
        if let after = resolved.afterRowID {
            values.append(after)
            conditions.append("m.id > $\(values.count)")
        }
        return (conditions.joined(separator: " AND "), PostgresBindings(values))
    }

    private func load(_ resolved: ResolvedScope) async throws -> MessageLoad {
        let chats = try await fetchChats(scope: resolved)
        let (condition, binds) = audioRowsCondition(resolved)
        // The time comes as whole Unix seconds from a timestamp column, or as text to parse like SQLite's.
        let time =
            columns.dataEnvioIsText
            ? "NULL::int8, m.data_envio::text" : "floor(extract(epoch FROM m.data_envio))::int8, NULL::text"
        let sql = """
            SELECT m.id::int8, m.chat_id::int8, m.message_id::text, m.remetente::text, \(time),
              COALESCE(m.from_me::text IN ('true', 't', '1'), false), m.conteudo::text
            FROM core_mensagem m WHERE \(condition) ORDER BY m.id
            """
        var assembler = AudioRowAssembler()
        // Rows stream in with back-pressure; `conteudo` is scanned in the driver's buffer.
        let rows = try await session.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await row in rows {
            let (rowID, chatRowID, messageID, sender, seconds, text, fromMe, conteudo) = try row.decode(
                (Int64, Int64, String?, String?, Int64?, String?, Bool, ByteBuffer?).self)
            let insertTime = seconds ?? text.flatMap(DataEnvio.unixSeconds)
            let chat = chats[chatRowID]
            if let conteudo {
                conteudo.withUnsafeReadableBytes { raw in
                    assembler.add(
                        rowID: rowID, chat: chat, conteudo: raw.assumingMemoryBound(to: UInt8.self),
                        insertTime: insertTime, fromMe: fromMe, messageID: { messageID }, sender: { sender })
                }
            } else {
                assembler.add(
                    rowID: rowID, chat: chat, conteudo: nil, insertTime: insertTime, fromMe: fromMe,
                    messageID: { messageID }, sender: { sender })
            }
        }
        return assembler.finish()
    }

    /// The chats of the scope, with their client and instance.
    func fetchChats(scope: ResolvedScope) async throws -> [Int64: ChatInfo] {
        let condition = scope.chatCondition(prefix: "c.", placeholder: { "$\($0)" })
        let sql = """
            SELECT c.id::int8, c.chat_id::text, c.cliente_id::int8, cl.nome::text, i.instance_id::text
            FROM core_chat c
            JOIN core_cliente cl ON cl.id = c.cliente_id
            LEFT JOIN core_whatsappinstance i ON i.id = c.instance_id
            """ + (condition.map { " WHERE " + $0.sql } ?? "")
        var chats: [Int64: ChatInfo] = [:]
        for row in try await session.rows(sql, PostgresBindings(condition?.values ?? [])) {
            let (id, chatID, client, name, instance) = try row.decode((Int64, String?, Int64, String?, String?).self)
            chats[id] = ChatInfo(
                chatRowID: id, chatID: chatID ?? "", clientID: client, clientName: name ?? "", instanceID: instance)
        }
        return chats
    }
}
