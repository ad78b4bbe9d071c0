import MatchEngine

/// Which part of the store a scan walks: everything, one client folder, one instance, or both.
public struct ScanScope: Sendable, Hashable {
    /// Only this client's folder, when set (the folder's name or the client's name).
    public var clientFolder: String?
    /// Only this instance id (without `instance_`), when set.
    public var instanceID: String?

    public init(clientFolder: String? = nil, instanceID: String? = nil) {
        self.clientFolder = clientFolder
        self.instanceID = instanceID
    }

    /// The whole store.
    public static let all = ScanScope()

    /// Folders are the client's name with underscores, accents maybe stripped: compared as
    /// ``MatchEngine/ClientKey``s, so `--client "Elizeu Batilière dos Santos"` finds
    /// `Elizeu_Batiliere_Dos_Santos`.
    func admits(clientFolder folder: String) -> Bool {
        guard let clientFolder else { return true }
        return ClientKey(clientFolder) == ClientKey(folder)
    }
    func admits(instanceID id: String) -> Bool { instanceID == nil || instanceID == id }
}
