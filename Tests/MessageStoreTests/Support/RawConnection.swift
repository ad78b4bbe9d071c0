/// A value bound into a test's own SQL.
enum RawValue: Sendable {
    case int(Int64)
    case text(String?)
}

/// A second connection of the test's own, playing the CRM: it reads rows to check them and writes
/// behind the store's back. SQL is written with `?` placeholders for both backends.
protocol RawConnection: Sendable {
    /// Runs a statement; returns the number of rows changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [RawValue]) async throws -> Int
    /// A single integer (`SELECT count(*) …`).
    func integer(_ sql: String, _ arguments: [RawValue]) async throws -> Int64?
    /// `conteudo` of every row of `core_mensagem`, as text.
    func allConteudo() async throws -> [Int64: String?]
    /// `(message_id, new_conteudo)` of the journal's changes not undone, oldest first.
    func journal() async throws -> [(Int64, String)]
    func close() async throws
}

extension RawConnection {
    @discardableResult
    func execute(_ sql: String) async throws -> Int { try await execute(sql, []) }

    func integer(_ sql: String) async throws -> Int64? { try await integer(sql, []) }

    func conteudo(_ row: Int64) async throws -> String? {
        try await allConteudo()[row] ?? nil
    }
}
