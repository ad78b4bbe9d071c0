/// Which audio messages to read: all, one client's, one instance's, or both restrictions at once.
public struct MessageScope: Sendable, Hashable, Codable {
    /// How the caller names a client.
    public enum Client: Sendable, Hashable, Codable {
        /// `core_cliente.id`.
        case id(Int64)
        /// `core_cliente.nome`, compared after folding accents, case, and spaces with underscores
        /// (`Elizeu_Batiliere_Dos_Santos` names `Elizeu Batiliere dos Santos`), as client folders are named.
        case name(String)
    }

    /// The client, or `nil` for every client.
    public var client: Client?
    /// `core_whatsappinstance.instance_id`, or `nil` for every instance (and chats without one).
    public var instanceID: String?

    public init(client: Client? = nil, instanceID: String? = nil) {
        self.client = client
        self.instanceID = instanceID
    }

    /// Every audio message of the database.
    public static let all = MessageScope()
}
