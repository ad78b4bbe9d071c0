/// Estimates, per instance, what nobody recorded: the `HASH8` derivation, the clocks of the file
/// names and of the mtimes, and the folder the instance files its own phone's notes under.
///
/// Derivation: for each hypothesis, count the files whose token equals the derived token of a
/// message of the same chat; keep every hypothesis with real support (a deployment may have used
/// more than one). Clocks and folders come from **anchors**: files an identifier ties to exactly
/// one message of the instance (a `HASH8` under a detected derivation, an identical content hash,
/// a size only one message declares). So a deployment whose derivation is unknown loses token
/// evidence only: its hashes and sizes still set its clock.
struct Calibrator: Sendable {
    let settings: CalibrationSettings

    /// At most this many token files are examined per instance for the derivation; enough for a
    /// clear majority and it keeps calibration cost flat on large stores.
    static let sampleLimit = 4000
    /// At most this many messages (of the sampled files' chats) are derived under every hypothesis:
    /// MD5, SHA-1 and SHA-256 of a million ids would cost seconds for nothing.
    static let messageLimit = 5_000
    /// At most this many anchors are kept per instance for the clocks.
    static let anchorLimit = 20_000
    /// After its clock's reading, a live download lands within this window (seconds). The clock
    /// may be some seconds or minutes off, so the window is searched at every second.
    static let liveWindow: Int64 = 600

    /// What the token files say about the derivation.
    struct DerivationEstimate: Sendable {
        var derivations: [HashDerivation]
        var hits: [String: Int]
        var source: CalibrationReport.Source
        var tokenFiles: Int
        /// Where the detected derivations held, when files before or after named under none of
        /// them (``derivationSpan(_:)``).
        var span: DerivationSpan?
    }

    /// A file an identifier ties to one message.
    struct Anchor: Sendable {
        enum Kind: String, Sendable, Codable, CaseIterable {
            case token
            case contentHash = "content_hash"
            case size
        }

        var file: Int
        var message: Int
        var kind: Kind
    }

    /// What the anchors say about the clocks and folders.
    struct ClockEstimate: Sendable {
        var anchors: [Anchor.Kind: Int] = [:]
        var nameOffset: (offset: Int64, support: Int)?
        /// Where the name clock's offset changes after `nameOffset` (``offsetChanges(from:at:)``).
        var nameChanges: [ClockChange] = []
        var nameAnchors = 0
        var mtimeOffset: (offset: Int64, support: Int)?
        /// How the name clock drifts, when it does (``drift(_:at:offset:)``): `nameOffset` is then its
        /// offset at the drift's reference.
        var nameDrift: ClockDrift?
        /// The same for the mtime clock.
        var mtimeDrift: ClockDrift?
        /// Name time minus message time for every anchor with a name time, on the clock nearest
        /// the live window (for the estimate over all instances).
        var nameDifferences: [[Int64]] = []
        var ownNumberFolder: String?
        var ownNumberSupport = 0
    }

    /// Counts derivation hits for one partition.
    func derivations(_ partition: Partition, files: [AudioFile], messages: [AudioMessage]) -> DerivationEstimate {
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
        // Each hypothesis on its own core: hashing the sample under every derivation, one after
        // another, kept a core idle for a few tenths of a second at a million rows (`perf`), when the last of three
        // instances was calibrated alone.
        let sample = candidates
        // Per hypothesis, which token files it names: counted for the hits, and kept for where the
        // detected ones held (the span), so the sample is hashed once.
        let named: [[Bool]] = parallelMap(count: hypotheses.count, minimumChunk: 1) { range in
            range.map { position in
                let derivation = hypotheses[position]
                var keys: Set<ChatToken> = []
                for index in sample {
                    keys.insert(
                        ChatToken(
                            chat: ChatKey(canonical: messages[index].chatKeys.canonical),
                            token: derivation.packedToken(of: messages[index].whatsappID!)))
                }
                return tokenFiles.map { index in
                    keys.contains(
                        ChatToken(
                            chat: ChatKey(canonical: files[index].keys.canonical),
                            token: HashDerivation.pack(files[index].name.token!)))
                }
            }
        }
        var hits: [String: Int] = [:]
        for (derivation, flags) in zip(hypotheses, named) { hits[derivation.rawValue] = flags.count { $0 } }
        if let pinned = settings.hashDerivations {
            return DerivationEstimate(derivations: pinned, hits: hits, source: .pinned, tokenFiles: tokenFiles.count)
        }
        let best = hits.values.max() ?? 0
        // Prefix hypotheses collide by chance (`3EB0…` ids); a real derivation holds a share of
        // the files, not a handful.
        let threshold = max(settings.minimumSupport, Int((Double(best) * 0.05).rounded(.up)))
        let derivations = HashDerivation.allCases
            .filter { (hits[$0.rawValue] ?? 0) >= threshold }
            .sorted { (hits[$0.rawValue] ?? 0) > (hits[$1.rawValue] ?? 0) }
        // Which sampled files the detected derivations name, by name time.
        let detected = hypotheses.indices.filter { derivations.contains(hypotheses[$0]) }
        let span =
            detected.isEmpty
            ? nil
            : Self.derivationSpan(
                tokenFiles.indices.compactMap { position in
                    files[tokenFiles[position]].name.time.map { time in
                        (time.secondsSinceEpoch, detected.contains { named[$0][position] })
                    }
                })
        return DerivationEstimate(
            derivations: derivations, hits: hits, source: derivations.isEmpty ? .undetermined : .detected,
            tokenFiles: tokenFiles.count, span: span)
    }

    /// Where an instance's derivations held: a downloader that changed how it names files (an
    /// upgrade to or from a derivation audiosync does not know) leaves a run of files before its
    /// first named file, or after its last, that none of them names. Between the two, files the
    /// derivations do not name are orphans, or a row's own mistakes, at the rate `q` they show
    /// there; a run of `k` such files in a row outside is taken as another derivation only when
    /// `q^k` is under one in a million (and `k` is at least ``minimumUnnamedRun``), so a few
    /// orphans at either end never make one.
    ///
    /// - Parameter files: each sampled token file's name time, and whether a derivation in use
    ///   names it.
    /// - Returns: `nil` when the derivations hold across all the files.
    static func derivationSpan(_ files: [(time: Int64, named: Bool)]) -> DerivationSpan? {
        let ordered = files.sorted { $0.time < $1.time }
        guard let first = ordered.firstIndex(where: \.named), let last = ordered.lastIndex(where: \.named) else {
            return nil
        }
        let inside = ordered[first...last]
        let unnamed = Double(inside.count { !$0.named }) / Double(inside.count)
        let needed =
            unnamed <= 0
            ? minimumUnnamedRun : max(minimumUnnamedRun, Int((log2(1e-6) / log2(unnamed)).rounded(.up)))
        let before = first >= needed ? ordered[first].time : nil
        let after = ordered.count - 1 - last >= needed ? ordered[last].time : nil
        guard before != nil || after != nil else { return nil }
        return DerivationSpan(from: before, to: after)
    }

    /// The fewest files in a row, before or after the named ones, that make a span.
    static let minimumUnnamedRun = 10

    /// The files of a partition that an identifier ties to exactly one message of its instance.
    ///
    /// - Parameter tokensUsable: whether the derivation is known (an undetermined one's token
    ///   matches are chance).
    func anchors(
        _ partition: Partition, index: CandidateIndex, files: [AudioFile], messages: [AudioMessage],
        tokensUsable: Bool
    ) -> [Anchor] {
        var anchors: [Anchor] = []
        for file in partition.files where files[file].isUsableAudio {
            guard anchors.count < Self.anchorLimit else { break }
            let audio = files[file]
            if tokensUsable, audio.name.tokenKind == .hash8, let token = audio.name.token {
                if let named = index.population.tokens[HashDerivation.pack(token)], named.count == 1 {
                    anchors.append(Anchor(file: file, message: index.messages[Int(named[0])], kind: .token))
                    continue
                }
            }
            // The index's messages by declared digest: an anchor when exactly one declares it.
            if let digest = audio.sha256, let declaring = index.digests[digest], declaring.count == 1 {
                anchors.append(Anchor(file: file, message: index.messages[Int(declaring[0])], kind: .contentHash))
                continue
            }
            if let sized = index.population.sizes[audio.size], sized.count == 1 {
                let message = index.messages[Int(sized[0])]
                // A size alone can be chance: the hash, where both are known, must not disagree.
                if let digest = audio.sha256, let declared = messages[message].fileSHA256, digest != declared {
                    continue
                }
                anchors.append(Anchor(file: file, message: message, kind: .size))
            }
        }
        return anchors
    }

    /// The clocks of name times and mtimes, and the own-number folder, from the anchors.
    func clocks(_ anchors: [Anchor], files: [AudioFile], messages: [AudioMessage]) -> ClockEstimate {
        var estimate = ClockEstimate()
        var named: [[Int64]] = []
        var nameTimes: [Int64] = []
        var modified: [[Int64]] = []
        var mtimes: [Int64] = []
        for anchor in anchors {
            estimate.anchors[anchor.kind, default: 0] += 1
            let message = messages[anchor.message]
            var clocks = [message.insertTime]
            if let sent = message.sentTime, sent != message.insertTime { clocks.append(sent) }
            if let name = files[anchor.file].name.time?.secondsSinceEpoch {
                named.append(clocks.map { name - $0 })
                nameTimes.append(name)
            }
            if let mtime = files[anchor.file].modificationTime {
                modified.append(clocks.map { mtime - $0 })
                mtimes.append(mtime)
            }
        }
        estimate.nameAnchors = named.count
        estimate.nameDifferences = named
        estimate.nameOffset = offset(from: named)
        if let changing = offsetChanges(from: named, at: nameTimes) {
            (estimate.nameOffset, estimate.nameChanges) = (changing.first, changing.changes)
        }
        if estimate.nameChanges.isEmpty, let steady = estimate.nameOffset,
            let drifting = Self.drift(named, at: nameTimes, offset: steady.offset)
        {
            (estimate.nameOffset, estimate.nameDrift) = ((drifting.offset, steady.support), drifting.drift)
        }
        estimate.mtimeOffset = offset(from: modified, zones: 0...0)
        if let steady = estimate.mtimeOffset, let drifting = Self.drift(modified, at: mtimes, offset: steady.offset) {
            (estimate.mtimeOffset, estimate.mtimeDrift) = ((drifting.offset, steady.support), drifting.drift)
        }
        (estimate.ownNumberFolder, estimate.ownNumberSupport) = ownNumberFolder(
            anchors, files: files, messages: messages)
        return estimate
    }

    /// The offset of a clock from UTC, to the second: each anchor gives its clock's reading minus
    /// its message's time on each of the message's clocks; live downloads cluster just above the
    /// true offset. The zone (a quarter hour, whole hours first) whose window holds the most
    /// anchors wins if it has `min_support` and beats any other zone more than 15 minutes away by
    /// 1.5×; within it, the offset is the low edge of the cluster, so a clock some minutes off is
    /// read as it is.
    ///
    /// - Parameter zones: the quarter hours to try (−56…56 is −14:00…+14:00).
    func offset(from anchors: [[Int64]], zones: ClosedRange<Int64> = -56...56) -> (offset: Int64, support: Int)? {
        guard anchors.count >= settings.minimumSupport else { return nil }
        let candidates = Self.rankedZones(anchors, zones)
        let best = candidates[0]
        guard best.support >= settings.minimumSupport else { return nil }
        var rival = 0
        if let other = candidates.dropFirst().first(where: { abs($0.zone - best.zone) > 900 }) { rival = other.support }
        guard 2 * best.support >= 3 * rival else { return nil }
        // The low edge: downloads land a second or more after their clock's time, so the
        // earliest differences (past a few stragglers) are the offset.
        let cluster = anchors.compactMap { Self.earliestInWindow($0, best.zone) }.sorted()
        let edge = cluster[min(cluster.count - 1, cluster.count / 50)]
        return (edge - 1, best.support)
    }

    /// A clock that drifts (a server no time service corrects): its anchors' low edge moves with
    /// time, by a second or more a day, where a steady clock's stays put. The anchors near the
    /// steady offset (its live window), in time order, are cut into up to 12 runs of at least 20;
    /// each run's low edge is read as ``offset(from:zones:)`` reads one, and a line is drawn through
    /// them (the median of the slopes between every two: a run of back-filled files cannot tip it).
    /// It is taken only where it matters and fits: it moves the clock by 20 s or more over the
    /// anchors' time, the runs' edges lie within 10 s of it (median) and none more than 45 s away (a
    /// clock set right once is a step, not a drift), over at least 14 days and 60 anchors.
    ///
    /// - Parameters:
    ///   - anchors: each anchor's clock reading minus its message's time, per message clock.
    ///   - times: each anchor's clock reading.
    ///   - offset: the steady offset found for the clock.
    /// - Returns: the offset at the drift's reference (the anchors' median time), and the drift.
    static func drift(_ anchors: [[Int64]], at times: [Int64], offset: Int64) -> (offset: Int64, drift: ClockDrift)? {
        var points: [(time: Int64, difference: Int64)] = []
        for (differences, time) in zip(anchors, times) {
            if let earliest = earliestInWindow(differences, offset) { points.append((time, earliest)) }
        }
        guard points.count >= 60 else { return nil }
        points.sort { $0.time < $1.time }
        let span = points[points.count - 1].time - points[0].time
        guard span >= 14 * 86_400 else { return nil }
        let runs = min(12, points.count / 20)
        let reference = points[points.count / 2].time
        // Each run's low edge after taking `slope` out, at the run's middle time.
        func edges(less slope: Double) -> [(time: Double, edge: Double)] {
            (0..<runs).map { run in
                let slice = points[(run * points.count / runs)..<((run + 1) * points.count / runs)]
                let sorted = slice.map { Double($0.difference) - slope * Double($0.time - reference) }.sorted()
                return (Double(slice[slice.startIndex + slice.count / 2].time - reference), sorted[sorted.count / 50])
            }
        }
        // Theil–Sen: the median of the slopes between every two runs' edges.
        func slope(of edges: [(time: Double, edge: Double)]) -> Double? {
            var slopes: [Double] = []
            for first in edges.indices {
                for second in edges.indices where second > first && edges[second].time > edges[first].time {
                    slopes.append((edges[second].edge - edges[first].edge) / (edges[second].time - edges[first].time))
                }
            }
            return slopes.isEmpty ? nil : median(slopes)
        }
        // A run's edge is its earliest anchors' when the clock drifts through it: the slope is
        // read once, taken out, and read again from what is left.
        guard let rough = slope(of: edges(less: 0)), let rest = slope(of: edges(less: rough)) else { return nil }
        let slope = rough + rest
        guard abs(slope) * Double(span) >= 20 else { return nil }
        let level = points.map { Double($0.difference) - slope * Double($0.time - reference) }.sorted()
        let atReference = level[level.count / 50]
        let misses = edges(less: slope).map { abs($0.edge - atReference) }
        guard median(misses) <= 10, misses.allSatisfy({ $0 <= 45 }) else { return nil }
        return (Int64(atReference.rounded()) - 1, ClockDrift(secondsPerDay: slope * 86_400, reference: reference))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The earliest of an anchor's differences in a zone's live window, `[zone − 150 s, zone +
    /// 150 s + liveWindow]`: wide enough for a clock two minutes either way.
    static func earliestInWindow(_ differences: [Int64], _ zone: Int64) -> Int64? {
        differences.lazy.filter { inWindow($0, zone) }.min()
    }

    /// Whether `difference` is in `zone`'s live window, `[zone − 150 s, zone + 150 s + liveWindow]`.
    private static func inWindow(_ difference: Int64, _ zone: Int64) -> Bool {
        difference >= zone - windowSlack && difference <= zone + windowSlack + liveWindow
    }

    private static let windowSlack: Int64 = 150

    /// Each zone (quarter hours) with the anchors whose live window it holds: most first, then
    /// whole hours, then nearest UTC.
    ///
    /// A window is 900 s wide, so a difference falls in the windows of one or two quarters, found
    /// by arithmetic: trying every zone against every anchor (113 passes over up to 20,000 anchors
    /// an instance, and over every instance's together for the store's clock, on one core) was
    /// 2 % of a million-row dry run's samples.
    static func rankedZones(_ anchors: [[Int64]], _ zones: ClosedRange<Int64>) -> [(zone: Int64, support: Int)] {
        var support = [Int](repeating: 0, count: zones.count)
        for differences in anchors {
            for (position, difference) in differences.enumerated() {
                // The quarters q with 900q − slack ≤ difference ≤ 900q + slack + liveWindow.
                let low = max(zones.lowerBound, -floorDivision(windowSlack + liveWindow - difference, by: 900))
                let high = min(zones.upperBound, floorDivision(difference + windowSlack, by: 900))
                guard low <= high else { continue }
                for quarter in low...high {
                    // An anchor counts once a zone, however many of its differences the window holds.
                    let counted = differences[..<position].contains { inWindow($0, quarter * 900) }
                    if !counted { support[Int(quarter - zones.lowerBound)] += 1 }
                }
            }
        }
        var candidates: [(zone: Int64, support: Int)] = []
        candidates.reserveCapacity(zones.count)
        for quarter in zones { candidates.append((quarter * 900, support[Int(quarter - zones.lowerBound)])) }
        candidates.sort { lhs, rhs in
            if lhs.support != rhs.support { return lhs.support > rhs.support }
            let lhsWhole = lhs.zone % 3600 == 0
            let rhsWhole = rhs.zone % 3600 == 0
            if lhsWhole != rhsWhole { return lhsWhole }
            return abs(lhs.zone) < abs(rhs.zone)
        }
        return candidates
    }

    /// ⌊numerator / denominator⌋ for a positive denominator; Swift's `/` rounds toward zero.
    private static func floorDivision(_ numerator: Int64, by denominator: Int64) -> Int64 {
        let quotient = numerator / denominator
        return numerator % denominator < 0 ? quotient - 1 : quotient
    }

    /// A name clock in a zone that keeps daylight saving time reads an hour differently either
    /// side of each change, and ``offset(from:zones:)`` then finds no zone, or one that leaves the
    /// other side's files an hour off. Here the anchors, in name-time order, are each labelled by
    /// which of the best zone and the zone an hour from it their live window fits; the labels are
    /// split into runs (two states, a cost of 1 per anchor against its run and of `switchCost` per
    /// change, solved exactly); each run must hold `minimum` anchors of its zone and 1.5× as many
    /// as of the other, and then has its own offset, read as ``offset(from:zones:)`` reads one.
    /// Two clocks interleaved (two servers) make no runs, and stay as they were.
    ///
    /// - Returns: the first run's offset with every run's support, and a change per later run;
    ///   `nil` for a clock of one offset, or where the runs do not hold.
    func offsetChanges(from anchors: [[Int64]], at names: [Int64]) -> (
        first: (offset: Int64, support: Int), changes: [ClockChange]
    )? {
        let minimum = max(settings.minimumSupport, 10)
        guard anchors.count >= 2 * minimum else { return nil }
        func fits(_ differences: [Int64], _ zone: Int64) -> Bool { Self.earliestInWindow(differences, zone) != nil }
        let best = Self.rankedZones(anchors, -56...56)[0]
        let neighbours = [best.zone - 3600, best.zone + 3600].map { zone in (zone, anchors.count { fits($0, zone) }) }
        let other = neighbours[0].1 >= neighbours[1].1 ? neighbours[0] : neighbours[1]
        guard other.1 >= minimum else { return nil }
        let zones = [best.zone, other.0]
        // (name time, anchor, 0 for the best zone's window, 1 for the other's); anchors fitting
        // both or neither say nothing about the zone.
        var labelled: [(name: Int64, anchor: Int, label: Int)] = []
        for anchor in names.indices.sorted(by: { (names[$0], $0) < (names[$1], $1) }) {
            let inBest = fits(anchors[anchor], zones[0])
            if inBest != fits(anchors[anchor], zones[1]) { labelled.append((names[anchor], anchor, inBest ? 0 : 1)) }
        }
        let switchCost = 8
        // cost[state]: the least cost of the labels so far ending in `state`; `from` the state before.
        var cost = [0, 0]
        var cameFrom: [[Int]] = []
        cameFrom.reserveCapacity(labelled.count)
        for entry in labelled {
            var next = [0, 0]
            var previous = [0, 0]
            for state in 0..<2 {
                let stay = cost[state]
                let change = cost[1 - state] + switchCost
                previous[state] = stay <= change ? state : 1 - state
                next[state] = min(stay, change) + (entry.label == state ? 0 : 1)
            }
            cost = next
            cameFrom.append(previous)
        }
        guard !labelled.isEmpty else { return nil }
        var states = [Int](repeating: 0, count: labelled.count)
        states[labelled.count - 1] = cost[0] <= cost[1] ? 0 : 1
        for position in stride(from: labelled.count - 1, to: 0, by: -1) {
            states[position - 1] = cameFrom[position][states[position]]
        }
        // The runs: positions in `labelled` of equal state.
        var runs: [Range<Int>] = []
        var start = 0
        for position in 1...labelled.count where position == labelled.count || states[position] != states[start] {
            runs.append(start..<position)
            start = position
        }
        guard runs.count > 1 else { return nil }
        var offsets: [(offset: Int64, support: Int)] = []
        for run in runs {
            let state = states[run.lowerBound]
            let own = labelled[run].count { $0.label == state }
            guard own >= minimum, 2 * own >= 3 * (run.count - own) else { return nil }
            // Every anchor named within the run's span, so back-fills there count as they would alone.
            let low = labelled[run.lowerBound].name
            let high = labelled[run.upperBound - 1].name
            let members = names.indices.filter { names[$0] >= low && names[$0] <= high }.map { anchors[$0] }
            guard let offset = offset(from: members, zones: (zones[state] / 900)...(zones[state] / 900)) else {
                return nil
            }
            offsets.append(offset)
        }
        let changes = runs.indices.dropFirst().map { position in
            ClockChange(
                after: labelled[runs[position - 1].upperBound - 1].name, from: labelled[runs[position].lowerBound].name,
                offset: offsets[position].offset)
        }
        // The support is every run's: the anchors the clock, changes and all, explains.
        return ((offsets[0].offset, offsets.reduce(0) { $0 + $1.support }), changes)
    }

    /// The chat folder whose anchored files are, mostly, notes the instance's own phone sent to
    /// other chats: the instance's own number. `nil` when none has `min_support` such files.
    ///
    /// A group note the phone sent, filed under its sender's folder, counts for the folder too:
    /// its sender is the phone, so that folder is the phone's number. Counted as its sender's
    /// chat instead, such notes outnumbered the notes to people in independent store 218's
    /// instance (72 against 38), whose own number went unfound: a note it sent to a person was then
    /// no candidate of its own file, and a forward of it to a group, the same bytes, took the file.
    func ownNumberFolder(_ anchors: [Anchor], files: [AudioFile], messages: [AudioMessage]) -> (String?, Int) {
        var own: [String: Int] = [:]
        var same: [String: Int] = [:]
        // Counted by the folder's canonical digits, named as the folder is written.
        var written: [String: String] = [:]
        for anchor in anchors {
            let file = files[anchor.file]
            let message = messages[anchor.message]
            let relation = ChatRelation(file: file, message: message)
            let sentHereByThePhone = relation == .senderFolder && message.fromMe
            if relation.isSameConversation && !sentHereByThePhone {
                same[file.keys.canonical, default: 0] += 1
            } else if message.fromMe {
                own[file.keys.canonical, default: 0] += 1
                written[file.keys.canonical] = written[file.keys.canonical] ?? file.chatFolder
            }
        }
        guard
            let best = own.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
            best.value >= settings.minimumSupport, best.value >= same[best.key] ?? 0
        else { return (nil, 0) }
        return (written[best.key], best.value)
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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
