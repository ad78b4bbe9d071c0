/// What an instance's messages look like as a whole, for the strategies that must know how common
/// a finding is before they can say how much it means: how many messages share a `HASH8` or a
/// declared size (term frequency), and how many messages of a conversation fall in a span of time
/// (a chat where notes arrive every minute makes "within 2 minutes" common).
///
/// Built once per instance by the engine with the candidate index; strategies read it through
/// their ``ScoringContext``.
public struct Population: Sendable {
    /// Audio messages of the instance.
    public let messageCount: Int
    let tokens: MessageLists<UInt64>
    let sizes: MessageLists<Int64>
    /// Every declared `fileLength`, sorted: how crowded the sizes near a value are.
    let lengths: [Int64]
    let conversations: [ChatKey: Timeline]
    /// Every message the instance's own phone sent, for files filed under its own number.
    let ownNotes: Timeline
    let ownNumberFolder: ChatKey?
    /// Messages of the instance by their declared whole `seconds`.
    var seconds: [Int: Int] = [:]
    /// Per file path, the insert times its row must fall between (``DownloadWindows``).
    var downloadWindows: [String: ClosedRange<Int64>] = [:]
    /// The paths of the files a scheduled download run wrote (``ScheduledRuns``).
    var scheduledRunFiles: Set<String> = []
    /// Whether ``tokens`` holds every message's token under every derivation in use (the
    /// engine's index), so a token absent from it is no message's. `false` in examples.
    var indexesTokens = false
    /// The tokens of the instance's messages under the derivations *not* in use (MD5, SHA-1,
    /// SHA-256 of the id, its first or last 8 characters), when the index computed them; `nil`
    /// when unknown.
    var otherTokens: Set<UInt64>?
    /// Each message's `core_mensagem.id`, by its place in the instance (the index's local number),
    /// so that ``mayBeToken(_:ofRow:)`` can tell a token's messages apart; empty in examples.
    var rowIDs: [Int64] = []

    /// Whether `token` can be the `HASH8` of the message of row `rowID` under a derivation in
    /// use: `false` only when the index knows that message does not give it. The index lists a
    /// message under every token its derivations give, so a message not listed under `token`
    /// gives it under none of them, and scoring need not hash its id to find that out (it did for
    /// every candidate of a named file: 6 % of a profile of a million-row sync).
    public func mayBeToken(_ token: UInt64, ofRow rowID: Int64) -> Bool {
        guard indexesTokens else { return true }
        guard let listed = tokens[token] else { return false }
        guard rowIDs.count == messageCount else { return true }
        return listed.contains { rowIDs[Int($0)] == rowID }
    }

    /// Whether `token` can be some message's `HASH8` under a derivation not in use (a hash of the
    /// id, or its start or end): `false` only when the index knows it is not.
    public func mayBeOtherToken(_ token: UInt64) -> Bool {
        otherTokens?.contains(token) ?? true
    }

    /// Messages of the instance whose `HASH8` (under a derivation in use) is `token`
    /// (``HashDerivation/pack(_:)``).
    public func messagesSharing(token: UInt64) -> Int { tokens[token]?.count ?? 0 }

    /// Messages of the instance that declare `length` as their `fileLength`.
    public func messagesDeclaring(length: Int64) -> Int { sizes[length]?.count ?? 0 }

    /// Messages of the instance that declare `seconds` as their whole duration.
    public func messagesDeclaring(seconds: Int) -> Int { self.seconds[seconds] ?? 0 }

    /// How many messages of the instance declare a `fileLength` within `range`.
    public func messagesDeclaring(lengthsIn range: ClosedRange<Int64>) -> Int {
        lowerBound(lengths, range.upperBound + 1) - lowerBound(lengths, range.lowerBound)
    }

    /// The span of insert times the file's message must fall in, given the rows of the files
    /// downloaded before and after it in its folder; `nil` when no neighbour is anchored.
    public func downloadWindow(of file: AudioFile) -> ClosedRange<Int64>? {
        if let focus, focus.path == file.path { return focus.window }
        return downloadWindows[file.path]
    }

    /// Whether a scheduled download run wrote the file, so its name time is the run's, not a
    /// moment after its message's (``ScheduledRuns``).
    public func isFromScheduledRun(_ file: AudioFile) -> Bool {
        if let focus, focus.path == file.path { return focus.fromScheduledRun }
        return scheduledRunFiles.contains(file.path)
    }

    /// The messages a file of this folder may belong to, in time order: its chat's (and, for a
    /// person's folder, that person's group notes), or every note the phone sent when the folder
    /// is the instance's own number.
    public func conversation(of file: AudioFile) -> Conversation? {
        if let focus, focus.canonical == file.keys.canonical { return focus.conversation }
        return lookUpConversation(of: file)
    }

    /// What the lookups above answer for one file, worked out once: the engine scores a file
    /// against each of its candidates in turn, and every strategy asking hashed the file's path
    /// or chat again for each pair (3 % of a profile of a million-row sync). Answers for any other
    /// file are looked up as before.
    struct Focus: Sendable {
        let path: String
        let canonical: String
        let window: ClosedRange<Int64>?
        let fromScheduledRun: Bool
        let conversation: Conversation?
    }

    /// The file being scored, when the engine has set it (``focused(on:)``).
    private(set) var focus: Focus? = nil

    /// This population, with the answers about `file` worked out once.
    func focused(on file: AudioFile) -> Population {
        var copy = self
        copy.focus = Focus(
            path: file.path, canonical: file.keys.canonical, window: downloadWindows[file.path],
            fromScheduledRun: scheduledRunFiles.contains(file.path), conversation: lookUpConversation(of: file))
        return copy
    }

    private func lookUpConversation(of file: AudioFile) -> Conversation? {
        let key = ChatKey(canonical: file.keys.canonical)
        if let own = ownNumberFolder, own == key { return Conversation(timeline: ownNotes) }
        return conversations[key].map(Conversation.init)
    }

    /// A conversation's messages in time order, by either clock.
    public struct Conversation: Sendable {
        let timeline: Timeline

        /// How many messages the conversation holds.
        public var size: Int { timeline.size }

        /// The widths of the windows a time finding's chance is read over (seconds): what
        /// ``neighbours(within:)`` counts for.
        public static let windowWidths: [Int64] = [10, 30, 120, 600, 3_600]

        /// How many other messages of the conversation a message has, on average, within `width`
        /// seconds before it (one of ``windowWidths``; 0 for another): what a window
        /// of that width holds by chance when messages come in bursts, as voice notes do, which the
        /// day's pace does not see. Read on the send clock whichever clock the window is on: bursts
        /// are how people send, and the insert clock also has history imports, hundreds of rows in
        /// one second, which would make every window of the conversation look crowded (a window
        /// beside an import counts its rows itself). 0 when no message has a send time.
        public func neighbours(within width: Int64) -> Double {
            guard let index = Self.windowWidths.firstIndex(of: width),
                index < timeline.sent.neighbours.count
            else { return 0 }
            return timeline.sent.neighbours[index]
        }

        /// How many messages have their `clock` time in `range` (seconds since 1970, UTC).
        public func count(_ clock: MessageClock, in range: ClosedRange<Int64>) -> Int {
            let times = clock == .sent ? timeline.sent.times : timeline.insert.times
            let end = range.upperBound == .max ? times.count : lowerBound(times, range.upperBound + 1)
            return end - lowerBound(times, range.lowerBound)
        }

        /// How many messages have their `clock` time in `range` and their row inserted in `span`:
        /// of the messages a time window holds, those the download order would place there too.
        public func count(_ clock: MessageClock, in range: ClosedRange<Int64>, insertedIn span: ClosedRange<Int64>)
            -> Int
        {
            switch clock {
            case .insert:
                let low = max(range.lowerBound, span.lowerBound)
                let high = min(range.upperBound, span.upperBound)
                return low <= high ? count(.insert, in: low...high) : 0
            case .sent:
                let sorted = timeline.sent
                let end = range.upperBound == .max ? sorted.times.count : lowerBound(sorted.times, range.upperBound + 1)
                let start = lowerBound(sorted.times, range.lowerBound)
                guard start < end else { return 0 }
                return sorted.inserted[start..<end].reduce(0) { span.contains($1) ? $0 + 1 : $0 }
            }
        }
    }

    /// A conversation's messages as they are gathered, before sorting: (time, local index) on
    /// each clock, the send clock's with the row's insert time, and how many distinct messages.
    typealias Entries = (sent: [(Int64, Int32, Int64)], insert: [(Int64, Int32)], size: Int)

    /// How many messages' worth of the instance's bursts a conversation's own count is weighed
    /// against (``timelines(_:own:)``).
    static let burstPriorMessages = 10.0

    /// The conversations' timelines, and the own notes', with each conversation's burst counts
    /// (``Conversation/neighbours(within:)``) shrunk toward the instance's: the mean over all its
    /// notes, weighed as ``burstPriorMessages`` messages against the conversation's own. A chat
    /// of five notes sent weeks apart says little about how its people send: one of them deleted,
    /// its file left behind, lands beside another as often as the instance's notes have
    /// neighbours, which its own four, each alone, would count as never.
    static func timelines(
        _ conversations: [ChatKey: Entries], own: Entries
    ) -> (conversations: [ChatKey: Timeline], own: Timeline) {
        func timeline(_ list: Entries) -> Timeline {
            Timeline(sent: .init(sent: list.sent), insert: .init(list.insert), size: list.size)
        }
        var timelines = conversations.mapValues(timeline)
        var ownTimeline = timeline(own)
        let widths = Conversation.windowWidths.count
        var total = [Double](repeating: 0, count: widths)
        var notes = 0.0
        for timeline in timelines.values where timeline.sent.neighbours.count == widths {
            let count = Double(timeline.sent.times.count)
            for width in 0..<widths { total[width] += timeline.sent.neighbours[width] * count }
            notes += count
        }
        guard notes > 0 else { return (timelines, ownTimeline) }
        let instance = total.map { $0 / notes }
        for key in timelines.keys { timelines[key]?.sent.shrink(toward: instance, weighing: burstPriorMessages) }
        ownTimeline.sent.shrink(toward: instance, weighing: burstPriorMessages)
        return (timelines, ownTimeline)
    }

    /// One conversation's messages sorted by each clock. A message without `messageTimestamp`
    /// is on the insert clock only.
    struct Timeline: Sendable {
        struct Sorted: Sendable {
            var times: [Int64] = []
            var messages: [Int32] = []
            /// Per width of ``Conversation/windowWidths``: the mean number of other messages within that many
            /// seconds of a message, either side, halved (a window lies on one side of the file).
            /// Counted on the send clock only (``Conversation/neighbours(within:)``).
            var neighbours: [Double] = []
            /// On the send clock: each message's insert time, in the order of ``times``.
            var inserted: [Int64] = []

            /// The insert clock's order.
            init(_ entries: [(Int64, Int32)]) {
                let ordered = entries.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                times = ordered.map(\.0)
                messages = ordered.map(\.1)
            }

            /// The send clock's order, with each message's insert time and the burst counts.
            init(sent entries: [(Int64, Int32, Int64)]) {
                let ordered = entries.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                times = ordered.map(\.0)
                messages = ordered.map(\.1)
                inserted = ordered.map(\.2)
                neighbours = Conversation.windowWidths.map { Self.meanNeighbours(times, within: $0) }
            }

            /// Σ over messages of the others within `width` either side, / (2 × count): two
            /// pointers over the sorted times.
            static func meanNeighbours(_ times: [Int64], within width: Int64) -> Double {
                guard times.count > 1 else { return 0 }
                var total = 0
                var low = 0
                var high = 0
                for time in times {
                    while times[low] < time - width { low += 1 }
                    while high < times.count && times[high] <= time + width { high += 1 }
                    total += high - low - 1
                }
                return Double(total) / Double(2 * times.count)
            }

            /// The mean of `count` notes' own ``neighbours`` and `prior`, weighed as `weight` notes.
            mutating func shrink(toward prior: [Double], weighing weight: Double) {
                guard neighbours.count == prior.count else { return }
                let count = Double(times.count)
                for width in neighbours.indices {
                    neighbours[width] = (neighbours[width] * count + prior[width] * weight) / (count + weight)
                }
            }

            init() {}
        }

        var sent = Sorted()
        var insert = Sorted()
        /// Distinct messages.
        var size = 0
    }
}

/// A message's two clocks: `messageTimestamp` (when it was sent) and `data_envio` (when its row
/// was inserted, which for history imports is minutes to weeks later).
public enum MessageClock: String, Sendable, Hashable, Codable, CaseIterable {
    case sent
    case insert
}

extension Population {
    /// A population of a few messages, for strategy examples and tests: their conversations
    /// (by chat), their declared sizes, and the download windows given.
    package static func example(
        _ messages: [AudioMessage], downloadWindows: [String: ClosedRange<Int64>] = [:],
        scheduledRunFiles: Set<String> = []
    ) -> Population {
        var sizes = MessageLists<Int64>()
        var seconds: [Int: Int] = [:]
        var entries: [ChatKey: Entries] = [:]
        for (local, message) in messages.enumerated() {
            let local = Int32(local)
            if let length = message.fileLength { sizes.append(local, to: length) }
            if let declared = message.declaredSeconds { seconds[declared, default: 0] += 1 }
            let key = ChatKey(canonical: message.chatKeys.canonical)
            if let sent = message.sentTime {
                entries[key, default: ([], [], 0)].sent.append((sent, local, message.insertTime))
            }
            entries[key, default: ([], [], 0)].insert.append((message.insertTime, local))
            entries[key, default: ([], [], 0)].size += 1
        }
        return Population(
            messageCount: messages.count, tokens: MessageLists(), sizes: sizes,
            lengths: sizes.counts.flatMap { length, count in Array(repeating: length, count: count) }.sorted(),
            conversations: timelines(entries, own: ([], [], 0)).conversations,
            ownNotes: Timeline(), ownNumberFolder: nil, seconds: seconds, downloadWindows: downloadWindows,
            scheduledRunFiles: scheduledRunFiles)
    }
}
