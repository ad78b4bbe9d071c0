/// A row of `core_whatsappinstance` to insert.
public struct SpecInstance: Sendable, Hashable, Codable {
    public var id: Int64
    /// `instance_id`, unique.
    public var instanceID: String
    /// `cliente_id`.
    public var clientID: Int64

    public init(id: Int64, instanceID: String, clientID: Int64) {
        self.id = id
        self.instanceID = instanceID
        self.clientID = clientID
    }
}
