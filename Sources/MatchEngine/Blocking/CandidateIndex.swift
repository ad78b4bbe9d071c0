/// The indexes a partition's candidate pairs come from, so a file meets only the messages that
/// could be its own, never the full cross product.
///
/// - name token: `HASH8` under each derivation in use (all of them while undetermined), and full ids;
/// - content: declared `fileSha256`, declared `fileLength`;
/// - time: per chat (and per group sender), messages sorted by their best time, for files whose
///   name names no message.
struct CandidateIndex: Sendable {
    /// Local message index → run message index.
    let messages: [Int]
    /// Tokens packed in 64 bits (``HashDerivation/packedToken(of:)``): no string per message.
    private let tokens: [UInt64: [Int32]]
    private let fullIDs: [String: [Int32]]
    private let digests: [ContentDigest: [Int32]]
    private let sizes: [Int64: [Int32]]
    private let timelines: [ChatKey: Timeline]
    private let calibration: InstanceCalibration
    private let blocking: BlockingSettings
    private let allowCrossChat: Bool

    struct Timeline: Sendable {
        var times: [Int64] = []
        var messages: [Int32] = []
    }

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
        var tokens: [UInt64: [Int32]] = [:]
        // Full ids are looked up only for `wapi_` names; most stores have none.
        let wantsFullIDs = partition.files.contains { files[$0].name.tokenKind == .fullID }
        var fullIDs: [String: [Int32]] = [:]
        var digests: [ContentDigest: [Int32]] = [:]
        var sizes: [Int64: [Int32]] = [:]
        var entries: [ChatKey: [(Int64, Int32)]] = [:]
        for (local, index) in partition.messages.enumerated() {
            let local = Int32(local)
            if let id = all[index].whatsappID {
                var seen: [UInt64] = []
                for derivation in derivations {
                    let token = derivation.packedToken(of: id)
                    if !seen.contains(token) {
                        seen.append(token)
                        tokens[token, default: []].append(local)
                    }
                }
                if wantsFullIDs { fullIDs[id.uppercased(), default: []].append(local) }
            }
            if let digest = all[index].fileSHA256 { digests[digest, default: []].append(local) }
            if let length = all[index].fileLength { sizes[length, default: []].append(local) }
            let time = all[index].bestTime
            entries[ChatKey(canonical: all[index].chatKeys.canonical), default: []].append((time, local))
            if all[index].chatKeys.isGroup, let sender = all[index].senderKey {
                entries[ChatKey(canonical: sender), default: []].append((time, local))
            }
        }
        self.tokens = tokens
        self.fullIDs = fullIDs
        self.digests = digests
        self.sizes = sizes
        self.timelines = entries.mapValues { list in
            let sorted = list.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return Timeline(times: sorted.map(\.0), messages: sorted.map(\.1))
        }
    }

    /// How many messages of its chat a file whose name names none may meet: the nearest ones
    /// before its time. A busy chat holds tens of thousands of messages a month; scoring a nameless
    /// file against all of them costs much and links nothing (no margin survives so many rivals).
    /// Files cut short here are counted in the plan (`work.truncated_blocking`).
    static let windowLimit = 64

    /// The local indices of the messages `file` should be scored against, in ascending order,
    /// and whether the time window had to be cut short.
    func candidates(for file: AudioFile, all: [AudioMessage]) -> (messages: [Int32], truncated: Bool) {
        var found: [Int32] = []
        @discardableResult
        func keep(_ list: [Int32]?) -> Bool {
            guard let list else { return false }
            var kept = false
            for local in list where allowCrossChat || relation(file, local, all).isSameConversation {
                found.append(local)
                kept = true
            }
            return kept
        }
        var nameHit = false
        if let token = file.name.token {
            switch file.name.tokenKind {
            case .hash8: nameHit = keep(tokens[HashDerivation.pack(token)])
            case .fullID: nameHit = keep(fullIDs[token.uppercased()])
            case nil: break
            }
        }
        if let digest = file.sha256 { keep(digests[digest]) }
        keep(sizes[file.size])
        // A name that names a message settles where to look; otherwise time is all there is.
        let truncated = nameHit ? false : window(for: file, into: &found)
        found.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(found.count)
        for local in found where unique.last != local { unique.append(local) }
        return (unique, truncated)
    }

    private func relation(_ file: AudioFile, _ local: Int32, _ all: [AudioMessage]) -> ChatRelation {
        // Field by field: passing `all[i]` whole would copy the message, a dozen retains.
        let index = messages[Int(local)]
        return ChatRelation(
            folder: file.keys,
            chat: all[index].chatKeys,
            senderKey: all[index].senderKey,
            fromMe: all[index].fromMe,
            ownNumberFolder: calibration.ownNumberFolder
        )
    }

    /// Adds the messages of the file's chat whose time could precede the file's; `true` when cut short.
    private func window(for file: AudioFile, into found: inout [Int32]) -> Bool {
        var keys = [ChatKey(canonical: file.keys.canonical)]
        if let own = calibration.ownNumberFolder, ChatKey(own) == keys[0] {
            // The own-number folder holds files of every chat the phone sent to.
            keys = Array(timelines.keys)
        }
        let maxDelay = Int64(blocking.maxDelayDays * 86_400)
        let range: ClosedRange<Int64>?
        if let time = file.name.time {
            if let offset = calibration.clockOffset {
                let utc = time.secondsSinceEpoch - offset
                range = (utc - maxDelay)...(utc + blocking.earlyToleranceSeconds)
            } else {
                // Unknown zone: the name may be up to 14 hours either side of UTC.
                let slack: Int64 = 14 * 3600
                let low = time.secondsSinceEpoch - maxDelay - slack
                let high = time.secondsSinceEpoch + slack + blocking.earlyToleranceSeconds
                range = low...high
            }
        } else if let mtime = file.modificationTime {
            // The mtime may be a later copy's: any earlier message within the window qualifies.
            range = (mtime - maxDelay)...(mtime + blocking.earlyToleranceSeconds)
        } else {
            range = nil
        }
        var truncated = false
        for key in keys {
            guard let timeline = timelines[key] else { continue }
            var low = 0
            var high = timeline.times.count
            if let range {
                low = lowerBound(timeline.times, range.lowerBound)
                high = lowerBound(timeline.times, range.upperBound + 1)
            }
            // The nearest ones: the latest messages that could precede the file.
            if high - low > Self.windowLimit {
                truncated = true
                low = high - Self.windowLimit
            }
            found.append(contentsOf: timeline.messages[low..<high])
        }
        return truncated
    }
}
