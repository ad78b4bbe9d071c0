public import Logging
public import MediaStore
public import MessageStore

/// The CRM database a command reads or writes: where it is, how to connect, and which part of it
/// (`--client`, `--instance`). The client is named here because only the database can turn a
/// client id into the folder the scan walks.
public struct DatabaseLocation: Sendable {
    /// A SQLite path or a `postgres://` URL.
    public var database: String
    /// Connection settings (busy timeout, batch size).
    public var options: MessageStoreOptions
    /// `--client NAME|ID`.
    public var client: String?
    /// `--instance ID` (or its folder, `instance_ID`).
    public var instance: String? { didSet { instance = instance.map(Self.instanceID(_:)) } }

    public init(
        database: String, options: MessageStoreOptions = MessageStoreOptions(), client: String? = nil,
        instance: String? = nil
    ) {
        self.database = database
        self.options = options
        self.client = client
        self.instance = instance.map(Self.instanceID(_:))
    }

    /// An instance as people give it: its id, or its folder's name (`instance_<id>`).
    public static func instanceID(_ given: String) -> String {
        given.hasPrefix("instance_") ? String(given.dropFirst("instance_".count)) : given
    }

    /// The message store's scope for `--client` and `--instance`.
    public var messageScope: MessageScope {
        MessageScope(
            client: client.map { Int64($0).map(MessageScope.Client.id) ?? .name($0) },
            instanceID: instance
        )
    }

    /// Opens the store, runs `body` on it, and closes it whether `body` throws or not.
    func withStore<Value>(logger: Logger, _ body: (any MessageDatabase) async throws -> Value) async throws -> Value {
        let store = try await openMessageStore(location: database, options: options, logger: logger)
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The scan's scope for `--client` and `--instance`, opening the store to look the client up.
    public func scanScope(logger: Logger) async throws -> ScanScope {
        try await withStore(logger: logger) { store in try await scanScope(in: store) }
    }

    /// The scan's scope for `--client` and `--instance`: the client's folder is its name, as the
    /// database holds it, in the folder spelling.
    func scanScope(in store: any MessageDatabase) async throws -> ScanScope {
        var scope = ScanScope(instanceID: instance)
        guard let client else { return scope }
        if let id = Int64(client) {
            guard let info = try await store.clients().first(where: { $0.id == id }) else {
                throw MessageStoreError.unknownClient(client)
            }
            scope.clientFolder = info.name
        } else {
            scope.clientFolder = client
        }
        return scope
    }
}
