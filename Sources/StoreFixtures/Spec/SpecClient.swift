/// A row of `core_cliente` to insert.
public struct SpecClient: Sendable, Hashable, Codable {
    public var id: Int64
    /// `nome`.
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
