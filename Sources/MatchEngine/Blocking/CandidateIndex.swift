/// The indexes a partition's candidate pairs come from, so a file meets only the messages that
/// could be its own, never the full cross product.
///
/// - name token: `HASH8` under each derivation in use (all of them while undetermined), and full
///   ids, across the instance (the chat is the chat strategy's business);
/// - content: declared `fileSha256` and `fileLength`, across the instance;
/// - time: per conversation, messages sorted by each of their two clocks (send and insert), for
///   every file: the nearest before its time (many when its name names no message, a few when it
///   does, so a rival with a near time is always scored).
struct CandidateIndex: Sendable {
    /// Local message index → run message index.
    private(set) var messages: [Int]
    private(set) var population: Population
    private let fullIDs: [String: [Int32]]
    /// The messages declaring each digest (`fileSha256`), in order.
    let digests: MessageLists<ContentDigest>
    private(set) var calibration: InstanceCalibration
    private let blocking: BlockingSettings
    private let allowCrossChat: Bool
    /// Every chat key of the instance's messages (digits, canonical, group sender) numbered once,
    /// and each message's keys as those numbers: blocking asks "the same conversation?" of every
    /// message a name, digest or size proposes, and compared strings to answer (5 % of a sync at
    /// a million messages). Equal strings have equal numbers, so the answer is the same.
    private let keyNumbers: [String: Int32]
    private let chatNumbers: [ChatNumbers]

    /// A message's chat keys as numbers of ``keyNumbers``.
    private struct ChatNumbers: Sendable {
        var digits: Int32
        var canonical: Int32
        /// A group message's sender key; -1 for none (not a group, or no sender).
        var sender: Int32
        var fromMe: Bool
        /// A group message whose row names no sender by number (``ChatRelation/unnamedSender``).
        var unnamedSender: Bool
    }

    /// How many messages of a conversation a file whose name names none may meet per clock: the
    /// nearest before its time. A busy chat holds tens of thousands of messages a month; scoring
    /// a nameless file against all of them costs much and changes nothing (the posterior counts
    /// the rest together). Files cut short here are counted in the plan (`work.truncated_blocking`).
    static let windowLimit = 64
    /// The same for a file whose name names a message: its nearest rivals in time.
    static let namedWindowLimit = 4

    init(
        partition: Partition,
        files: [AudioFile],
        messages all: [AudioMessage],
        calibration: InstanceCalibration,
        blocking: BlockingSettings,
        allowCrossChat: Bool
    ) {
        self.messages = partition.messages
        self.calibration = calibration
        self.blocking = blocking
        self.allowCrossChat = allowCrossChat
        let derivations = calibration.hashDerivations.isEmpty ? HashDerivation.allCases : calibration.hashDerivations
        // The identifiers' indexes and the conversations' are built side by side: one after the
        // other, the third of three instances at a million rows was indexed on one core for most
        // of a second while the other core waited. Each is built in the messages' order, as before.
        enum Part: Sendable {
            case identifiers(Identifiers)
            case conversations(Conversations)
        }
        let parts: [Part] = parallelMap(count: 2, minimumChunk: 1) { range in
            range.map {
                $0 == 0
                    ? .identifiers(
                        Self.identifiers(partition: partition, files: files, messages: all, derivations: derivations))
                    : .conversations(Self.conversations(partition: partition, messages: all))
            }
        }
        guard case .identifiers(let identifiers) = parts[0], case .conversations(let conversations) = parts[1] else {
            preconditionFailure("parts in order")
        }
        self.keyNumbers = conversations.keyNumbers
        self.chatNumbers = conversations.chatNumbers
        self.fullIDs = identifiers.fullIDs
        self.digests = conversations.digests
        let timelines = Population.timelines(conversations.entries, own: conversations.own)
        self.population = Population(
            messageCount: partition.messages.count,
            tokens: identifiers.tokens,
            sizes: conversations.sizes,
            lengths: conversations.sizes.counts.flatMap { length, count in Array(repeating: length, count: count) }
                .sorted(),
            conversations: timelines.conversations,
            ownNotes: timelines.own,
            ownNumberFolder: calibration.ownNumberFolder.map { ChatKey($0) },
            seconds: conversations.seconds,
            indexesTokens: true,
            otherTokens: identifiers.otherTokens,
            rowIDs: partition.messages.map { all[$0].rowID }
        )
    }

    /// The same index for the partition's messages numbered from 0, in the same order: what a
    /// warm plan keeps, beside its own part of the run's messages (``WarmInstance``).
    func renumbered() -> CandidateIndex {
        var index = self
        index.messages = Array(messages.indices)
        return index
    }

    /// The identifiers' indexes of a partition's messages (``init(partition:files:messages:calibration:blocking:allowCrossChat:)``).
    private struct Identifiers: Sendable {
        var tokens: MessageLists<UInt64>
        var otherTokens: Set<UInt64>
        var fullIDs: [String: [Int32]]
    }

    private static func identifiers(
        partition: Partition, files: [AudioFile], messages all: [AudioMessage], derivations: [HashDerivation]
    ) -> Identifiers {
        var tokens = MessageLists<UInt64>(minimumCapacity: partition.messages.count)
        // The derivations not in use, worked out once per message here so that scoring, which asks
        // "is this token another derivation of the id?" for every pair whose token does not match,
        // hashes only when the answer can be yes (it hashed three times a pair: 13 % of a sync; and
        // upper-cased the id's ends for every pair, 2 % more of a profile).
        let others = HashDerivation.allCases.filter { !derivations.contains($0) }
        var otherTokens = Set<UInt64>()
        otherTokens.reserveCapacity(partition.messages.count * others.count)
        // Every message's tokens, under the derivations in use and then the others, worked out on
        // every core first: the hashes are the largest part of an index's cost, and an instance's
        // index is otherwise built on one core (at a million rows the third of three instances was
        // built alone while the other core waited).
        let hashed = derivations + others
        let tokensPerMessage = hashed.count
        let packedTokens: [UInt64] = parallelMap(count: partition.messages.count, minimumChunk: 4_096) { range in
            var part: [UInt64] = []
            part.reserveCapacity(range.count * tokensPerMessage)
            for local in range {
                if let id = all[partition.messages[local]].whatsappID {
                    for derivation in hashed { part.append(derivation.packedToken(of: id)) }
                } else {
                    part.append(contentsOf: repeatElement(0, count: tokensPerMessage))
                }
            }
            return part
        }
        // Full ids are looked up only for `wapi_` names; most stores have none.
        let wantsFullIDs = partition.files.contains { files[$0].name.tokenKind == .fullID }
        var fullIDs: [String: [Int32]] = [:]
        // By index, not by element: a copy of a message is a dozen retains.
        for (local, index) in partition.messages.enumerated() {
            let local = Int32(local)
            if let id = all[index].whatsappID {
                let first = Int(local) * tokensPerMessage
                for position in first..<first + derivations.count {
                    // Listed once, under the first derivation that gives it.
                    let token = packedTokens[position]
                    if !packedTokens[first..<position].contains(token) { tokens.append(local, to: token) }
                }
                for position in first + derivations.count..<first + tokensPerMessage {
                    otherTokens.insert(packedTokens[position])
                }
                if wantsFullIDs { fullIDs[id.uppercased(), default: []].append(local) }
            }
        }
        return Identifiers(tokens: tokens, otherTokens: otherTokens, fullIDs: fullIDs)
    }

    /// The conversations' indexes of a partition's messages, and the content a message declares.
    private struct Conversations: Sendable {
        var digests: MessageLists<ContentDigest>
        var sizes: MessageLists<Int64>
        var seconds: [Int: Int]
        var keyNumbers: [String: Int32]
        var chatNumbers: [ChatNumbers]
        var entries: [ChatKey: Population.Entries]
        var own: Population.Entries
    }

    private static func conversations(partition: Partition, messages all: [AudioMessage]) -> Conversations {
        var digests = MessageLists<ContentDigest>(minimumCapacity: partition.messages.count)
        var sizes = MessageLists<Int64>(minimumCapacity: partition.messages.count)
        var seconds: [Int: Int] = [:]
        var keyNumbers: [String: Int32] = [:]
        func number(_ key: String) -> Int32 {
            if let known = keyNumbers[key] { return known }
            let next = Int32(keyNumbers.count)
            keyNumbers[key] = next
            return next
        }
        var chatNumbers: [ChatNumbers] = []
        chatNumbers.reserveCapacity(partition.messages.count)
        // Each conversation's timeline entries, in a slot found once per chat row: the messages of a
        // chat share their keys, so their numbers and slot are not looked up by hashing names for
        // each message. A message whose chat row holds other keys (examples) looks them up anew, so
        // the index is the same.
        var slots: [Population.Entries] = []
        var slotOfKey: [ChatKey: Int] = [:]
        func slot(_ key: ChatKey) -> Int {
            if let known = slotOfKey[key] { return known }
            slots.append(([], [], 0))
            slotOfKey[key] = slots.count - 1
            return slots.count - 1
        }
        var ofChatRow: [Int64: (keys: ChatKeys, digits: Int32, canonical: Int32, slot: Int)] = [:]
        var own: Population.Entries = ([], [], 0)
        // By index, not by element: a copy of a message is a dozen retains.
        for (local, index) in partition.messages.enumerated() {
            let local = Int32(local)
            if let digest = all[index].fileSHA256 { digests.append(local, to: digest) }
            if let length = all[index].fileLength { sizes.append(local, to: length) }
            if let declared = all[index].declaredSeconds { seconds[declared, default: 0] += 1 }
            let sent = all[index].sentTime
            let insert = all[index].insertTime
            func add(_ list: inout Population.Entries) {
                if let sent { list.sent.append((sent, local, insert)) }
                list.insert.append((insert, local))
                list.size += 1
            }
            let chatKeys = all[index].chatKeys
            let chat: (keys: ChatKeys, digits: Int32, canonical: Int32, slot: Int)
            if let known = ofChatRow[all[index].chatRowID], known.keys == chatKeys {
                chat = known
            } else {
                chat = (
                    chatKeys, number(chatKeys.digits), number(chatKeys.canonical),
                    slot(ChatKey(canonical: chatKeys.canonical))
                )
                ofChatRow[all[index].chatRowID] = chat
            }
            add(&slots[chat.slot])
            let senderKey = chatKeys.isGroup ? all[index].senderKey : nil
            if let senderKey {
                let group = slot(ChatKey(canonical: senderKey))
                add(&slots[group])
            }
            let fromMe = all[index].fromMe
            if fromMe { add(&own) }
            chatNumbers.append(
                ChatNumbers(
                    digits: chat.digits, canonical: chat.canonical, sender: senderKey.map(number) ?? -1,
                    fromMe: fromMe,
                    unnamedSender: chatKeys.isGroup && !ChatRelation.namesANumber(all[index].senderKey)))
        }
        let entries = slotOfKey.mapValues { slots[$0] }
        return Conversations(
            digests: digests, sizes: sizes, seconds: seconds, keyNumbers: keyNumbers, chatNumbers: chatNumbers,
            entries: entries, own: own)
    }

    /// The same index under a calibration that knows more (the clock, the own-number folder):
    /// the indexes depend only on the derivations, which must be the same.
    func recalibrated(
        _ calibration: InstanceCalibration, downloadWindows: [String: ClosedRange<Int64>] = [:],
        scheduledRunFiles: Set<String> = []
    ) -> CandidateIndex {
        precondition(calibration.hashDerivations == self.calibration.hashDerivations)
        var copy = self
        copy.calibration = calibration
        copy.population = Population(
            messageCount: population.messageCount, tokens: population.tokens, sizes: population.sizes,
            lengths: population.lengths, conversations: population.conversations, ownNotes: population.ownNotes,
            ownNumberFolder: calibration.ownNumberFolder.map { ChatKey($0) }, seconds: population.seconds,
            downloadWindows: downloadWindows, scheduledRunFiles: scheduledRunFiles,
            indexesTokens: population.indexesTokens, otherTokens: population.otherTokens, rowIDs: population.rowIDs)
        return copy
    }

    /// Why blocking found no message for a file.
    enum Miss: String, Sendable, Hashable, Codable, CaseIterable {
        /// Its folder is no chat of the instance (and not the instance's own number), and no
        /// identifier names a message of it.
        case folderNotAChat = "folder_not_a_chat"
        /// Neither a name time nor an mtime, and no identifier.
        case noTime = "no_time"
        /// Its conversation holds no message in the time window before it.
        case nothingInWindow = "nothing_in_window"
    }

    /// The local indices of the messages `file` should be scored against, in ascending order;
    /// whether the time window had to be cut short; and, when there is none, why.
    func candidates(for file: AudioFile) -> (messages: [Int32], truncated: Bool, miss: Miss?) {
        var found: [Int32] = []
        let folder = folderNumbers(file)
        @discardableResult
        func keep(_ list: (some RandomAccessCollection<Int32>)?, named: Bool = false) -> Bool {
            guard let list else { return false }
            var kept = false
            for local in list {
                let chat = chatNumbers[Int(local)]
                // A name that names a group message whose sender nobody wrote down may sit in any
                // person's folder: only the name proposes such a pair (``ChatRelation/unnamedSender``).
                guard allowCrossChat || folder.isSameConversation(chat) || (named && folder.mayHoldUnnamed(chat))
                else { continue }
                found.append(local)
                kept = true
            }
            return kept
        }
        var nameHit = false
        if let token = file.name.token {
            switch file.name.tokenKind {
            case .hash8: nameHit = keep(population.tokens[HashDerivation.pack(token)], named: true)
            case .fullID: nameHit = keep(fullIDs[token.uppercased()], named: true)
            case nil: break
            }
        }
        if let digest = file.sha256 { keep(digests[digest]) }
        keep(population.sizes[file.size])
        let conversation = population.conversation(of: file)
        let window = window(
            for: file, in: conversation?.timeline, limit: nameHit ? Self.namedWindowLimit : Self.windowLimit,
            into: &found)
        found.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(found.count)
        for local in found where unique.last != local { unique.append(local) }
        var miss: Miss?
        if unique.isEmpty {
            miss = conversation == nil ? .folderNotAChat : window.hadTime ? .nothingInWindow : .noTime
        }
        return (unique, window.truncated && !nameHit, miss)
    }

    /// The number of messages of `file`'s conversation, counted by the posterior as hypotheses
    /// (blocked or not).
    func conversationSize(of file: AudioFile) -> Int {
        population.conversation(of: file)?.size ?? 0
    }

    /// A file's folder keys as numbers of ``keyNumbers`` (-2 for a key no message has), and
    /// whether the folder is the instance's own number.
    private struct FolderNumbers {
        var digits: Int32
        var canonical: Int32
        var isOwnNumber: Bool
        /// Whether the folder is a person's number (``ChatRelation/isPhoneNumber(_:)``).
        var isPhoneNumber: Bool

        /// ``ChatRelation/isSameConversation`` of the folder and a message, in numbers: the same
        /// digits, the same canonical form (ninth digit), a group note under its sender's folder,
        /// or a note the phone sent under its own number.
        func isSameConversation(_ chat: ChatNumbers) -> Bool {
            chat.digits == digits || chat.canonical == canonical || (chat.sender >= 0 && chat.sender == canonical)
                || (chat.fromMe && isOwnNumber)
        }

        /// ``ChatRelation/unnamedSender``, asked once ``isSameConversation(_:)`` has said no: a
        /// group message naming no sender, and a person's folder.
        func mayHoldUnnamed(_ chat: ChatNumbers) -> Bool {
            chat.unnamedSender && isPhoneNumber
        }
    }

    private func folderNumbers(_ file: AudioFile) -> FolderNumbers {
        FolderNumbers(
            digits: keyNumbers[file.keys.digits] ?? -2, canonical: keyNumbers[file.keys.canonical] ?? -2,
            isOwnNumber: calibration.ownNumberFolder.map { ChatKey($0).canonical == file.keys.canonical } ?? false,
            isPhoneNumber: ChatRelation.isPhoneNumber(file.keys))
    }

    /// The file's time in UTC and how far it may be off: the name time under the offset, the
    /// name time under any zone when the offset is unknown, or the mtime.
    func fileTime(_ file: AudioFile) -> (time: Int64, slack: Int64)? {
        if let (time, _) = calibration.fileTime(of: file) { return (time, 0) }
        // Unknown zone (or a name between two anchors either side of a clock change): the name
        // may be up to 14 hours either side of UTC.
        return file.name.time.map { ($0.secondsSinceEpoch, 14 * 3600) }
    }

    /// Adds the messages of the conversation whose time, on either clock, could precede the
    /// file's: at most `limit` nearest per clock.
    private func window(
        for file: AudioFile, in timeline: Population.Timeline?, limit: Int, into found: inout [Int32]
    ) -> (truncated: Bool, hadTime: Bool) {
        guard let (time, slack) = fileTime(file) else { return (false, false) }
        guard let timeline else { return (false, true) }
        let maxDelay = Int64(blocking.maxDelayDays * 86_400)
        let low = time - maxDelay - slack
        let high = time + slack + blocking.earlyToleranceSeconds
        var truncated = false
        for sorted in [timeline.sent, timeline.insert] {
            var first = lowerBound(sorted.times, low)
            let end = lowerBound(sorted.times, high + 1)
            // The nearest ones: the latest messages that could precede the file.
            if end - first > limit {
                truncated = true
                first = end - limit
            }
            found.append(contentsOf: sorted.messages[first..<end])
        }
        return (truncated, true)
    }
}
