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
    /// Only these files (relative to the root), when set: their chat folders are walked, and of
    /// their entries only these names are looked at (no `stat` of the others). What a watch's
    /// content batch scans: a few new files in chat folders of thousands.
    public private(set) var files: Set<String>?
    /// ``files`` by the folder that holds them (relative to the root, no trailing slash).
    private(set) var filesByFolder: [String: Set<String>]?

    public init(clientFolder: String? = nil, instanceID: String? = nil, chatFolders: Set<String>? = nil) {
        self.clientFolder = clientFolder
        self.instanceID = instanceID
        self.chatFolders = chatFolders
        folderPrefixes = chatFolders.map(Self.prefixes)
    }

    /// A scope of only these files (relative to the root), for a watch's content batch.
    public init(files: Set<String>) {
        self.init(chatFolders: Set(files.compactMap(Self.chatFolder)))
        self.files = files
        filesByFolder = Self.byFolder(files)
    }

    private static func byFolder(_ files: Set<String>) -> [String: Set<String>] {
        var byFolder: [String: Set<String>] = [:]
        for file in files {
            guard let slash = file.lastIndex(of: "/") else { continue }
            byFolder[String(file[..<slash]), default: []].insert(String(file[file.index(after: slash)...]))
        }
        return byFolder
    }

    /// `Client/instance_ID/chats/Chat` of a file below one (relative to the root); `nil` for a path
    /// not that deep.
    public static func chatFolder(of file: String) -> String? {
        let parts = file.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
        return parts.count == 5 ? parts.prefix(4).joined(separator: "/") : nil
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

    /// Whether a walk of the scope may list the file at `path` (relative to the root): what a run
    /// that scanned only the scope can say is not there.
    public func contains(path: String) -> Bool {
        if clientFolder != nil || instanceID != nil {
            let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, admits(clientFolder: String(parts[0])) else { return false }
            if instanceID != nil {
                guard parts[1].hasPrefix("instance_"),
                    admits(instanceID: String(parts[1].dropFirst("instance_".count)))
                else { return false }
            }
        }
        if let files { return files.contains(path) }
        if let chatFolders {
            return chatFolders.contains { folder in path.hasPrefix(folder) && path.dropFirst(folder.count).first == "/"
            }
        }
        return true
    }
}
