/// One client's instance: the files of its folder and the messages they may belong to.
///
/// Partitioning is the scope veto: a file is only ever paired with messages of the client whose
/// folder holds it and of the instance whose folder holds it (messages of chats with no instance
/// join every instance of their client). Work and memory stay bounded by one partition.
struct Partition: Sendable {
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
    /// The client has no messages of this instance.
    case unknownInstance
}

enum Partitioner {
    /// Splits files and messages into partitions; files with no partition are returned apart.
    static func partition(
        files: [AudioFile],
        messages: [AudioMessage]
    ) -> (partitions: [Partition], outOfScope: [(file: Int, miss: ScopeMiss)]) {
        var instanceMessages: [ScopeKey: [Int]] = [:]
        var clientWideMessages: [ClientKey: [Int]] = [:]
        var knownClients: Set<ClientKey> = []
        // By index, not by element: iterating copies every message, a dozen retains each.
        for index in messages.indices {
            let client = messages[index].chatKeys.client
            knownClients.insert(client)
            if let instance = messages[index].instanceID {
                instanceMessages[ScopeKey(client: client, instance: instance), default: []].append(index)
            } else {
                clientWideMessages[client, default: []].append(index)
            }
        }
        var partitions: [ScopeKey: Partition] = [:]
        var outOfScope: [(Int, ScopeMiss)] = []
        for (index, file) in files.enumerated() {
            let key = ScopeKey(client: file.keys.client, instance: file.instanceID)
            guard knownClients.contains(key.client) else {
                outOfScope.append((index, .unknownClient))
                continue
            }
            if partitions[key] == nil {
                let own = instanceMessages[key] ?? []
                let shared = clientWideMessages[key.client] ?? []
                guard !own.isEmpty || !shared.isEmpty else {
                    outOfScope.append((index, .unknownInstance))
                    continue
                }
                partitions[key] = Partition(
                    clientKey: key.client,
                    instanceID: key.instance,
                    messages: own + shared
                )
            }
            partitions[key]!.files.append(index)
        }
        // Sorted so runs, reports and tie-breaks do not depend on hashing order.
        let sorted = partitions.values.sorted {
            ($0.clientKey.folded, $0.instanceID) < ($1.clientKey.folded, $1.instanceID)
        }
        return (sorted, outOfScope)
    }
}

struct ScopeKey: Hashable, Sendable {
    let client: ClientKey
    let instance: String
}
