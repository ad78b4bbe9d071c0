/// One partition's pipeline after calibration: duplicates, blocking, scoring, assignment, decisions.
struct PartitionRun: Sendable {
    let partition: Partition
    let calibration: InstanceCalibration
    let profile: Profile
    let index: CandidateIndex
    let context: ScoringContext
    let scorer: Scorer

    init(
        partition: Partition,
        calibration: InstanceCalibration,
        profile: Profile,
        files: [AudioFile],
        messages: [AudioMessage]
    ) {
        self.partition = partition
        self.calibration = calibration
        self.profile = profile
        self.index = CandidateIndex(
            partition: partition,
            files: files,
            messages: messages,
            calibration: calibration,
            blocking: profile.blocking,
            allowCrossChat: profile.allowCrossChat
        )
        self.context = ScoringContext(calibration: calibration, allowCrossChat: profile.allowCrossChat)
        self.scorer = Scorer(profile: profile)
    }

    /// A scored, non-vetoed pair; `file` and `message` are run indices.
    struct Pair: Sendable {
        var file: Int
        var message: Int
        var score: Double
    }

    /// Everything the run learnt about the partition.
    struct Outcome: Sendable {
        var links: [MatchPlan.Link] = []
        var reviews: [MatchPlan.Review] = []
        var unmatched: [MatchPlan.UnmatchedFile] = []
        var work = MatchPlan.Work()
        /// Linked file (run index) → message (run index), duplicates included.
        var fileLinks: [Int: Int] = [:]
    }

    /// Byte-identical files of one chat with one name token: the first (by name time, then path)
    /// stands for the group; the others are its duplicates.
    func groupDuplicates(_ files: [AudioFile]) -> (canonical: [Int], duplicates: [Int: [Int]]) {
        var groups: [DuplicateKey: [Int]] = [:]
        var canonical: [Int] = []
        for index in partition.files where files[index].isUsableAudio {
            let file = files[index]
            guard let token = file.name.token, let digest = file.sha256 else {
                canonical.append(index)
                continue
            }
            groups[
                DuplicateKey(chat: ChatKey(canonical: file.keys.canonical), token: token, digest: digest), default: []
            ].append(
                index)
        }
        var duplicates: [Int: [Int]] = [:]
        for members in groups.values {
            let ordered = members.sorted {
                let lhs = files[$0]
                let rhs = files[$1]
                let lhsTime = lhs.name.time?.secondsSinceEpoch ?? .max
                let rhsTime = rhs.name.time?.secondsSinceEpoch ?? .max
                return lhsTime != rhsTime ? lhsTime < rhsTime : lhs.path < rhs.path
            }
            canonical.append(ordered[0])
            if ordered.count > 1 { duplicates[ordered[0]] = Array(ordered.dropFirst()) }
        }
        canonical.sort()
        return (canonical, duplicates)
    }

    /// Scores every candidate pair of the given files, in parallel.
    func scorePairs(
        of nodes: [Int],
        files: [AudioFile],
        messages: [AudioMessage]
    ) -> (pairs: [[Pair]], scored: Int, vetoed: Int, truncated: Int) {
        struct Chunk: Sendable {
            var pairs: [Pair]
            var scored: Int
            var vetoed: Int
            var truncated: Bool
        }
        let perFile: [Chunk] = parallelMap(count: nodes.count, minimumChunk: 256) { range in
            range.map { position in
                let file = files[nodes[position]]
                let (candidates, truncated) = index.candidates(for: file, all: messages)
                var pairs: [Pair] = []
                var vetoed = 0
                for local in candidates {
                    let messageIndex = index.messages[Int(local)]
                    let outcome = scorer.score(file, messages[messageIndex], in: context)
                    if outcome.vetoedBy != nil {
                        vetoed += 1
                    } else {
                        pairs.append(Pair(file: nodes[position], message: messageIndex, score: outcome.score))
                    }
                }
                return Chunk(pairs: pairs, scored: candidates.count, vetoed: vetoed, truncated: truncated)
            }
        }
        return (
            perFile.map(\.pairs),
            perFile.reduce(0) { $0 + $1.scored },
            perFile.reduce(0) { $0 + $1.vetoed },
            perFile.reduce(0) { $0 + ($1.truncated ? 1 : 0) }
        )
    }

    /// The whole pipeline for the partition.
    func run(files: [AudioFile], messages: [AudioMessage], explainLinks: Bool) -> Outcome {
        var outcome = Outcome()
        outcome.work.partitions = 1
        outcome.work.files = partition.files.count
        outcome.work.messages = partition.messages.count
        for index in partition.files where !files[index].isUsableAudio {
            outcome.unmatched.append(.init(file: files[index].path, reason: .damaged, best: nil))
        }
        let (nodes, duplicates) = groupDuplicates(files)
        let scoring = scorePairs(of: nodes, files: files, messages: messages)
        outcome.work.scoredPairs = scoring.scored
        outcome.work.vetoedPairs = scoring.vetoed
        outcome.work.truncatedBlocking = scoring.truncated

        // Local numbering: files by their position in `nodes`, messages densely as they appear.
        var messageSlot: [Int: Int] = [:]
        var messageOfSlot: [Int] = []
        var byMessage: [[(file: Int, score: Double)]] = []
        for (fileSlot, pairs) in scoring.pairs.enumerated() {
            for pair in pairs {
                let slot: Int
                if let known = messageSlot[pair.message] {
                    slot = known
                } else {
                    slot = messageOfSlot.count
                    messageSlot[pair.message] = slot
                    messageOfSlot.append(pair.message)
                    byMessage.append([])
                }
                byMessage[slot].append((fileSlot, pair.score))
            }
        }
        let solved = solve(
            nodes: nodes, pairs: scoring.pairs, messageSlot: messageSlot, messageCount: messageOfSlot.count)
        outcome.work.components = solved.components
        outcome.work.largestComponent = solved.largest

        let decider = Decider(
            profile: profile,
            nodes: nodes,
            pairs: scoring.pairs,
            byMessage: byMessage,
            messageOfSlot: messageOfSlot,
            messageSlot: messageSlot,
            matchOfFile: solved.matchOfFile.map { $0.map { messageOfSlot[$0] } },
            waterfall: { scorer.waterfall(files[$0], messages[$1], in: context) },
            tier: { scorer.tier(files[$0], messages[$1], in: context) },
            explainLinks: explainLinks
        )
        decider.decide(into: &outcome, duplicates: duplicates, files: files, messages: messages)
        return outcome
    }

    /// Solves the assignment per connected component of the pairs that clear the floor.
    ///
    /// - Returns: for each file slot, the matched message's slot.
    private func solve(
        nodes: [Int],
        pairs: [[Pair]],
        messageSlot: [Int: Int],
        messageCount: Int
    ) -> (matchOfFile: [Int?], components: Int, largest: Int) {
        let fileCount = nodes.count
        var unionFind = UnionFind(count: fileCount + messageCount)
        var edges: [(file: Int, message: Int, value: Double)] = []
        for (fileSlot, list) in pairs.enumerated() {
            for pair in list where pair.score >= profile.floor {
                let slot = messageSlot[pair.message]!
                edges.append((fileSlot, slot, pair.score - profile.floor))
                unionFind.union(fileSlot, fileCount + slot)
            }
        }
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
                matchOfFile[rooted[start].edge.file] = rooted[start].edge.message
                largest = max(largest, 2)
                continue
            }
            var leftIDs: [Int: Int] = [:]
            var rightIDs: [Int: Int] = [:]
            var leftOf: [Int] = []
            var messageOfRight: [Int] = []
            var assignmentEdges: [Assignment.Edge] = []
            for (_, edge) in rooted[start..<end] {
                if leftIDs[edge.file] == nil {
                    leftIDs[edge.file] = leftOf.count
                    leftOf.append(edge.file)
                }
                if rightIDs[edge.message] == nil {
                    rightIDs[edge.message] = messageOfRight.count
                    messageOfRight.append(edge.message)
                }
                assignmentEdges.append(
                    .init(left: leftIDs[edge.file]!, right: rightIDs[edge.message]!, value: edge.value))
            }
            largest = max(largest, leftOf.count + messageOfRight.count)
            let solution = Assignment(leftCount: leftOf.count, rightCount: messageOfRight.count, edges: assignmentEdges)
            for (left, right) in solution.matchedPairs() {
                matchOfFile[leftOf[left]] = messageOfRight[right]
            }
        }
        return (matchOfFile, components, largest)
    }
}

struct DuplicateKey: Hashable, Sendable {
    let chat: ChatKey
    let token: String
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
