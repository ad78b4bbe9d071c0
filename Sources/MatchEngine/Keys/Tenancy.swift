/// Who owns what: the database's clients and instances, so that a file's folders are matched to a
/// client by identity and never by a spelling that fits two.
///
/// Messages say which client and instance their chat belongs to; a client without audio messages,
/// or an instance whose chats have none, is known only from here. An empty directory (the
/// default) is built from the messages alone.
public struct Tenancy: Sendable, Hashable {
    /// `core_cliente.id` → `core_cliente.nome`.
    public var clients: [Int64: String]
    /// `core_whatsappinstance.instance_id` → the ids of the clients that hold an instance of that id
    /// (one, unless the database repeats an instance id).
    public var instanceOwners: [String: Set<Int64>]

    public init(clients: [Int64: String] = [:], instanceOwners: [String: Set<Int64>] = [:]) {
        self.clients = clients
        self.instanceOwners = instanceOwners
    }

    /// The directory with what `messages` add to it.
    func including(_ messages: [AudioMessage]) -> Tenancy {
        var all = self
        // By index (copying a message retains a dozen strings), and once per chat: its messages share
        // their client and instance, and what they add was added by the first.
        var seenChats: [Int64: (client: Int64, instance: String?)] = [:]
        for index in messages.indices {
            let client = messages[index].clientID
            let instance = messages[index].instanceID
            let chat = messages[index].chatRowID
            if let seen = seenChats[chat], seen.client == client, seen.instance == instance { continue }
            seenChats[chat] = (client, instance)
            if all.clients[client] == nil { all.clients[client] = messages[index].clientName }
            if let instance { all.instanceOwners[instance, default: []].insert(client) }
        }
        return all
    }
}

/// A client folder and instance folder resolved to one client, or why they cannot be.
enum FolderOwner: Hashable, Sendable {
    case client(Int64)
    /// No client's name fits the folder.
    case unknownClient
    /// Several clients fit and nothing tells them apart.
    case ambiguousClient
    /// The instance folder names an instance of another client than the client folder names.
    case instanceOfOtherClient
}

/// Resolves folders to clients: by the instance id when exactly one client holds it, by the exact
/// name otherwise, and by the folded name only when exactly one client folds to it.
struct FolderResolver: Sendable {
    private let instanceOwners: [String: Set<Int64>]
    private let byExactName: [ExactName: Set<Int64>]
    private let byFoldedName: [ClientKey: Set<Int64>]

    init(_ tenancy: Tenancy) {
        instanceOwners = tenancy.instanceOwners
        var exact: [ExactName: Set<Int64>] = [:]
        var folded: [ClientKey: Set<Int64>] = [:]
        for (id, name) in tenancy.clients {
            exact[ExactName(name), default: []].insert(id)
            folded[ClientKey(name), default: []].insert(id)
        }
        byExactName = exact
        byFoldedName = folded
    }

    func owner(clientFolder: String, instanceID: String) -> FolderOwner {
        let exact = byExactName[ExactName(clientFolder)] ?? []
        let folded = byFoldedName[ClientKey(clientFolder)] ?? []
        let owners = instanceOwners[instanceID] ?? []
        // The instance id is an identity: when one client holds it, the folder is that client's,
        // provided the client folder is a spelling of that client's name.
        if owners.count == 1, let owner = owners.first {
            return exact.contains(owner) || folded.contains(owner) ? .client(owner) : .instanceOfOtherClient
        }
        // Several clients hold the instance id: only a name among them can choose.
        let candidates = owners.isEmpty ? nil : owners
        for names in [exact, folded] {
            let fitting = candidates.map { names.intersection($0) } ?? names
            if fitting.count == 1 { return .client(fitting.first!) }
            if fitting.count > 1 { return .ambiguousClient }
            // An exact spelling of a client that does not hold the instance stops the folded
            // look-up: "Joao_Silva" is Joao Silva's folder, never João Silva's.
            if !names.isEmpty { return .instanceOfOtherClient }
        }
        return .unknownClient
    }
}

/// A name as written, with spaces and underscores (and runs of them) taken as one separator; case,
/// accents and everything else kept. Compared as a `String`, so an accent composed (NFC) and
/// decomposed (NFD) are the same name.
struct ExactName: Hashable, Sendable {
    let text: String

    init(_ name: some StringProtocol) {
        var out = ""
        var pendingSeparator = false
        for character in name {
            if character == " " || character == "_" {
                pendingSeparator = !out.isEmpty
            } else {
                if pendingSeparator { out.append("_") }
                pendingSeparator = false
                out.append(character)
            }
        }
        text = out
    }
}
