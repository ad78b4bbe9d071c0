public import Logging
import MessageStore
import PostgresNIO

/// Creates and fills PostgreSQL databases with the spec's tables (see ``SpecDatabaseWriter``).
///
/// Rows are streamed with `COPY … FROM STDIN` (text format), one transaction per call.
public final class PostgresSpecWriter: SpecDatabaseWriter {
    let session: PostgresSession

    /// Connects to an existing database that has (or will get) the spec's tables.
    public init(url: String, logger: Logger) async throws {
        session = try await PostgresSession.connect(
            try PostgresLocation(url: url), options: MessageStoreOptions(), logger: logger)
    }

    /// Creates the spec's tables in the (empty) database at `url`, with `conteudo` as `jsonb` when asked.
    public static func create(url: String, jsonbConteudo: Bool = false, logger: Logger) async throws
        -> PostgresSpecWriter
    {
        let writer = try await PostgresSpecWriter(url: url, logger: logger)
        try await writer.session.exclusive {
            try await writer.session.transaction {
                for statement in SpecSchema.postgres(jsonbConteudo: jsonbConteudo) {
                    try await writer.session.execute(statement)
                }
            }
        }
        return writer
    }

    public func insert(clients: [SpecClient]) async throws {
        try await copy("core_cliente", ["id", "nome"], clients) { [String($0.id), $0.name] }
    }

    public func insert(instances: [SpecInstance]) async throws {
        try await copy("core_whatsappinstance", ["id", "instance_id", "cliente_id"], instances) {
            [String($0.id), $0.instanceID, String($0.clientID)]
        }
    }

    public func insert(chats: [SpecChat]) async throws {
        try await copy("core_chat", ["id", "chat_id", "chat_name", "cliente_id", "instance_id"], chats) {
            [String($0.id), $0.chatID, $0.chatName, String($0.clientID), $0.instanceRowID.map(String.init)]
        }
    }

    public func insert(messages: [SpecMessage]) async throws {
        // `data_envio` text is read in the session's zone, UTC: the spec's meaning.
        try await copy(
            "core_mensagem", ["id", "chat_id", "message_id", "remetente", "tipo", "conteudo", "data_envio", "from_me"],
            messages
        ) {
            [
                String($0.id), String($0.chatRowID), $0.messageID, $0.sender, $0.kind, $0.conteudo, $0.dataEnvio,
                $0.fromMe ? "true" : "false",
            ]
        }
    }

    public func close() async throws {
        try await session.close()
    }

    deinit {
        session.closeWhenDropped()
    }

    private func copy<Row>(_ table: String, _ columns: [String], _ rows: [Row], _ fields: (Row) -> [String?])
        async throws
    {
        guard !rows.isEmpty else { return }
        try await session.exclusive {
            try await session.transaction {
                try await session.connection.copyFrom(table: table, columns: columns, logger: session.logger) {
                    writer in
                    var buffer = ByteBuffer()
                    for row in rows {
                        PostgresSpecWriter.appendLine(fields(row), to: &buffer)
                        if buffer.readableBytes > 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }
    }

    /// One line of `COPY` text format: tab-separated, `\N` for `NULL`, and backslash, tab, newline and
    /// carriage return escaped (PostgreSQL's documented rules for that format).
    static func appendLine(_ fields: [String?], to buffer: inout ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.writeStaticString("\\N")
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}
