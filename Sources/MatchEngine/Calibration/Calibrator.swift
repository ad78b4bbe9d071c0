/// Estimates, per instance, what nobody recorded: the `HASH8` derivation and the clock offset.
///
/// Derivation: for each hypothesis, count the files whose token equals the derived token of a
/// message of the same chat; keep every hypothesis with real support (a deployment may have used
/// more than one). Offset: over files tied to exactly one message, the difference between the
/// name time and the message time clusters just above the true offset (live downloads land
/// seconds later); test offsets in 15-minute steps and keep the densest window.
struct Calibrator: Sendable {
    let settings: CalibrationSettings

    /// At most this many token files are examined per instance; enough for a clear majority and
    /// it keeps calibration cost flat on large stores.
    static let sampleLimit = 4000
    /// At most this many messages (of the sampled files' chats) are derived under every hypothesis:
    /// MD5, SHA-1 and SHA-256 of a million ids would cost seconds for nothing.
    static let messageLimit = 5_000
    /// The window after the offset in which a live download lands.
    static let liveWindow: ClosedRange<Int64> = -60...600

    struct Estimate: Sendable {
        var derivations: [HashDerivation]
        var derivationHits: [String: Int]
        var derivationSource: CalibrationReport.Source
        var tokenFiles: Int
        /// Name time minus message time for each anchored pair.
        var anchorDifferences: [Int64]
    }

    /// Counts derivation hits and collects anchor differences for one partition.
    func estimate(_ partition: Partition, files: [AudioFile], messages: [AudioMessage]) -> Estimate {
        var tokenFileIndices = partition.files.filter { files[$0].name.tokenKind == .hash8 && files[$0].isUsableAudio }
        // In path order, so runs agree; scans hand files over sorted, so this is usually a check.
        let sorted = zip(tokenFileIndices, tokenFileIndices.dropFirst()).allSatisfy { files[$0].path <= files[$1].path }
        if !sorted { tokenFileIndices.sort { files[$0].path < files[$1].path } }
        let allTokenFiles = tokenFileIndices.prefix(Self.sampleLimit)
        let sampledChats = Set(allTokenFiles.map { files[$0].keys.canonical })
        var messagesByChat: [ChatKey: [Int]] = [:]
        for index in partition.messages where messages[index].whatsappID != nil {
            let chat = messages[index].chatKeys.canonical
            guard sampledChats.contains(chat) else { continue }
            messagesByChat[ChatKey(canonical: chat), default: []].append(index)
        }
        // Whole chats, in the files' order, until the message budget is spent.
        var chats: Set<ChatKey> = []
        var candidates: [Int] = []
        for index in allTokenFiles {
            let chat = ChatKey(canonical: files[index].keys.canonical)
            guard !chats.contains(chat) else { continue }
            let members = messagesByChat[chat] ?? []
            if !chats.isEmpty && candidates.count + members.count > Self.messageLimit { continue }
            chats.insert(chat)
            candidates += members
        }
        let tokenFiles = allTokenFiles.filter { chats.contains(ChatKey(canonical: files[$0].keys.canonical)) }
        let hypotheses = settings.hashDerivations ?? HashDerivation.allCases
        var hits: [String: Int] = [:]
        var tokenMaps: [HashDerivation: [ChatToken: [Int]]] = [:]
        for derivation in hypotheses {
            var map: [ChatToken: [Int]] = [:]
            for index in candidates {
                let token = derivation.packedToken(of: messages[index].whatsappID!)
                map[ChatToken(chat: ChatKey(canonical: messages[index].chatKeys.canonical), token: token), default: []]
                    .append(index)
            }
            hits[derivation.rawValue] = tokenFiles.count { index in
                map[
                    ChatToken(
                        chat: ChatKey(canonical: files[index].keys.canonical),
                        token: HashDerivation.pack(files[index].name.token!))] != nil
            }
            tokenMaps[derivation] = map
        }
        let derivations: [HashDerivation]
        let source: CalibrationReport.Source
        if let pinned = settings.hashDerivations {
            derivations = pinned
            source = .pinned
        } else {
            let best = hits.values.max() ?? 0
            // Prefix hypotheses collide by chance (`3EB0…` ids); a real derivation holds a share
            // of the files, not a handful.
            let threshold = max(settings.minimumSupport, Int((Double(best) * 0.05).rounded(.up)))
            derivations = HashDerivation.allCases
                .filter { (hits[$0.rawValue] ?? 0) >= threshold }
                .sorted { (hits[$0.rawValue] ?? 0) > (hits[$1.rawValue] ?? 0) }
            source = derivations.isEmpty ? .undetermined : .detected
        }
        // Anchors: files whose token names exactly one message of their chat under a derivation in use.
        var differences: [Int64] = []
        for index in tokenFiles {
            let file = files[index]
            guard let nameTime = file.name.time else { continue }
            let key = ChatToken(
                chat: ChatKey(canonical: file.keys.canonical), token: HashDerivation.pack(file.name.token!))
            var matched: Set<Int> = []
            for derivation in derivations {
                matched.formUnion(tokenMaps[derivation]?[key] ?? [])
            }
            guard matched.count == 1, let only = matched.first else { continue }
            differences.append(nameTime.secondsSinceEpoch - messages[only].bestTime)
        }
        return Estimate(
            derivations: derivations,
            derivationHits: hits,
            derivationSource: source,
            tokenFiles: tokenFiles.count,
            anchorDifferences: differences
        )
    }

    /// The offset whose live window holds the most anchored differences, with its support;
    /// `nil` when support is too thin or a second offset is nearly as dense.
    func offset(from differences: [Int64]) -> (offset: Int64, support: Int)? {
        guard differences.count >= settings.minimumSupport else { return nil }
        let sorted = differences.sorted()
        func count(_ offset: Int64) -> Int {
            let low = lowerBound(sorted, offset + Self.liveWindow.lowerBound)
            let high = lowerBound(sorted, offset + Self.liveWindow.upperBound + 1)
            return high - low
        }
        // Whole hours first: 15-minute zones are rare, so they must win outright.
        var candidates: [(offset: Int64, support: Int)] = []
        for quarter in Int64(-56)...56 {
            let offset = quarter * 900
            candidates.append((offset, count(offset)))
        }
        candidates.sort { lhs, rhs in
            if lhs.support != rhs.support { return lhs.support > rhs.support }
            let lhsWhole = lhs.offset % 3600 == 0
            let rhsWhole = rhs.offset % 3600 == 0
            if lhsWhole != rhsWhole { return lhsWhole }
            return abs(lhs.offset) < abs(rhs.offset)
        }
        let best = candidates[0]
        guard best.support >= settings.minimumSupport else { return nil }
        let rivalCandidate = candidates.dropFirst().first(where: { abs($0.offset - best.offset) > 900 })
        let rival = rivalCandidate?.support ?? 0
        guard 2 * best.support >= 3 * rival else { return nil }
        return best
    }
}

/// A chat and a token: the key a `HASH8` is looked up by.
struct ChatToken: Hashable, Sendable {
    let chat: ChatKey
    let token: UInt64
}

/// The first index of `sorted` whose value is at least `value`.
func lowerBound(_ sorted: [Int64], _ value: Int64) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low
}
