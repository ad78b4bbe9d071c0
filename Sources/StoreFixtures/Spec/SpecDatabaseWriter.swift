/// Fills a database that has the spec's tables, fast: the synthetic store generator inserts a million
/// messages through it. Each call is one transaction; give a few tens of thousands of rows per call.
public protocol SpecDatabaseWriter: Sendable {
    func insert(clients: [SpecClient]) async throws
    func insert(instances: [SpecInstance]) async throws
    func insert(chats: [SpecChat]) async throws
    func insert(messages: [SpecMessage]) async throws
    func close() async throws
}
