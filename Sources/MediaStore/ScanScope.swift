import MatchEngine

/// Which part of the store a scan walks: everything, one client folder, one instance, or both; or
/// a few chat folders.
public struct ScanScope: Sendable, Hashable {
    /// Only this client's folder, when set (the folder's name or the client's name).
    public var clientFolder: String?
    /// Only this instance id (without `instance_`), when set.
    public var instanceID: String?
    /// Only these chat folders (`Client/instance_ID/chats/Chat`, relative to the root), when set:
    /// the folders of the files a watch's content batch takes. Each folder on the way to one, and
    /// the folders below one, are walked; nothing else.
    public var chatFolders: Set<String>? {
        didSet { folderPrefixes = chatFolders.map(Self.prefixes) }
    }
    /// Every path a walk of ``chatFolders`` may enter down to the chat folders themselves.
    private var folderPrefixes: Set<String>?

    public init(clientFolder: String? = nil, instanceID: String? = nil, chatFolders: Set<String>? = nil) {
        self.clientFolder = clientFolder
        self.instanceID = instanceID
        self.chatFolders = chatFolders
        folderPrefixes = chatFolders.map(Self.prefixes)
    }

    private static func prefixes(of folders: Set<String>) -> Set<String> {
        var prefixes = Set<String>()
        for folder in folders {
            let parts = folder.split(separator: "/", omittingEmptySubsequences: false)
            for end in 1...parts.count { prefixes.insert(parts[..<end].joined(separator: "/")) }
        }
        return prefixes
    }

    /// Whether a folder at `path` (relative to the root, `depth` names deep, from 1) is on the way
    /// to one of ``chatFolders``, or in one.
    func admits(folderPath path: @autoclosure () -> String, depth: Int) -> Bool {
        guard let folderPrefixes, depth <= 4 else { return true }
        return folderPrefixes.contains(path())
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
