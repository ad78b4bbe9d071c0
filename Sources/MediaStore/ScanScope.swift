/// Which part of the store a scan walks: everything, one client folder, one instance, or both.
public struct ScanScope: Sendable, Hashable {
    /// Only this client folder (as written on disk), when set.
    public var clientFolder: String?
    /// Only this instance id (without `instance_`), when set.
    public var instanceID: String?

    public init(clientFolder: String? = nil, instanceID: String? = nil) {
        self.clientFolder = clientFolder
        self.instanceID = instanceID
    }

    /// The whole store.
    public static let all = ScanScope()

    func admits(clientFolder folder: String) -> Bool { clientFolder == nil || clientFolder == folder }
    func admits(instanceID id: String) -> Bool { instanceID == nil || instanceID == id }
}
