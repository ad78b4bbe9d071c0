import Foundation
public import Logging
import MatchEngine
import MessageStore
public import Sync

/// `audiosync tune`: estimates each strategy level's bits from the data and writes a profile.
///
/// With labels, m and u come from labelled candidate pairs (the train half of the files, split by
/// a hash of the path), and floor and margin are chosen for the target precision on that half;
/// the held-out half shows whether it helped. Without labels, the record-linkage recipe: u from
/// random pairs, m from pairs anchored by an identifier, the prior from the expected number of
/// links; floor and margin stay as they were.
public struct Tuner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let profile: ProfileChoice
    public let truthPath: String?
    public let targetPrecision: Double
    public let logger: Logger

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice, truthPath: String?,
        targetPrecision: Double = 0.999, logger: Logger = Logger(label: "audiosync.tune")
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.truthPath = truthPath
        self.targetPrecision = targetPrecision
        self.logger = logger
    }

    /// One level's estimate.
    public struct LevelEstimate: Sendable, Codable {
        public var strategy: String
        public var level: String
        public var bits: Double
        public var m: Double?
        public var u: Double?
        public var note: String
    }

    /// What tuning found and wrote.
    public struct Result: Sendable, Codable {
        public var labelled: Bool
        public var prior: Double
        public var floor: Double
        public var margin: Double
        public var levels: [LevelEstimate]
        /// Held-out figures (labelled runs only): the starting profile and the tuned one.
        public var heldOutBefore: EvaluationReport.Metrics?
        public var heldOutAfter: EvaluationReport.Metrics?
        public var notes: [String]
        /// The profile, as YAML with comments.
        public var yaml: String

        enum CodingKeys: String, CodingKey {
            case labelled, prior, floor, margin, levels
            case heldOutBefore = "held_out_before"
            case heldOutAfter = "held_out_after"
            case notes, yaml
        }
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> Result {
        let inputs = try await SyncInputs.gather(
            database: database, media: media, allowCrossChat: profile.profile.allowCrossChat, logger: logger,
            progress: progress)
        progress?("pairs", 0, 1)
        if let truthPath {
            let truth = try TruthFile(contentsOf: URL(fileURLWithPath: truthPath))
            return try labelled(inputs, truth: truth, progress: progress)
        }
        return try unlabelled(inputs)
    }

    // MARK: With labels

    func labelled(_ inputs: SyncInputs, truth: TruthFile, progress: SyncRunner.Progress?) throws -> Result {
        let files = inputs.files
        let messages = inputs.load.messages
        let base = profile.profile
        let pairs = Matcher(profile: base).candidatePairs(files: files, messages: messages).filter { !$0.vetoed }
        let truthByFile = truth.messageByFile
        let isTrain = files.map { Self.isTrainHalf($0.path) }
        var trueCounts = Counts(base)
        var falseCounts = Counts(base)
        var trueTotal = 0
        var falseTotal = 0
        for pair in pairs where isTrain[pair.file] {
            let isTrue = truthByFile[files[pair.file].path].flatMap { $0 } == messages[pair.message].rowID
            if isTrue {
                trueCounts.add(pair)
                trueTotal += 1
            } else {
                falseCounts.add(pair)
                falseTotal += 1
            }
        }
        var notes = [
            "labels: \(truth.entries.count) files; \(trueTotal) true and \(falseTotal) other candidate pairs on the train half"
        ]
        var (tuned, estimates) = try Self.reestimated(
            base,
            m: { _ in trueCounts },
            u: falseCounts,
            sources: ("true pairs", "other pairs")
        )
        tuned.prior = Self.clamp(log2(Double(max(1, trueTotal)) / Double(max(1, falseTotal))))
        // Floor and margin: the most recall that keeps the target precision on the train half.
        // The starting bits compete too: where the estimated ones do no better (blocking makes
        // signals dependent, which the model ignores), the profile keeps what worked.
        let trainTruth = TruthFile(entries: truth.entries.filter { Self.isTrainHalf($0.file) })
        let testTruth = TruthFile(entries: truth.entries.filter { !Self.isTrainHalf($0.file) })
        var best: (profile: Profile, estimated: Bool, metrics: EvaluationReport.Metrics)?
        let floors: [Double] = [4, 6, 8, 10, 12, 14, 16]
        let margins: [Double] = [2, 3, 4, 5, 6, 8]
        var tried = 0
        for (bits, estimated) in [(tuned, true), (base, false)] {
            for floor in floors {
                for margin in margins {
                    tried += 1
                    progress?("thresholds", tried, 2 * floors.count * margins.count)
                    var candidate = bits
                    candidate.floor = floor
                    candidate.margin = margin
                    let metrics = Self.metrics(candidate, files: files, messages: messages, truth: trainTruth)
                    guard metrics.precision >= targetPrecision else { continue }
                    let better =
                        best.map { current in
                            metrics.recall > current.metrics.recall + 1e-12
                                || (abs(metrics.recall - current.metrics.recall) <= 1e-12
                                    && floor + margin > current.profile.floor + current.profile.margin)
                        } ?? true
                    if better { best = (candidate, estimated, metrics) }
                }
            }
        }
        if let best {
            tuned = best.profile
            notes.append(
                "floor \(formatBits(best.profile.floor)) and margin \(formatBits(best.profile.margin)) with the "
                    + (best.estimated ? "estimated bits" : "starting bits (the estimated ones did no better)")
                    + ": the most recall (\(String(format: "%.4f", best.metrics.recall))) at precision ≥ \(targetPrecision) "
                    + "on the train half (\(String(format: "%.4f", best.metrics.precision)))"
            )
            if !best.estimated {
                estimates = estimates.map { estimate in
                    var kept = estimate
                    let level = base.strategy(estimate.strategy)?.levels.first { $0.identifier == estimate.level }
                    kept.bits = level?.bits ?? estimate.bits
                    kept.note =
                        "starting value kept; the estimate was \(formatBits(estimate.bits)) from \(estimate.note)"
                    return kept
                }
            }
        } else {
            notes.append(
                "no floor and margin reached precision \(targetPrecision) on the train half; kept \(formatBits(base.floor)) and \(formatBits(base.margin))"
            )
        }
        let before = Self.metrics(base, files: files, messages: messages, truth: testTruth)
        let after = Self.metrics(tuned, files: files, messages: messages, truth: testTruth)
        notes.append(
            "held-out half: precision \(String(format: "%.4f", before.precision)) → \(String(format: "%.4f", after.precision)), "
                + "recall \(String(format: "%.4f", before.recall)) → \(String(format: "%.4f", after.recall))"
        )
        return Result(
            labelled: true,
            prior: tuned.prior,
            floor: tuned.floor,
            margin: tuned.margin,
            levels: estimates,
            heldOutBefore: before,
            heldOutAfter: after,
            notes: notes,
            yaml: try ProfileWriter.yaml(tuned, estimates: estimates, header: header(labelled: true, notes: notes))
        )
    }

    // MARK: Without labels

    func unlabelled(_ inputs: SyncInputs) throws -> Result {
        let files = inputs.files
        let messages = inputs.load.messages
        let base = profile.profile
        let matcher = Matcher(profile: base)
        let pairs = matcher.candidatePairs(files: files, messages: messages).filter { !$0.vetoed }
        let random = matcher.randomPairs(
            files: files, messages: messages, count: min(500_000, max(20_000, 20 * files.count)), seed: 0x5EED
        )
        .filter { !$0.vetoed }
        // Anchors: pairs an anchor level (an identifier on its own) ties, and only one per file.
        let anchoring = base.strategies.indices.filter { base.strategies[$0].levels.contains(where: \.isAnchor) }
        func anchored(by strategies: [Int]) -> [PairFindings] {
            let hits = pairs.filter { pair in
                strategies.contains { strategy in
                    pair.levels[strategy].map { base.strategies[strategy].levels[$0].isAnchor } ?? false
                }
            }
            let perFile = Dictionary(grouping: hits, by: \.file)
            return perFile.values.compactMap { $0.count == 1 ? $0[0] : nil }
        }
        func counts(_ pairs: [PairFindings]) -> Counts {
            var counts = Counts(base)
            for pair in pairs { counts.add(pair) }
            return counts
        }
        let any = anchored(by: anchoring)
        let anchorCounts = anchoring.map { "\(anchored(by: [$0]).count) by \(base.strategies[$0].identifier)" }
        var notes = [
            "no labels: u from \(random.count) random pairs, m from pairs anchored by an identifier "
                + "(\((anchorCounts + ["\(any.count) by any of them"]).joined(separator: ", ")))"
        ]
        var randomCounts = Counts(base)
        for pair in random { randomCounts.add(pair) }
        // An identifier's own m comes from the other identifiers' anchors; the rest from any anchor.
        let anyCounts = counts(any)
        var ownCounts: [Int: Counts] = [:]
        for strategy in anchoring {
            ownCounts[strategy] = counts(anchored(by: anchoring.filter { $0 != strategy }))
        }
        var (tuned, estimates) = try Self.reestimated(
            base,
            m: { index in ownCounts[index] ?? anyCounts },
            u: randomCounts,
            sources: ("anchored pairs", "random pairs")
        )
        let expected = max(1, any.count)
        tuned.prior = Self.clamp(log2(Double(expected) / Double(max(1, pairs.count - expected))))
        notes.append(
            "prior from \(expected) expected links among \(pairs.count) candidate pairs; floor and margin kept (no labels to choose them)"
        )
        return Result(
            labelled: false,
            prior: tuned.prior,
            floor: tuned.floor,
            margin: tuned.margin,
            levels: estimates,
            heldOutBefore: nil,
            heldOutAfter: nil,
            notes: notes,
            yaml: try ProfileWriter.yaml(tuned, estimates: estimates, header: header(labelled: false, notes: notes))
        )
    }

    // MARK: Helpers

    /// Level counts per strategy.
    struct Counts {
        var levels: [[Int]]
        var withEvidence: [Int]

        init(_ profile: Profile) {
            levels = profile.strategies.map { Array(repeating: 0, count: $0.levels.count) }
            withEvidence = Array(repeating: 0, count: profile.strategies.count)
        }

        mutating func add(_ pair: PairFindings) {
            for (strategy, level) in pair.levels.enumerated() {
                guard let level else { continue }
                levels[strategy][level] += 1
                withEvidence[strategy] += 1
            }
        }
    }

    /// The profile with every level's bits re-estimated from counts: `m(index)` gives the counts
    /// for the strategy at `index` among pairs taken as true, `u` among pairs taken as false.
    static func reestimated(
        _ base: Profile,
        m: (Int) -> Counts,
        u: Counts,
        sources: (String, String)
    ) throws -> (Profile, [LevelEstimate]) {
        var tuned = base
        var estimates: [LevelEstimate] = []
        for (index, strategy) in base.strategies.enumerated() {
            let trueCounts = m(index)
            var bits: [String: Double] = [:]
            for (levelIndex, level) in strategy.levels.enumerated() {
                let estimate = estimate(
                    strategy: strategy.identifier,
                    level: level,
                    m: (trueCounts.levels[index][levelIndex], trueCounts.withEvidence[index]),
                    u: (u.levels[index][levelIndex], u.withEvidence[index]),
                    sources: sources
                )
                bits[level.identifier] = estimate.bits
                estimates.append(estimate)
            }
            tuned.strategies[index] = try strategy.with(levelBits: bits)
        }
        return (tuned, estimates)
    }

    /// log2(m/u) with add-half smoothing; the default bits when either side has too few pairs.
    static func estimate(
        strategy: String,
        level: ConfiguredStrategy.LevelSetting,
        m: (count: Int, total: Int),
        u: (count: Int, total: Int),
        sources: (String, String)
    ) -> LevelEstimate {
        let minimum = 20
        guard m.total >= minimum, u.total >= minimum, m.count + u.count >= 5 else {
            return LevelEstimate(
                strategy: strategy,
                level: level.identifier,
                bits: level.bits,
                m: nil,
                u: nil,
                note:
                    "kept: too few pairs show it (\(m.count)/\(m.total) \(sources.0), \(u.count)/\(u.total) \(sources.1))"
            )
        }
        let mShare = (Double(m.count) + 0.5) / (Double(m.total) + 1)
        let uShare = (Double(u.count) + 0.5) / (Double(u.total) + 1)
        return LevelEstimate(
            strategy: strategy,
            level: level.identifier,
            bits: clamp(log2(mShare / uShare)),
            m: mShare,
            u: uShare,
            note:
                "m=\(String(format: "%.4g", mShare)) (\(m.count)/\(m.total) \(sources.0)), u=\(String(format: "%.4g", uShare)) (\(u.count)/\(u.total) \(sources.1))"
        )
    }

    static func clamp(_ bits: Double) -> Double { min(30, max(-30, bits)).rounded(toPlaces: 2) }

    /// Files whose path hashes even train; the others are held out. FNV-1a: stable across runs.
    static func isTrainHalf(_ path: String) -> Bool {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash & 1 == 0
    }

    static func metrics(_ profile: Profile, files: [AudioFile], messages: [AudioMessage], truth: TruthFile)
        -> EvaluationReport.Metrics
    {
        let plan = Matcher(profile: profile).plan(files: files, messages: messages, options: .init(explainLinks: false))
        let wanted = Set(truth.entries.map(\.file))
        let links = Evaluator.links(of: plan).filter { wanted.contains($0.file) }
        return Evaluator.evaluate(
            matcher: "audiosync", links: links, reviews: plan.reviews.count, files: files, messages: messages,
            truth: truth
        )
        .overall
    }

    func header(labelled: Bool, notes: [String]) -> [String] {
        [
            "audiosync weight profile written by `audiosync tune`",
            "store: \(media.root) with \(database.database)",
            "started from: \(profile.source)",
            labelled
                ? "labels: \(truthPath ?? "") (target precision \(targetPrecision))"
                : "no labels: the record-linkage recipe",
        ] + notes
    }
}
