import GRDB

/// A plain GRDB connection to the test's SQLite file.
struct SQLiteRawConnection: RawConnection {
    let queue: DatabaseQueue

    init(path: String, busyTimeout: Double = 5) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = false
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    static func arguments(_ values: [RawValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .int(let v): v
                case .text(let v): v
                }
            })
    }

    func execute(_ sql: String, _ arguments: [RawValue]) async throws -> Int {
        try await queue.write { db in
            try db.execute(sql: sql, arguments: Self.arguments(arguments))
            return db.changesCount
        }
    }

    func integer(_ sql: String, _ arguments: [RawValue]) async throws -> Int64? {
        try await queue.read { db in try Int64.fetchOne(db, sql: sql, arguments: Self.arguments(arguments)) }
    }

    func allConteudo() async throws -> [Int64: String?] {
        try await queue.read { db in
            var all: [Int64: String?] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem") {
                all[row[0]] = .some(row[1])
            }
            return all
        }
    }

    func journal() async throws -> [(Int64, String)] {
        try await queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT message_id, new_conteudo FROM audiosync_change WHERE undone_at IS NULL ORDER BY id"
            ).map { ($0[0], $0[1]) }
        }
    }

    func close() async throws {
        try queue.close()
    }
}
