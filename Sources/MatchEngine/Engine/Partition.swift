/// One client's instance: the files of its folder and the messages they may belong to.
///
/// Partitioning is the scope veto: a file is only ever paired with messages of the client whose
/// folders hold it (``FolderResolver``: by instance id, exact name, or a folded name only one
/// client has) and of the instance whose folder holds it. Messages of chats with no instance join
/// every instance of their own client, never another's. Work and memory stay bounded by one
/// partition.
struct Partition: Sendable {
    /// `core_cliente.id` of the client.
    let clientID: Int64
    let clientKey: ClientKey
    let instanceID: String
    /// Indices into the run's files.
    var files: [Int] = []
    /// Indices into the run's messages.
    var messages: [Int] = []
}

/// Why a file was not even considered against any message.
enum ScopeMiss: Sendable {
    /// No client of the database has this folder's name.
    case unknownClient
    /// Several clients fit the folders and nothing tells them apart.
    case ambiguousClient
    /// The instance folder is another client's than the client folder.
    case instanceOfOtherClient
    /// The client has no messages of this instance.
    case unknownInstance

    var reason: MatchPlan.UnmatchedReason {
        switch self {
        case .unknownClient: .unknownClient
        case .ambiguousClient: .ambiguousClient
        case .instanceOfOtherClient: .instanceOfOtherClient
        case .unknownInstance: .unknownInstance
        }
    }
}

enum Partitioner {
    /// Splits files and messages into partitions; files with no partition are returned apart.
    static func partition(
        files: [AudioFile],
        messages: [AudioMessage],
        tenancy: Tenancy = Tenancy()
    ) -> (partitions: [Partition], outOfScope: [(file: Int, miss: ScopeMiss)]) {
        var instanceMessages: [ScopeKey: [Int]] = [:]
        var clientWideMessages: [Int64: [Int]] = [:]
        // By index, not by element: iterating copies every message, a dozen retains each. The
        // messages of a chat share their client and instance, so the list they go to is looked up
        // once per chat by its row id, not by hashing the instance's name for each of a million
        // messages; a message whose chat row says otherwise (examples) takes the long way.
        var lists: [[Int]] = []
        var listOfKey: [ScopeKey: Int] = [:]
        var listOfChat: [Int64: (client: Int64, instance: String, list: Int)] = [:]
        for index in messages.indices {
            let client = messages[index].clientID
            guard let instance = messages[index].instanceID else {
                clientWideMessages[client, default: []].append(index)
                continue
            }
            let chat = messages[index].chatRowID
            if let known = listOfChat[chat], known.client == client, known.instance == instance {
                lists[known.list].append(index)
                continue
            }
            let key = ScopeKey(client: client, instance: instance)
            let list =
                listOfKey[key]
                ?? {
                    lists.append([])
                    listOfKey[key] = lists.count - 1
                    return lists.count - 1
                }()
            listOfChat[chat] = (client, instance, list)
            lists[list].append(index)
        }
        for (key, list) in listOfKey { instanceMessages[key] = lists[list] }
        let resolver = FolderResolver(tenancy.including(messages))
        var owners: [FolderPair: FolderOwner] = [:]
        var partitions: [Partition] = []
        var partitionOfKey: [ScopeKey: Int] = [:]
        var outOfScope: [(Int, ScopeMiss)] = []
        /// Where the files of one pair of folders go: decided by the first of them.
        enum Placement {
            case partition(Int)
            case outOfScope(ScopeMiss)
        }
        func place(clientFolder: String, instanceID: String) -> Placement {
            let folders = FolderPair(client: clientFolder, instance: instanceID)
            let owner =
                owners[folders]
                ?? {
                    let owner = resolver.owner(clientFolder: clientFolder, instanceID: instanceID)
                    owners[folders] = owner
                    return owner
                }()
            let client: Int64
            switch owner {
            case .client(let id): client = id
            case .unknownClient: return .outOfScope(.unknownClient)
            case .ambiguousClient: return .outOfScope(.ambiguousClient)
            case .instanceOfOtherClient: return .outOfScope(.instanceOfOtherClient)
            }
            let key = ScopeKey(client: client, instance: instanceID)
            if let known = partitionOfKey[key] { return .partition(known) }
            let own = instanceMessages[key] ?? []
            let shared = clientWideMessages[client] ?? []
            guard !own.isEmpty || !shared.isEmpty else { return .outOfScope(.unknownInstance) }
            partitions.append(
                Partition(
                    clientID: client,
                    clientKey: messages[(own.first ?? shared[0])].chatKeys.client,
                    instanceID: key.instance,
                    messages: own + shared
                ))
            partitionOfKey[key] = partitions.count - 1
            return .partition(partitions.count - 1)
        }
        // By index, and placed once per run of files in the same folders (the scan lists them by
        // path): iterating copied every file, and each one hashed its two folder names three
        // times, 0.3 s on one core at 300,000 files.
        var last: (clientFolder: String, instanceID: String, placement: Placement)?
        for index in files.indices {
            let clientFolder = files[index].clientFolder
            let instanceID = files[index].instanceID
            let placement: Placement
            if let last, last.clientFolder == clientFolder, last.instanceID == instanceID {
                placement = last.placement
            } else {
                placement = place(clientFolder: clientFolder, instanceID: instanceID)
                last = (clientFolder, instanceID, placement)
            }
            switch placement {
            case .partition(let position): partitions[position].files.append(index)
            case .outOfScope(let miss): outOfScope.append((index, miss))
            }
        }
        // Sorted so runs, reports and tie-breaks do not depend on hashing order.
        let sorted = partitions.sorted {
            ($0.clientKey.folded, $0.clientID, $0.instanceID) < ($1.clientKey.folded, $1.clientID, $1.instanceID)
        }
        return (sorted, outOfScope)
    }
}

struct ScopeKey: Hashable, Sendable {
    let client: Int64
    let instance: String
}

/// A file's client and instance folders as written.
private struct FolderPair: Hashable {
    let client: String
    let instance: String
}
