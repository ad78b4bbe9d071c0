/// Which files are worth hashing: reading every byte of a store is the slowest thing a sync can
/// do, so a file is hashed only when some use for its SHA-256 is in reach.
///
/// - a message of its conversation (same chat, or any chat of its partition when the profile
///   allows cross-chat links) declares `fileSha256`, and its `fileLength` is absent or equals the
///   file's size (a different size already tells the files apart);
/// - another file of its chat has the same size: it may be a byte-identical re-download (named
///   alike or not), which only the bytes can prove;
/// - a message anywhere in its client declares its size as `fileLength` (the own-number folder
///   and sender folders hold notes of other chats).
public enum ContentHashDemand {
    /// Indices into `files` of the files to hash, ascending.
    public static func files(
        _ files: [AudioFile],
        messages: [AudioMessage],
        allowCrossChat: Bool = false
    ) -> [Int] {
        struct Declared {
            var sizes: Set<Int64> = []
            var anySize = false
        }
        // Declared hashes by (client, chat); group messages also under their sender's folder. Each
        // key has a slot, found once per chat row (not by hashing two names for each of a million
        // messages); a message whose chat row holds other keys (examples) looks its slot up anew.
        var declaredSlots: [Declared] = []
        var slotOfChat: [ScopedChat: Int] = [:]
        var clientSlots: [Declared] = []
        var slotOfClient: [ClientKey: Int] = [:]
        var slotsOfChatRow: [Int64: (keys: ChatKeys, chat: Int, client: Int)] = [:]
        func slot<Key: Hashable>(_ key: Key, in slots: inout [Declared], _ slotOf: inout [Key: Int]) -> Int {
            if let slot = slotOf[key] { return slot }
            slots.append(Declared())
            slotOf[key] = slots.count - 1
            return slots.count - 1
        }
        func declare(_ length: Int64?, in declared: inout Declared) {
            if let length { declared.sizes.insert(length) } else { declared.anySize = true }
        }
        for index in messages.indices where messages[index].fileSHA256 != nil {
            let chatKeys = messages[index].chatKeys
            let fileLength = messages[index].fileLength
            let row = messages[index].chatRowID
            let slots: (chat: Int, client: Int)
            if let known = slotsOfChatRow[row], known.keys == chatKeys {
                slots = (known.chat, known.client)
            } else {
                let chat = ScopedChat(client: chatKeys.client, chat: ChatKey(canonical: chatKeys.canonical))
                slots = (
                    slot(chat, in: &declaredSlots, &slotOfChat),
                    slot(chatKeys.client, in: &clientSlots, &slotOfClient)
                )
                slotsOfChatRow[row] = (chatKeys, slots.chat, slots.client)
            }
            declare(fileLength, in: &declaredSlots[slots.chat])
            if chatKeys.isGroup, let sender = messages[index].senderKey {
                let key = ScopedChat(client: chatKeys.client, chat: ChatKey(canonical: sender))
                declare(fileLength, in: &declaredSlots[slot(key, in: &declaredSlots, &slotOfChat)])
            }
            declare(fileLength, in: &clientSlots[slots.client])
        }
        // The files of one chat folder come one after another (the scan lists them by path), and
        // they share their keys: each run of files with the same keys looks its chat and client
        // up once, and the files count their sizes by the chat's number. Hashing the two names for
        // each of 300,000 files, twice, took about a quarter of a second on one core (`perf`) while
        // the other idled.
        struct Run {
            var client: ClientKey
            var canonical: String
            var chat: Int
        }
        var chatOfFile = [Int](repeating: -1, count: files.count)
        var chatNumber: [ScopedChat: Int] = [:]
        var chats: [(reach: Declared?, client: Declared?)] = []
        var run: Run?
        // By index, here and below: a copy of a file is a dozen retains.
        for index in files.indices where files[index].isUsableAudio {
            let keys = files[index].keys
            if let current = run, current.client == keys.client, current.canonical == keys.canonical {
                chatOfFile[index] = current.chat
                continue
            }
            let client = keys.client
            let scoped = ScopedChat(client: client, chat: ChatKey(canonical: keys.canonical))
            let chat: Int
            if let known = chatNumber[scoped] {
                chat = known
            } else {
                chat = chats.count
                chatNumber[scoped] = chat
                let clientSlot = slotOfClient[client].map { clientSlots[$0] }
                let reach = allowCrossChat ? clientSlot : slotOfChat[scoped].map { declaredSlots[$0] }
                chats.append((reach, clientSlot))
            }
            chatOfFile[index] = chat
            run = Run(client: client, canonical: keys.canonical, chat: chat)
        }
        var siblings: [SizeInChat: Int] = [:]
        siblings.reserveCapacity(files.count)
        for index in files.indices where chatOfFile[index] >= 0 {
            siblings[SizeInChat(chat: chatOfFile[index], size: files[index].size), default: 0] += 1
        }
        var wanted: [Int] = []
        for index in files.indices where files[index].isUsableAudio && files[index].sha256 == nil {
            let size = files[index].size
            let chat = chats[chatOfFile[index]]
            let usable =
                (chat.reach.map { $0.anySize || $0.sizes.contains(size) } ?? false)
                || chat.client?.sizes.contains(size) == true
            let duplicateCandidate = (siblings[SizeInChat(chat: chatOfFile[index], size: size)] ?? 0) > 1
            if usable || duplicateCandidate { wanted.append(index) }
        }
        return wanted
    }

    private struct ScopedChat: Hashable {
        let client: ClientKey
        let chat: ChatKey
    }

    /// A size among the usable files of one chat (numbered by the demand's first pass).
    private struct SizeInChat: Hashable {
        let chat: Int
        let size: Int64
    }
}
