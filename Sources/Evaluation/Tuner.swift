import Foundation
public import Logging
public import MatchEngine
import MessageStore
public import Sync

/// `audiosync tune`: estimates each strategy level's bits from the data and writes a profile
/// whose bits are the priors every later sync starts its own estimation from.
///
/// With labels, m comes from labelled candidate pairs of the train half of the files (split by a
/// hash of the path) and u from random eligible pairs; the estimated bits compete with the
/// starting ones on the train half (the most recall at the target precision), and the held-out
/// half shows whether it helped. Without labels, the bits are what sync's own estimation finds
/// (Fellegi–Sunter EM per instance, ``WeightEstimator``), pooled over the instances: writing
/// them down changes the starting point, not the answer, so recall is not lost.
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
        @Nullable public var m: Double?
        @Nullable public var u: Double?
        public var note: String
    }

    /// What tuning found and wrote.
    public struct Result: Sendable, Encodable {
        public var schemaVersion = 1
        public var labelled: Bool
        public var targetPrecision: Double
        public var levels: [LevelEstimate]
        /// Held-out figures (labelled runs only): the starting profile and the tuned one.
        @Nullable public var heldOutBefore: EvaluationReport.Metrics?
        @Nullable public var heldOutAfter: EvaluationReport.Metrics?
        public var notes: [String]
        /// The profile, as YAML with comments.
        public var yaml: String

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
        var base = profile.profile
        base.targetPrecision = targetPrecision
        let matcher = Matcher(profile: base, tenancy: inputs.tenancy)
        let pairs = matcher.candidatePairs(files: files, messages: messages).filter { !$0.vetoed }
        let random = matcher.randomPairs(
            files: files, messages: messages, count: min(500_000, max(20_000, 20 * files.count)), seed: 0x5EED
        )
        .filter { !$0.vetoed }
        let truthByFile = truth.messageByFile
        let isTrain = files.map { Self.isTrainHalf($0.path) }
        var trueCounts = Counts(base)
        var trueTotal = 0
        for pair in pairs where isTrain[pair.file] {
            guard truthByFile[files[pair.file].path].flatMap({ $0 }) == messages[pair.message].rowID else { continue }
            trueCounts.add(pair)
            trueTotal += 1
        }
        var randomCounts = Counts(base)
        for pair in random { randomCounts.add(pair) }
        var notes = [
            "labels: \(truth.entries.count) files; m from \(trueTotal) true candidate pairs of the train half, "
                + "u from \(random.count) random pairs"
        ]
        var (tuned, estimates) = try Self.reestimated(
            base, m: { _ in trueCounts }, u: randomCounts, sources: ("true pairs", "random pairs"))
        // The starting bits compete: blocking makes signals dependent, which the model ignores,
        // and the estimation at sync time moves them anyway.
        let trainTruth = TruthFile(entries: truth.entries.filter { Self.isTrainHalf($0.file) })
        let testTruth = TruthFile(entries: truth.entries.filter { !Self.isTrainHalf($0.file) })
        progress?("evaluating", 0, 2)
        let estimatedOnTrain = Self.metrics(tuned, files: files, messages: messages, truth: trainTruth)
        progress?("evaluating", 1, 2)
        let startingOnTrain = Self.metrics(base, files: files, messages: messages, truth: trainTruth)
        let keepEstimate =
            estimatedOnTrain.precision >= min(targetPrecision, startingOnTrain.precision)
            && estimatedOnTrain.recall >= startingOnTrain.recall
        if keepEstimate {
            notes.append(
                "the estimated bits: recall \(String(format: "%.4f", estimatedOnTrain.recall)) at precision "
                    + "\(String(format: "%.4f", estimatedOnTrain.precision)) on the train half (starting bits: "
                    + "\(String(format: "%.4f", startingOnTrain.recall)) at \(String(format: "%.4f", startingOnTrain.precision)))"
            )
        } else {
            tuned = base
            notes.append(
                "the starting bits kept: the estimated ones did no better on the train half (recall "
                    + "\(String(format: "%.4f", estimatedOnTrain.recall)) at \(String(format: "%.4f", estimatedOnTrain.precision)) "
                    + "against \(String(format: "%.4f", startingOnTrain.recall)) at \(String(format: "%.4f", startingOnTrain.precision)))"
            )
            estimates = estimates.map { estimate in
                var kept = estimate
                let level = base.strategy(estimate.strategy)?.levels.first { $0.identifier == estimate.level }
                kept.bits = level?.bits ?? estimate.bits
                kept.note = "starting value kept; the estimate was \(formatBits(estimate.bits)) from \(estimate.note)"
                return kept
            }
        }
        let before = Self.metrics(profile.profile, files: files, messages: messages, truth: testTruth)
        let after = Self.metrics(tuned, files: files, messages: messages, truth: testTruth)
        notes.append(
            "held-out half: precision \(String(format: "%.4f", before.precision)) → \(String(format: "%.4f", after.precision)), "
                + "recall \(String(format: "%.4f", before.recall)) → \(String(format: "%.4f", after.recall))"
        )
        return Result(
            labelled: true,
            targetPrecision: tuned.targetPrecision,
            levels: estimates,
            heldOutBefore: before,
            heldOutAfter: after,
            notes: notes,
            yaml: try ProfileWriter.yaml(tuned, estimates: estimates, header: header(labelled: true, notes: notes))
        )
    }

    // MARK: Without labels

    func unlabelled(_ inputs: SyncInputs) throws -> Result {
        let base = profile.profile
        var estimating = base
        estimating.estimation.enabled = true
        let plan = Matcher(profile: estimating, tenancy: inputs.tenancy).plan(
            files: inputs.files, messages: inputs.load.messages, options: .init(explainLinks: false))
        let reports = plan.calibration.compactMap(\.weights).filter(\.estimated)
        var tuned = base
        var estimates: [LevelEstimate] = []
        for (index, strategy) in base.strategies.enumerated() {
            var bits: [String: Double] = [:]
            for level in strategy.levels {
                // Pooled over instances: m weighted by the true pairs behind it, u by instance.
                var mSum = 0.0
                var weightSum = 0.0
                var uSum = 0.0
                for report in reports {
                    guard
                        let entry = report.levels.first(where: {
                            $0.strategy == strategy.identifier && $0.level == level.identifier
                        }),
                        let m = entry.m, let u = entry.u
                    else { continue }
                    let weight = max(1, report.support[strategy.identifier] ?? 0)
                    mSum += weight * m
                    weightSum += weight
                    uSum += u
                }
                guard weightSum > 0, !reports.isEmpty else {
                    estimates.append(
                        LevelEstimate(
                            strategy: strategy.identifier, level: level.identifier, bits: level.bits, m: nil, u: nil,
                            note: "kept: no instance estimated it"))
                    continue
                }
                let m = mSum / weightSum
                let u = uSum / Double(reports.count)
                let estimate = min(
                    level.bits + base.estimation.boundBits, max(level.bits - base.estimation.boundBits, log2(m / u)))
                bits[level.identifier] = Self.clamp(estimate)
                estimates.append(
                    LevelEstimate(
                        strategy: strategy.identifier, level: level.identifier, bits: Self.clamp(estimate), m: m, u: u,
                        note:
                            "m=\(String(format: "%.4g", m)), u=\(String(format: "%.4g", u)) over \(reports.count) instances"
                    ))
            }
            tuned.strategies[index] = try strategy.with(levelBits: bits)
        }
        let notes = [
            "no labels: the bits sync estimates per instance (EM over its candidate pairs, u from random pairs), "
                + "pooled over \(reports.count) instances; sync goes on estimating from these as priors"
        ]
        return Result(
            labelled: false,
            targetPrecision: tuned.targetPrecision,
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
            "store: \(media.root) with \(redactedDatabaseLocation(database.database))",
            "started from: \(profile.source)",
            labelled
                ? "labels: \(truthPath ?? "") (target precision \(targetPrecision))"
                : "no labels: the record-linkage recipe",
        ] + notes
    }
}
