/// An instance's plan, kept after it was made, so that files and rows arriving later are planned
/// against it in a fraction of the time a plan of the whole instance takes.
///
/// A watch that cannot link a note by its bytes or its name alone (its row declares no digest,
/// its name's token is under a derivation nobody knows, a back-filled download) used to plan its
/// whole instance: 1.3–1.9 s at 60,000 rows, one instance after another. A warm plan keeps what
/// that plan learnt (the index, calibration and weights, each file's pairs, every message's claims:
/// the odds its files put on it, and the assignment) and plans only the arriving files and their
/// rivals, against the instance's messages and the rows read since:
///
/// - the pending files, every file of the kept plan proposing one of their candidates, and the
///   files of their folders the caller read the bytes of (a second download is grouped with its
///   note, as the plan groups them) are blocked and scored again, with the new rows as candidates
///   of each (a rival to a kept link, the row a waiting file waits for); the chat strategy's veto
///   keeps other chats' rows out;
/// - each message's claims are the kept plan's, less what the re-scored files claimed there, plus
///   what they claim now, so a pending file's link probability counts every file of the instance
///   proposing its message, as the whole plan's does;
/// - the assignment is solved over those files; a linked file whose assignment it would change
///   refuses the whole warm plan: moving a link is the instance's plan's to do.
///
/// What it gives up against the instance's plan: the weights, u, calibration and the population's
/// counts (how many messages share a token, a size, a length) are the kept plan's, and a file is
/// scored against the new rows only when it is one of those files. A watch uses it for arrivals
/// between plans of the instance, as it uses the content batches (`docs/decisions.md`).
public struct WarmInstance: Sendable {
    /// The instance's id (`core_whatsappinstance.instance_id`).
    public var instanceID: String { run.partition.instanceID }
    /// The instance's client (`core_cliente.id`): rows of its chats that name no instance join it.
    public let clientID: Int64?
    let run: PartitionRun
    let kept: Kept
    /// The partition's own files and messages, numbered from 0 (``init(keeping:kept:files:messages:)``).
    let files: [AudioFile]
    let messages: [AudioMessage]
    /// Where each of ``messages`` was among the messages the plan was given (its load's order).
    public let loadPositions: [Int]
    /// Each of the partition's files by path (its index in ``files``), and its node where it is one
    /// (a second download stands behind its first and is none).
    private let fileOfPath: [String: Int]
    private let nodeOfFile: [Int: Int32]
    /// The nodes proposing each message slot in the plan: `slotNodes[slotStart[s]..<slotStart[s + 1]]`.
    private let slotStart: [Int32]
    private let slotNodes: [Int32]
    /// Rows the plan loaded, by id.
    private var knownRows: Set<Int64>
    /// Rows read since the plan, in the order read: candidates of every file planned warm.
    public private(set) var extraRows: [AudioMessage] = []
    /// Files linked since the plan (warm or by content), not among its files.
    private var extraFiles: [AudioFile] = []
    /// How many rows and files came since the plan: each new row is scored against every file a warm
    /// plan scores, so a plan that has taken many is planned again instead (``WarmState``).
    public var additions: Int { extraRows.count + extraFiles.count }
    /// Rows holding a file (`localPath` at the plan's load, or linked since) → the file's path.
    private var claimed: [Int64: String] = [:]
    /// The same, by path.
    private var claimedPaths: [String: Int64] = [:]

    /// What a partition's run keeps for a warm plan: its nodes and each node's pairs' message slots
    /// and odds, and the claims per slot.
    struct Kept: Sendable {
        var nodes: [Int]
        var pairStart: [Int]
        var slot: [Int32]
        var odds: [Float]
        var claims: [Double]
        /// Per node: the message slot the assignment gave it, -1 for none.
        var assigned: [Int32]
        var weights: EvidenceWeights
    }

    /// Keeps a partition's run with copies of its own files and messages, renumbered: a warm plan
    /// that held the whole plan's arrays kept every instance's rows alive until each instance had
    /// been planned again, and a watch's memory climbed by an instance's load with each (from 1,463
    /// to 1,969 MiB over 1,000 arrivals at a million rows).
    init(keeping run: PartitionRun, kept: Kept, files allFiles: [AudioFile], messages allMessages: [AudioMessage]) {
        var filePosition: [Int: Int] = [:]
        filePosition.reserveCapacity(run.partition.files.count)
        for (position, file) in run.partition.files.enumerated() { filePosition[file] = position }
        var kept = kept
        kept.nodes = kept.nodes.map { filePosition[$0]! }
        var partition = run.partition
        partition.files = Array(partition.files.indices)
        partition.messages = Array(partition.messages.indices)
        // The index was built of the partition's messages, in their order (``CandidateIndex``).
        assert(run.index.messages == run.partition.messages, "an index of the partition's messages, in order")
        self.init(
            run: PartitionRun(
                partition: partition, calibration: run.calibration, profile: run.profile,
                index: run.index.renumbered()),
            kept: kept, files: run.partition.files.map { allFiles[$0] },
            messages: run.partition.messages.map { allMessages[$0] }, loadPositions: run.partition.messages)
    }

    private init(run: PartitionRun, kept: Kept, files: [AudioFile], messages: [AudioMessage], loadPositions: [Int]) {
        self.run = run
        self.kept = kept
        self.files = files
        self.messages = messages
        self.loadPositions = loadPositions
        var fileOfPath: [String: Int] = [:]
        fileOfPath.reserveCapacity(run.partition.files.count)
        for file in run.partition.files { fileOfPath[files[file].path] = file }
        self.fileOfPath = fileOfPath
        var nodeOfFile: [Int: Int32] = [:]
        nodeOfFile.reserveCapacity(kept.nodes.count)
        for (node, file) in kept.nodes.enumerated() { nodeOfFile[file] = Int32(node) }
        self.nodeOfFile = nodeOfFile
        var slotStart = [Int32](repeating: 0, count: kept.claims.count + 1)
        for slot in kept.slot { slotStart[Int(slot) + 1] += 1 }
        for slot in 0..<kept.claims.count { slotStart[slot + 1] += slotStart[slot] }
        var slotNodes = [Int32](repeating: 0, count: kept.slot.count)
        var filled = slotStart
        for node in kept.nodes.indices {
            for pair in kept.pairStart[node]..<kept.pairStart[node + 1] {
                let slot = Int(kept.slot[pair])
                slotNodes[Int(filled[slot])] = Int32(node)
                filled[slot] += 1
            }
        }
        self.slotStart = slotStart
        self.slotNodes = slotNodes
        clientID = run.partition.messages.first.map { messages[$0].clientID }
        knownRows = Set(run.partition.messages.map { messages[$0].rowID })
        for message in run.partition.messages {
            if let path = messages[message].localPath {
                claimed[messages[message].rowID] = path
                claimedPaths[path] = messages[message].rowID
            }
        }
    }

    /// A file's chat folder, as its client folder and chat folder name: an instance's `audio/`
    /// folder under a chat is the same chat's.
    static func folder(of file: AudioFile) -> String { file.clientFolder + "/" + file.chatFolder }

    /// Whether a row belongs to the instance's partition: its own, or its client's in a chat that
    /// names no instance.
    public func holds(_ row: AudioMessage) -> Bool {
        row.instanceID.map { $0 == instanceID } ?? (row.clientID == clientID)
    }

    /// A row the plan loaded or read since, and its place among the plan's messages (`nil`: read since).
    public func row(_ id: Int64) -> (message: AudioMessage, loaded: Int?)? {
        if let loaded = run.partition.messages.first(where: { messages[$0].rowID == id }) {
            return (messages[loaded], loaded)
        }
        return extraRows.first { $0.rowID == id }.map { ($0, nil) }
    }

    /// Every row the plan loaded or read since, by id: what a watch compares the instance's rows as
    /// read again with.
    public func rowsByID() -> [Int64: AudioMessage] {
        var rows: [Int64: AudioMessage] = [:]
        rows.reserveCapacity(messages.count + extraRows.count)
        for message in messages { rows[message.rowID] = message }
        for row in extraRows { rows[row.rowID] = row }
        return rows
    }

    /// The file a row holds: its `localPath` at the plan's load or read since, or the file linked
    /// to it since.
    public func file(heldBy row: Int64) -> String? { claimed[row] }

    /// Takes rows read since the plan (those it has not seen) as candidates of later warm plans.
    /// The caller gives only rows of the instance's partition (its own, and its client's chats
    /// that name no instance). Returns how many were new.
    @discardableResult
    public mutating func absorb(_ rows: [AudioMessage]) -> Int {
        var added = 0
        for row in rows where knownRows.insert(row.rowID).inserted {
            extraRows.append(row)
            if let path = row.localPath { claim(row.rowID, path: path) }
            added += 1
        }
        return added
    }

    /// Records a link written since the plan: its row is taken, and the file is a rival of later
    /// arrivals in its folder.
    public mutating func linked(_ file: AudioFile, rowID: Int64) {
        if fileOfPath[file.path] == nil && !extraFiles.contains(where: { $0.path == file.path }) {
            extraFiles.append(file)
        }
        claim(rowID, path: file.path)
    }

    /// Records a link written by another batch since the plan: its row is taken.
    public mutating func linked(path: String, rowID: Int64) { claim(rowID, path: path) }

    private mutating func claim(_ row: Int64, path: String) {
        if let old = claimed[row] { claimedPaths[old] = nil }
        claimed[row] = path
        claimedPaths[path] = row
    }

    /// What a warm plan decided for the pending files, or why it cannot stand in for the
    /// instance's plan.
    public struct Plan: Sendable {
        public var links: [MatchPlan.Link] = []
        public var reviews: [MatchPlan.Review] = []
        public var unmatched: [MatchPlan.UnmatchedFile] = []
        /// Why the warm plan was refused (`nil`: it stands); nothing else is set then.
        public var refused: String?
        /// The files scored: the pending ones and their rivals.
        public var files = 0
        public var scoredPairs = 0
    }

    /// Plans `pending` (probed, with their digests where known) against the kept plan and the rows
    /// read since. `digests` gives the bytes' digests of other files of their folders where the
    /// caller read them (a file with a pending file's size): byte-identical files written close
    /// together are grouped as the plan groups them, the first standing for the others. Rejected
    /// pairs (file path → row ids) are dropped before scoring, as in a plan.
    public func plan(
        pending: [AudioFile], digests: [String: ContentDigest] = [:], rejected: [String: Set<Int64>] = [:]
    ) -> Plan {
        let index = run.index
        let pendingPaths = Set(pending.map(\.path))
        // The files scored: the pending ones, every file of the plan proposing one of their candidates
        // (their rivals, whose claims on those messages are scored again with the new rows), the files
        // of their folders whose bytes the caller read (a second download), and the files linked
        // since in their folders.
        var members = pending
        var memberNodes: [Int32?] = pending.map { fileOfPath[$0.path].flatMap { nodeOfFile[$0] } }
        var memberPaths = pendingPaths
        func add(_ file: Int) {
            guard memberPaths.insert(files[file].path).inserted else { return }
            members.append(files[file])
            memberNodes.append(nodeOfFile[file])
        }
        for file in pending {
            for slot in index.candidates(for: file).messages {
                for node in slotNodes[Int(slotStart[Int(slot)])..<Int(slotStart[Int(slot) + 1])] {
                    add(kept.nodes[Int(node)])
                }
            }
        }
        for path in digests.keys.sorted() { if let file = fileOfPath[path] { add(file) } }
        let folders = Set(pending.map(Self.folder(of:)))
        for file in extraFiles where folders.contains(Self.folder(of: file)) && memberPaths.insert(file.path).inserted {
            members.append(file)
            memberNodes.append(nil)
        }
        for position in members.indices where members[position].sha256 == nil {
            members[position].sha256 = digests[members[position].path]
        }
        // A second download of a note stands behind the first, as in the plan. A linked file that
        // would stand behind another is a link the instance's plan moves.
        let (canonical, duplicates) = run.groupDuplicates(members, among: members.indices)
        for copies in duplicates.values {
            for copy in copies where claimedPaths[members[copy].path] != nil {
                return Plan(refused: "a linked file of the chat folder is a second download of another")
            }
        }
        // Blocking against the plan's messages, and every new row the chat does not veto.
        let oldSlots = index.messages.count
        var pairs = CandidatePairs(width: run.profile.strategies.count, slotCount: oldSlots + extraRows.count)
        var local: [AudioMessage] = []
        var localOfSlot: [Int32: Int] = [:]
        func localMessage(_ slot: Int32, _ message: AudioMessage) -> Int {
            if let known = localOfSlot[slot] { return known }
            local.append(message)
            localOfSlot[slot] = local.count - 1
            return local.count - 1
        }
        // The new rows are not in the index: scored with a population that does not answer for them
        // (whether a token is some indexed message's), the rest of it the plan's.
        var unindexed = index.population
        unindexed.indexesTokens = false
        unindexed.otherTokens = nil
        let newRowContext = ScoringContext(
            calibration: run.calibration, allowCrossChat: run.profile.allowCrossChat, population: unindexed)
        var scored = 0
        for file in canonical.map({ members[$0] }) {
            let context = run.context.focused(on: file)
            let newRowsContext = newRowContext.focused(on: file)
            let found = index.candidates(for: file)
            let rejectedHere = rejected[file.path]
            var newRows: [(row: Int, evidence: Scorer.Evidence)] = []
            for (position, row) in extraRows.enumerated() where rejectedHere?.contains(row.rowID) != true {
                let evidence = run.scorer.evidence(file, row, in: newRowsContext)
                if evidence.vetoedBy == nil { newRows.append((position, evidence)) }
            }
            pairs.startFile(
                conversationSize: index.conversationSize(of: file) + newRows.count,
                blocked: found.messages.count + newRows.count)
            for slot in found.messages {
                let message = messages[index.messages[Int(slot)]]
                if let rejectedHere, rejectedHere.contains(message.rowID) { continue }
                let evidence = run.scorer.evidence(file, message, in: context)
                guard evidence.vetoedBy == nil else { continue }
                pairs.append(message: localMessage(slot, message), slot: slot, evidence: evidence)
            }
            for (position, evidence) in newRows {
                let slot = Int32(oldSlots + position)
                pairs.append(message: localMessage(slot, extraRows[position]), slot: slot, evidence: evidence)
            }
            pairs.endFile()
            scored += found.messages.count + newRows.count
        }
        var judged = Judged(pairs, weights: kept.weights, unscoredBits: PartitionRun.unscoredBits)
        // Each message's claims: the kept plan's, with the re-scored files' old claims taken out.
        var removed: [Int32: Double] = [:]
        for case let node? in memberNodes {
            for pair in kept.pairStart[Int(node)]..<kept.pairStart[Int(node) + 1] {
                removed[kept.slot[pair], default: 0] += Double(kept.odds[pair])
            }
        }
        for slot in Set(pairs.slot) where Int(slot) < oldSlots {
            judged.claims[Int(slot)] += max(0, kept.claims[Int(slot)] - (removed[slot] ?? 0))
        }
        // A row that holds a file of another folder is not to be had: the assignment leaves it to its
        // holder (its odds are in the row's claims), as the plan left it.
        var solvable = judged
        for pair in 0..<pairs.count {
            if let holder = claimed[local[Int(pairs.message[pair])].rowID], !memberPaths.contains(holder) {
                solvable.score[pair] = -1
            }
        }
        let solved = run.solve(pairs, solvable)
        // A linked file whose assignment would change, the plan's or since: the instance's plan
        // decides that.
        for (slot, member) in canonical.enumerated() {
            let file = members[member]
            guard let holds = claimedPaths[file.path] else { continue }
            let assigned = solved.matchOfFile[slot].map { pairs.slot[$0] } ?? -1
            let before: Int32
            if let node = memberNodes[member] {
                before = kept.assigned[Int(node)]
            } else {
                before =
                    local.indices.first { local[$0].rowID == holds }.flatMap { position in
                        localOfSlot.first { $0.value == position }?.key
                    } ?? -2
            }
            if assigned != before {
                return Plan(
                    refused: "a linked file of the chat folder would be assigned elsewhere: \(file.path), its row "
                        + "\(holds)")
            }
        }
        let decider = Decider(
            thresholds: .init(
                targetPrecision: run.profile.targetPrecision, reviewProbability: run.profile.reviewProbability),
            gathered: PartitionRun.Gathered(nodes: canonical, pairs: pairs),
            judged: judged, matchOfFile: solved.matchOfFile,
            explainer: PairExplainer(
                scorer: run.scorer, context: run.context, weights: kept.weights, index: index, files: members,
                messages: local),
            explainLinks: true)
        var outcome = PartitionRun.Outcome(weights: kept.weights)
        decider.decide(into: &outcome, duplicates: duplicates, files: members, messages: local)
        var plan = Plan(files: members.count, scoredPairs: scored)
        // The pending files' links, and the link of a file a pending one is a second download of.
        plan.links = outcome.links.filter {
            pendingPaths.contains($0.file) || $0.duplicates.contains(where: pendingPaths.contains)
        }
        // A row that holds another file keeps it: replacing a row's file is `--repair`'s, in a plan too.
        plan.links.removeAll { link in claimed[link.messageRowID].map { $0 != link.file } ?? false }
        plan.reviews = outcome.reviews.filter { pendingPaths.contains($0.file) }
        plan.unmatched = outcome.unmatched.filter { pendingPaths.contains($0.file) }
        return plan
    }
}
