/// One partition's pipeline after calibration: duplicates, blocking, evidence, estimation,
/// scores and probabilities, assignment, decisions. Each stage hands the next a typed value.
struct PartitionRun: Sendable {
    let partition: Partition
    let calibration: InstanceCalibration
    let profile: Profile
    let index: CandidateIndex
    let context: ScoringContext
    let scorer: Scorer

    init(partition: Partition, calibration: InstanceCalibration, profile: Profile, index: CandidateIndex) {
        self.partition = partition
        self.calibration = calibration
        self.profile = profile
        self.index = index
        self.context = ScoringContext(
            calibration: calibration, allowCrossChat: profile.allowCrossChat, population: index.population)
        self.scorer = Scorer(strategies: profile.strategies)
    }

    /// Everything the run learnt about the partition.
    struct Outcome: Sendable {
        var links: [MatchPlan.Link] = []
        var reviews: [MatchPlan.Review] = []
        var unmatched: [MatchPlan.UnmatchedFile] = []
        var work = MatchPlan.Work()
        /// Linked file (run index) → message (run index), duplicates included.
        var fileLinks: [Int: Int] = [:]
        /// The weights the partition was scored with.
        var weights: EvidenceWeights
        var support: [Double] = []
        /// For each decided pair, the probability stated: what `evaluate` checks calibration by.
        var stated: [StatedProbability] = []
        /// What a warm plan needs of the run (``WarmInstance``), when asked for.
        var kept: WarmInstance.Kept?
    }

    /// A probability the run stated for a pair, for the reliability table.
    struct StatedProbability: Sendable {
        var file: String
        var messageRowID: Int64
        var probability: Double
    }

    /// Byte-identical files of one chat folder written close together: re-downloads of one
    /// message, whatever their names say. Identical bytes far apart in time are a note and its
    /// forward (the own-number folder holds both), and names with two different tokens are two
    /// messages: neither is grouped. The first (by time, then path) stands for the group; the
    /// others are its duplicates.
    func groupDuplicates(_ files: [AudioFile]) -> (canonical: [Int], duplicates: [Int: [Int]]) {
        groupDuplicates(files, among: partition.files)
    }

    /// ``groupDuplicates(_:)`` of the given files of `files` (a warm plan's, ``WarmInstance``).
    func groupDuplicates(_ files: [AudioFile], among indices: some Sequence<Int>) -> (
        canonical: [Int], duplicates: [Int: [Int]]
    ) {
        var groups: [DuplicateKey: [Int]] = [:]
        var canonical: [Int] = []
        for index in indices where files[index].isUsableAudio {
            let file = files[index]
            guard let digest = file.sha256 else {
                canonical.append(index)
                continue
            }
            groups[DuplicateKey(chat: ChatKey(canonical: file.keys.canonical), digest: digest), default: []]
                .append(index)
        }
        var duplicates: [Int: [Int]] = [:]
        let window: Int64 = 3_600
        for members in groups.values {
            let time = { (file: Int) -> Int64 in self.index.fileTime(files[file])?.time ?? .max }
            let ordered = members.sorted {
                time($0) != time($1) ? time($0) < time($1) : files[$0].path < files[$1].path
            }
            var clusters: [[Int]] = []
            for file in ordered {
                if let last = clusters.last?.last, let head = clusters.last?.first,
                    time(file) == .max || time(last) == .max || time(file) - time(last) <= window,
                    mayBeOneMessage(files[file], files[head])
                {
                    clusters[clusters.count - 1].append(file)
                } else {
                    clusters.append([file])
                }
            }
            for cluster in clusters {
                canonical.append(cluster[0])
                if cluster.count > 1 { duplicates[cluster[0]] = Array(cluster.dropFirst()) }
            }
        }
        canonical.sort()
        return (canonical, duplicates)
    }

    /// Whether two byte-identical files' names allow one message: names with two tokens must give
    /// the same one, and a name that gives a message's token under the instance's derivation says
    /// which message its file is, so beside a name that says nothing it may be a forward of the
    /// other's note (a forward carries the same bytes, and a gateway that transcodes makes the same
    /// file of them): those two are left apart, for the evidence to tell.
    private func mayBeOneMessage(_ a: AudioFile, _ b: AudioFile) -> Bool {
        switch (a.name.token, b.name.token) {
        case (nil, nil): return true
        case (let mine?, let theirs?): return mine == theirs
        case (nil, _?): return !namesAMessage(b)
        case (_?, nil): return !namesAMessage(a)
        }
    }

    /// Whether a file's `HASH8` is some message's token under the instance's derivation, where it held.
    private func namesAMessage(_ file: AudioFile) -> Bool {
        guard file.name.tokenKind == .hash8, let token = file.name.token, !calibration.hashDerivations.isEmpty,
            calibration.derivationsHold(atName: file.name.time?.secondsSinceEpoch)
        else { return false }
        return index.population.messagesSharing(token: HashDerivation.pack(token)) > 0
    }

    /// What blocking and the strategies found for the files standing for their duplicate groups.
    struct Gathered: Sendable {
        /// File slot → run index of the file.
        var nodes: [Int]
        var pairs: CandidatePairs
        var scored = 0
        var vetoed = 0
        var truncated = 0
        /// File slot → why blocking found nothing, for files it found nothing for.
        var misses: [Int: CandidateIndex.Miss] = [:]
    }

    /// Blocks and asks every strategy about every candidate pair of the given files, in parallel.
    /// A pair in `rejected` (file path → message row ids a person rejected) is dropped and counted
    /// as vetoed, before any strategy sees it.
    func gather(
        _ nodes: [Int], files: [AudioFile], messages: [AudioMessage], rejected: [String: Set<Int64>] = [:]
    ) -> Gathered {
        struct Chunk: Sendable {
            var pairs: CandidatePairs
            var scored = 0
            var vetoed = 0
            var truncated = 0
            var misses: [(Int, CandidateIndex.Miss)] = []
        }
        let width = profile.strategies.count
        let chunks: [Chunk] = parallelMap(count: nodes.count, minimumChunk: 256) { range in
            var chunk = Chunk(pairs: CandidatePairs(width: width, slotCount: index.messages.count))
            for position in range {
                let file = files[nodes[position]]
                let context = context.focused(on: file)
                let found = index.candidates(for: file)
                let rejectedHere = rejected.isEmpty ? nil : rejected[file.path]
                chunk.pairs.startFile(conversationSize: index.conversationSize(of: file), blocked: found.messages.count)
                for local in found.messages {
                    let message = index.messages[Int(local)]
                    if let rejectedHere, rejectedHere.contains(messages[message].rowID) {
                        chunk.vetoed += 1
                        continue
                    }
                    let evidence = scorer.evidence(file, messages[message], in: context)
                    if evidence.vetoedBy != nil {
                        chunk.vetoed += 1
                    } else {
                        chunk.pairs.append(message: message, slot: local, evidence: evidence)
                    }
                }
                chunk.pairs.endFile()
                chunk.scored += found.messages.count
                if found.truncated { chunk.truncated += 1 }
                if let miss = found.miss { chunk.misses.append((position, miss)) }
            }
            return [chunk]
        }
        var gathered = Gathered(nodes: nodes, pairs: CandidatePairs(width: width, slotCount: index.messages.count))
        for chunk in chunks {
            gathered.pairs.appendFiles(of: chunk.pairs)
            gathered.scored += chunk.scored
            gathered.vetoed += chunk.vetoed
            gathered.truncated += chunk.truncated
            for (position, miss) in chunk.misses { gathered.misses[position] = miss }
        }
        return gathered
    }

    /// Level counts among random eligible pairs: each usable file against a few random messages
    /// of its conversation, for the u of every strategy level; and how many of those pairs are
    /// expected to be true ones (one message in the conversation's size is the file's, unless it
    /// is an orphan), which u must be cleared of.
    ///
    /// The draws are made in order (one random sequence per instance, the same pairs on every
    /// run), the strategies asked on every core, and the tally made in the draws' order, so the
    /// sums are the same as one thread's to the last bit.
    ///
    /// Six pairs a file, fewer in an instance so large that six would be more than
    /// ``randomPairBudget`` (at least one a file): drawing them was 11 % of a million-row sync's
    /// CPU, and u is a share of a few levels per strategy. Measured on the 70 stores of
    /// `benchmarks/accuracy` with one pair a file everywhere: 149,122 links against 149,108, no
    /// wrong link either way; stores under 20,000 files an instance draw six, as before.
    func unrelatedLevelCounts(files: [AudioFile], messages: [AudioMessage], perFile: Int = 6) -> RandomPairSample {
        struct Draw {
            var file: Int
            var message: Int
            var conversationSize: Int
        }
        var draws: [Draw] = []
        var random = SplitMix(seed: UInt64(truncatingIfNeeded: partition.instanceID.hashValueStable))
        let usable = partition.files.count(where: { files[$0].isUsableAudio })
        let perFile = max(1, min(perFile, Self.randomPairBudget / max(usable, 1)))
        for file in partition.files where files[file].isUsableAudio {
            guard let conversation = index.population.conversation(of: files[file]), conversation.size > 0 else {
                continue
            }
            for _ in 0..<perFile {
                let local = conversation.timeline.insert.messages[Int(random.next() % UInt64(conversation.size))]
                draws.append(Draw(file: file, message: index.messages[Int(local)], conversationSize: conversation.size))
            }
        }
        let drawn = draws
        let width = profile.strategies.count
        // Per draw, `width` levels (-1: no finding; all `vetoed`: a strategy vetoed the pair).
        let vetoed: Int8 = -2
        let levels: [Int8] = parallelMap(count: draws.count, minimumChunk: 2_048) { range in
            var levels: [Int8] = []
            levels.reserveCapacity(range.count * width)
            // A file's draws are consecutive: it is read, and its context focused on it, once (a
            // copy of a file read for every draw was a dozen retains and releases each).
            var focus: (index: Int, file: AudioFile, context: ScoringContext)?
            for draw in drawn[range] {
                if focus?.index != draw.file {
                    let file = files[draw.file]
                    focus = (draw.file, file, context.focused(on: file))
                }
                guard let focus else { continue }
                let evidence = scorer.evidence(focus.file, messages[draw.message], in: focus.context)
                if evidence.vetoedBy != nil {
                    levels.append(contentsOf: repeatElement(vetoed, count: width))
                } else {
                    for finding in evidence.findings { levels.append(Int8(finding?.level ?? -1)) }
                }
            }
            return levels
        }
        var sample = RandomPairSample(counts: profile.strategies.map { Array(repeating: 0.0, count: $0.levels.count) })
        for (position, draw) in draws.enumerated() where width == 0 || levels[position * width] != vetoed {
            sample.pairs += 1
            sample.expectedTrue += 1 / Double(draw.conversationSize)
            for strategy in 0..<width where levels[position * width + strategy] >= 0 {
                sample.counts[strategy][Int(levels[position * width + strategy])] += 1
            }
        }
        return sample
    }

    /// The random pairs an instance draws for u at most, unless it has more usable files (one each).
    static let randomPairBudget = 120_000

    /// The whole pipeline for the partition, with the u shares estimated for it.
    func run(
        files: [AudioFile], messages: [AudioMessage], u: RandomPairSample.Shares, explainLinks: Bool,
        rejected: [String: Set<Int64>] = [:], keepWarm: Bool = false
    ) -> Outcome {
        let (nodes, duplicates) = groupDuplicates(files)
        let gathered = gather(nodes, files: files, messages: messages, rejected: rejected)
        let start = EvidenceWeights(profile: profile, orphanShare: profile.estimation.orphanShare ?? 0.1)
        var weights = start
        var support: [Double] = []
        if profile.estimation.enabled {
            let estimator = WeightEstimator(
                settings: .init(strength: profile.estimation.strength, boundBits: profile.estimation.boundBits),
                unscoredBits: Self.unscoredBits)
            (weights, support) = estimator.estimate(
                start: start, pinned: profile.strategies.map(\.pinned), random: u, pairs: gathered.pairs,
                estimateOrphanShare: profile.estimation.orphanShare == nil)
        }
        var outcome = Outcome(weights: weights, support: support)
        outcome.work.partitions = 1
        outcome.work.files = partition.files.count
        outcome.work.messages = partition.messages.count
        outcome.work.scoredPairs = gathered.scored
        outcome.work.vetoedPairs = gathered.vetoed
        outcome.work.truncatedBlocking = gathered.truncated
        for miss in gathered.misses.values { outcome.work.noCandidates[miss.rawValue, default: 0] += 1 }
        for index in partition.files where !files[index].isUsableAudio {
            outcome.unmatched.append(.init(file: files[index].path, reason: .damaged, best: nil))
        }
        let judged = Judged(gathered.pairs, weights: weights, unscoredBits: Self.unscoredBits)
        let solved = solve(gathered.pairs, judged)
        if keepWarm {
            outcome.kept = WarmInstance.Kept(
                nodes: gathered.nodes, pairStart: gathered.pairs.fileStart, slot: gathered.pairs.slot,
                odds: judged.probability.map { Float(Judged.odds($0)) }, claims: judged.claims,
                assigned: solved.matchOfFile.map { $0.map { gathered.pairs.slot[$0] } ?? -1 }, weights: weights)
        }
        outcome.work.components = solved.components
        outcome.work.largestComponent = solved.largest
        let decider = Decider(
            thresholds: .init(targetPrecision: profile.targetPrecision, reviewProbability: profile.reviewProbability),
            gathered: gathered, judged: judged, matchOfFile: solved.matchOfFile,
            explainer: PairExplainer(
                scorer: scorer, context: context, weights: weights, index: index, files: files, messages: messages),
            explainLinks: explainLinks
        )
        decider.decide(into: &outcome, duplicates: duplicates, files: files, messages: messages)
        return outcome
    }

    /// log2 of the likelihood ratio of a message blocking left out of a file's window: its time
    /// is days from the file's, which true pairs almost never show.
    static let unscoredBits = -10.0

    /// Solves the assignment per connected component of the pairs that beat "none of these"
    /// (a score above 0).
    ///
    /// - Returns: for each file slot, the matched pair's index.
    func solve(_ pairs: CandidatePairs, _ judged: Judged) -> (
        matchOfFile: [Int?], components: Int, largest: Int
    ) {
        let fileCount = pairs.fileCount
        var messageSlot: [Int32: Int] = [:]
        var edges: [(file: Int, message: Int, pair: Int, value: Double)] = []
        for file in 0..<fileCount {
            for pair in pairs.fileStart[file]..<pairs.fileStart[file + 1] where judged.score[pair] > 0 {
                let slot: Int
                if let known = messageSlot[pairs.message[pair]] {
                    slot = known
                } else {
                    slot = messageSlot.count
                    messageSlot[pairs.message[pair]] = slot
                }
                edges.append((file, slot, pair, judged.score[pair]))
            }
        }
        var unionFind = UnionFind(count: fileCount + messageSlot.count)
        for edge in edges { unionFind.union(edge.file, fileCount + edge.message) }
        // Group the edges by component: sorted by root, so each component is a contiguous run.
        var rooted = edges.map { (root: unionFind.find($0.file), edge: $0) }
        rooted.sort { ($0.root, $0.edge.file, $0.edge.message) < ($1.root, $1.edge.file, $1.edge.message) }
        var matchOfFile = [Int?](repeating: nil, count: fileCount)
        var largest = 0
        var components = 0
        var start = 0
        while start < rooted.count {
            var end = start + 1
            while end < rooted.count && rooted[end].root == rooted[start].root { end += 1 }
            components += 1
            defer { start = end }
            // Most components are one file and one message: nothing to solve.
            if end - start == 1 {
                matchOfFile[rooted[start].edge.file] = rooted[start].edge.pair
                largest = max(largest, 2)
                continue
            }
            var leftIDs: [Int: Int] = [:]
            var rightIDs: [Int: Int] = [:]
            var leftOf: [Int] = []
            var rightCount = 0
            var pairOf: [Int: Int] = [:]
            var assignmentEdges: [Assignment.Edge] = []
            for (_, edge) in rooted[start..<end] {
                if leftIDs[edge.file] == nil {
                    leftIDs[edge.file] = leftOf.count
                    leftOf.append(edge.file)
                }
                if rightIDs[edge.message] == nil {
                    rightIDs[edge.message] = rightCount
                    rightCount += 1
                }
                let left = leftIDs[edge.file]!
                let right = rightIDs[edge.message]!
                pairOf[left << 32 | right] = edge.pair
                assignmentEdges.append(.init(left: left, right: right, value: edge.value))
            }
            largest = max(largest, leftOf.count + rightCount)
            let solution = Assignment(leftCount: leftOf.count, rightCount: rightCount, edges: assignmentEdges)
            for (left, right) in solution.matchedPairs() {
                matchOfFile[leftOf[left]] = pairOf[left << 32 | right]
            }
        }
        return (matchOfFile, components, largest)
    }
}

/// The scores and probabilities of a partition's pairs under its weights.
struct Judged: Sendable {
    /// Per pair: log2 odds against "none of these".
    var score: [Double]
    /// Per pair: the probability, on the file's side, that it is the file's message.
    var probability: [Double]
    /// Per file: the probability that it is none of its candidates' file.
    var none: [Double]
    /// Per message (its slot): the summed odds `p / (1 − p)` of every pair proposing it, so a
    /// pair's rivals for its message are `claims − its own`.
    var claims: [Double]
    /// Per pair: its message's slot.
    private let slot: [Int32]

    init(_ pairs: CandidatePairs, weights: EvidenceWeights, unscoredBits: Double) {
        (score, probability, none) = WeightEstimator.judgeFiles(
            pairs: pairs, weights: weights, unscoredBits: unscoredBits)
        claims = Array(repeating: 0, count: pairs.slotCount)
        slot = pairs.slot
        // In pair order, as one thread would sum them.
        for pair in 0..<pairs.count { claims[Int(pairs.slot[pair])] += Self.odds(probability[pair]) }
    }

    /// The probability a link would state: the file's share, given that no other file proposing
    /// the same message is its file too. Each file's belief is its own; at most one of them can
    /// hold: with `p` the file's share and `q` each rival's, `p / (1 + (1 − p) Σ q / (1 − q))`.
    /// Two files equally sure of one message get a half each; a sure file is not shaken by a
    /// rival that spreads a little belief over many messages.
    ///
    /// The same holds on the file's side: another of its candidates that other files claim is
    /// that much less likely its own. Each of the file's other candidates `k` (of `filePairs`, the
    /// file's pairs) keeps its share `p_k` only where no other file has it, `p_k / (1 + r_k)` with
    /// `r_k` the other files' summed odds for it, so the file's share becomes
    /// `p / (1 − Σ p_k r_k / (1 + r_k))`. A note 3 s after its message and 25 s after the one
    /// before, whose own file came 3 s after it, is as sure as the two files together say; the
    /// same note beside a message no file claims stays as unsure as time alone leaves it.
    func linkProbability(pair: Int, filePairs: Range<Int>) -> Double {
        var taken = 0.0
        for other in filePairs where other != pair {
            let share = probability[other]
            guard share > 0 else { continue }
            let rivals = max(0, claims[Int(slot[other])] - Self.odds(share))
            taken += share * rivals / (1 + rivals)
        }
        let own = min(1, probability[pair] / max(1 - taken, 1e-12))
        let rivals = max(0, claims[Int(slot[pair])] - Self.odds(probability[pair]))
        return own / (1 + (1 - own) * rivals)
    }

    /// `p / (1 − p)`, finite.
    static func odds(_ probability: Double) -> Double {
        let p = min(probability, 1 - 1e-12)
        return p / (1 - p)
    }
}

extension CandidatePairs {
    /// Appends another batch's files (in order) after this one's.
    mutating func appendFiles(of other: CandidatePairs) {
        let offset = message.count
        levels += other.levels
        chance += other.chance
        message += other.message
        slot += other.slot
        effect += other.effect
        fileStart += other.fileStart.dropFirst().map { $0 + offset }
        conversationSize += other.conversationSize
        unscored += other.unscored
    }

    /// The file slot of every pair.
    var fileOfPair: [Int] {
        var result = [Int](repeating: 0, count: count)
        for file in 0..<fileCount {
            for pair in fileStart[file]..<fileStart[file + 1] { result[pair] = file }
        }
        return result
    }
}

struct DuplicateKey: Hashable, Sendable {
    let chat: ChatKey
    let digest: ContentDigest
}

/// Disjoint sets with path halving and union by size.
struct UnionFind: Sendable {
    private var parent: [Int]
    private var size: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        size = Array(repeating: 1, count: count)
    }

    mutating func find(_ node: Int) -> Int {
        var node = node
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }

    mutating func union(_ a: Int, _ b: Int) {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
    }
}

/// SplitMix64, for the estimator's random pairs: the same pairs on every run.
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: a hash that is the same in every process (Swift's `hashValue`
    /// is seeded per process).
    public var hashValueStable: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// What random eligible pairs of an instance showed: level counts per strategy, and how many of
/// the pairs were true ones by chance of the draw.
struct RandomPairSample: Sendable {
    var counts: [[Double]]
    var pairs = 0.0
    /// Σ 1 / conversation size over the pairs: the true pairs expected among them if no file were
    /// an orphan.
    var expectedTrue = 0.0

    /// The level shares of an instance smoothed toward all instances' (``WeightEstimator/unrelatedShares(counts:pooled:strength:)``),
    /// with the share of its pairs that are true ones.
    struct Shares: Sendable {
        var shares: [[Double]]
        /// Of the random pairs, the share that is a file's own message, were no file an orphan.
        var trueShare: Double
    }
}
