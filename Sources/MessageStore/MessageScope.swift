/// Which audio messages to read: all, one client's, one instance's, or both restrictions at once;
/// and, for a watch, only those after a row id.
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
    /// Only rows with a larger `core_mensagem.id`, when set: the rows a watch has not read yet.
    public var afterRowID: Int64?

    public init(client: Client? = nil, instanceID: String? = nil, afterRowID: Int64? = nil) {
        self.client = client
        self.instanceID = instanceID
        self.afterRowID = afterRowID
    }

    /// Every audio message of the database.
    public static let all = MessageScope()
}
