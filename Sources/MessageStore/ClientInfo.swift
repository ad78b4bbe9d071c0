/// One row of `core_cliente`.
public struct ClientInfo: Sendable, Hashable, Codable {
    /// `core_cliente.id`.
    public var id: Int64
    /// `core_cliente.nome`.
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
