import Foundation
public import Logging
public import MatchEngine
import MessageStore

/// `audiosync clients`: the clients and instances of the database, with the folders of the media
/// store that are theirs, so that `--client` and `--instance` can be given any of their names.
public struct ClientsReport: Sendable, Encodable {
    public struct Client: Sendable, Encodable {
        /// `core_cliente.id` and `nome`.
        public var id: Int64
        public var name: String
        /// The folder spelling of the name (what a CRM names the client's folder).
        public var folder: String
        /// Folders of the media root that are this client's (accents, case and underscores
        /// aside); `null` without a media root.
        @Nullable public var foldersFound: [String]?
        public var instances: [Instance]
    }

    public struct Instance: Sendable, Encodable {
        /// `core_whatsappinstance.instance_id`, and its folder `instance_<id>`.
        public var instanceID: String
        public var folder: String
        /// Whether some folder of the client has it; `null` without a media root.
        @Nullable public var found: Bool?

        enum CodingKeys: String, CodingKey {
            case instanceID = "instance_id"
            case folder, found
        }
    }

    public var schemaVersion = 1
    public var database: String
    @Nullable public var mediaRoot: String?
    public var clients: [Client]
    /// Client folders of the media root that are no client's; `null` without a media root.
    @Nullable public var unknownFolders: [String]?

    /// Reads the clients and instances, and matches them to the media root's folders when one is given.
    public static func read(_ database: DatabaseLocation, mediaRoot: String?, logger: Logger) async throws
        -> ClientsReport
    {
        let (clients, instances) = try await database.withStore(logger: logger) { store in
            (try await store.clients(), try await store.instances())
        }
        let folders = try mediaRoot.map(Self.folders(in:))
        var claimed: Set<String> = []
        let rows = clients.sorted { $0.id < $1.id }.map { client -> Client in
            let found = folders.map { map in map.keys.filter { ClientKey($0) == ClientKey(client.name) }.sorted() }
            claimed.formUnion(found ?? [])
            let instanceFolders = Set((found ?? []).flatMap { folders?[$0] ?? [] })
            return Client(
                id: client.id, name: client.name,
                folder: client.name.split(whereSeparator: \.isWhitespace).joined(separator: "_"),
                foldersFound: found,
                instances: instances.filter { $0.clientID == client.id }.sorted { $0.instanceID < $1.instanceID }.map {
                    Instance(
                        instanceID: $0.instanceID, folder: "instance_\($0.instanceID)",
                        found: folders == nil ? nil : instanceFolders.contains("instance_\($0.instanceID)"))
                })
        }
        return ClientsReport(
            database: displayDatabaseLocation(database.database), mediaRoot: mediaRoot, clients: rows,
            unknownFolders: folders.map { $0.keys.filter { !claimed.contains($0) }.sorted() })
    }

    /// The media root's client folders and the `instance_*` folders in each.
    private static func folders(in root: String) throws -> [String: [String]] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw SyncError.notFound(
                "media root not found: \(root): check --media-root (or media_root in audiosync.yml)")
        }
        var result: [String: [String]] = [:]
        for name in try manager.contentsOfDirectory(atPath: root) where !name.hasPrefix(".") {
            let path = root + "/" + name
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            result[name] = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("instance_") }
        }
        return result
    }

    /// The text people read.
    public var text: String {
        var lines = ["audiosync clients — \(database)"]
        if clients.isEmpty { lines.append("  no client in core_cliente") }
        for client in clients {
            var line = "  client \(client.id)  \(client.name)  folder \(client.folder)"
            if let found = client.foldersFound {
                line +=
                    found.isEmpty
                    ? "  (no such folder in the media root)"
                    : found == [client.folder] ? "" : "  (found: \(found.joined(separator: ", ")))"
            }
            lines.append(line)
            for instance in client.instances {
                let missing = instance.found == false ? "  (no such folder)" : ""
                lines.append("    instance \(instance.instanceID)  folder \(instance.folder)\(missing)")
            }
        }
        if let unknownFolders, !unknownFolders.isEmpty {
            lines.append("")
            lines.append("folders of the media root that are no client's: " + unknownFolders.joined(separator: ", "))
        }
        lines.append("")
        lines.append("--client takes an id, a name or a folder; --instance an instance id or its folder.")
        return lines.joined(separator: "\n")
    }
}
