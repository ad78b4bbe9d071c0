/// One row of `core_whatsappinstance`.
public struct InstanceInfo: Sendable, Hashable, Codable {
    /// `core_whatsappinstance.id`.
    public var rowID: Int64
    /// `core_whatsappinstance.instance_id`, the id in `instance_<id>` folders.
    public var instanceID: String
    /// `core_whatsappinstance.cliente_id`.
    public var clientID: Int64

    public init(rowID: Int64, instanceID: String, clientID: Int64) {
        self.rowID = rowID
        self.instanceID = instanceID
        self.clientID = clientID
    }
}
