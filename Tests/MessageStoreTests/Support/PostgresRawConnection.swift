import Foundation
import Logging
import MessageStore
import PostgresNIO
import StoreFixtures

/// A plain postgres-nio connection to the test's database.
struct PostgresRawConnection: RawConnection {
    let connection: PostgresConnection
    let logger = Logger(label: "audiosync.MessageStoreTests.raw")

    init(url: String) async throws {
        let components = URLComponents(string: url)!
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "localhost", port: components.port ?? 5432, username: components.user ?? "",
            password: components.password, database: String(components.path.dropFirst()), tls: .disable)
        connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: logger)
        try await connection.query("SET TIME ZONE 'UTC'", logger: logger)
    }

    /// `?` placeholders become `$1`, `$2`, … (the test SQL has no `?` inside literals).
    static func query(_ sql: String, _ values: [RawValue]) -> PostgresQuery {
        var text = ""
        var index = 0
        for c in sql {
            if c == "?" {
                index += 1
                text += "$\(index)"
            } else {
                text.append(c)
            }
        }
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case .int(let v): binds.append(v)
            case .text(let v):
                if let v { binds.append(v) } else { binds.appendNull() }
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }

    func execute(_ sql: String, _ arguments: [RawValue]) async throws -> Int {
        // RETURNING-less statements report no rows; the command tag would, but postgres-nio hides it, so
        // the tests that need a count ask for it with RETURNING.
        let rows = try await connection.query(Self.query(sql, arguments), logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    func integer(_ sql: String, _ arguments: [RawValue]) async throws -> Int64? {
        let rows = try await connection.query(Self.query(sql, arguments), logger: logger).collect()
        return try rows.first?.decode(Int64?.self)
    }

    func allConteudo() async throws -> [Int64: String?] {
        var all: [Int64: String?] = [:]
        let rows = try await connection.query("SELECT id::int8, conteudo::text FROM core_mensagem", logger: logger)
        for try await row in rows {
            let (id, text) = try row.decode((Int64, String?).self)
            all[id] = .some(text)
        }
        return all
    }

    func journal() async throws -> [(Int64, String)] {
        var all: [(Int64, String)] = []
        let rows = try await connection.query(
            "SELECT message_id::int8, new_conteudo FROM audiosync_change WHERE undone_at IS NULL ORDER BY id",
            logger: logger)
        for try await row in rows { all.append(try row.decode((Int64, String).self)) }
        return all
    }

    /// Every table of the public schema with all its rows as text, in a stable order.
    func snapshot() async throws -> [String] {
        var lines: [String] = []
        let tables = try await connection.query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", logger: logger
        ).collect()
        for table in tables {
            let name = try table.decode(String.self)
            lines.append("table \(name)")
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT t::text FROM \(name) t ORDER BY 1"), logger: logger)
            for try await row in rows { lines.append(try row.decode(String.self)) }
        }
        return lines
    }

    func close() async throws {
        try await connection.close()
    }
}

/// Keeps a dropped connection alive until it is closed (postgres-nio asserts on the other order).
final class RawConnectionCloser: Sendable {
    let connection: PostgresConnection
    init(_ connection: PostgresConnection) { self.connection = connection }
    deinit {
        let connection = self.connection
        Task { try? await connection.close() }
    }
}

/// Makes and drops one database per test on the server of `AUDIOSYNC_TEST_POSTGRES_URL`.
enum PostgresTestServer {
    static func makeDatabase(server: String, jsonb: Bool, fixture: Bool, backend: Backend) async throws
        -> TestDatabase
    {
        let name = "audiosync_t_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let admin = try await PostgresRawConnection(url: server)
        try await admin.execute("CREATE DATABASE \(name)")
        try await admin.close()
        var components = URLComponents(string: server)!
        components.path = "/\(name)"
        let url = components.string!
        let writer = try await PostgresSpecWriter.create(url: url, jsonbConteudo: jsonb, logger: TestDatabase.logger)
        if fixture { try await Fixture.fill(writer, backend: backend) }
        try await writer.close()
        let raw = try await PostgresRawConnection(url: url)
        return TestDatabase(backend: backend, location: url, raw: raw, path: nil) {
            try await raw.close()
            let admin = try await PostgresRawConnection(url: server)
            try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try await admin.close()
        }
    }
}
