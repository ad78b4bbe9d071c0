public import Logging

/// The engine's entry point: files and messages in, a ``MatchPlan`` out. Pure: no I/O.
///
/// ```swift
/// let matcher = Matcher(profile: Profile(strategies: BuiltInStrategies.all))
/// let plan = matcher.plan(files: scan.files, messages: load.messages)
/// ```
public struct Matcher: Sendable {
    public let profile: Profile
    /// The database's clients and instances, beyond what the messages name (``Tenancy``).
    public let tenancy: Tenancy
    /// Calibrations an earlier plan found, by instance id, used as they are instead of estimated:
    /// a plan of a few pairs (a watch's content batch) has too little data to calibrate from, and
    /// what its instance's whole plan found (the own-number folder, the clocks) still holds.
    public var knownCalibrations: [String: InstanceCalibration] = [:]
    private let logger: Logger

    public init(profile: Profile, tenancy: Tenancy = Tenancy(), logger: Logger = Logger(label: "audiosync.match")) {
        self.profile = profile
        self.tenancy = tenancy
        self.logger = logger
    }

    /// Options that change what the plan carries, not what it decides.
    public struct Options: Sendable {
        /// Whether each link carries its full waterfall (reviews always do). Large runs that
        /// only write may turn it off.
        public var explainLinks = true
        /// Pairs a person rejected in review (`audiosync review reject`, the review page): blocking
        /// may still propose them, but they are dropped before scoring, as a veto would drop them,
        /// so the plan never links, reviews or lists them again. The store remembers them; the
        /// engine only reads this set.
        public var rejectedPairs: Set<RejectedPair> = []
        /// Whether a path (relative to the media root) is in the part of the store the run's
        /// files come from; `nil`: the whole store. A `localPath` outside it is not called missing
        /// (the run cannot see it) but unverified: a sync of one instance reads its client's chats
        /// that name no instance, whose notes may be in the client's other instance folders.
        public var scanned: (@Sendable (String) -> Bool)?

        public init(
            explainLinks: Bool = true, rejectedPairs: Set<RejectedPair> = [],
            scanned: (@Sendable (String) -> Bool)? = nil
        ) {
            self.explainLinks = explainLinks
            self.rejectedPairs = rejectedPairs
            self.scanned = scanned
        }
    }

    /// A file and a message a person said do not belong together.
    public struct RejectedPair: Sendable, Hashable {
        /// The file's path relative to the media root.
        public var file: String
        /// `core_mensagem.id`.
        public var messageRowID: Int64

        public init(file: String, messageRowID: Int64) {
            self.file = file
            self.messageRowID = messageRowID
        }
    }

    /// Calibrates, blocks, scores, assigns and decides.
    public func plan(files: [AudioFile], messages: [AudioMessage], options: Options = Options()) -> MatchPlan {
        let clock = ContinuousClock()
        let started = clock.now
        let prepared = prepare(files: files, messages: messages)
        logger.debug("prepared partitions, calibration and indexes", metadata: ["seconds": "\(clock.now - started)"])
        let plan = plan(prepared, files: files, messages: messages, options: options)
        releaseInBackground(consume prepared)
        return plan
    }

    /// The plan, and each partition kept warm (``WarmInstance``) for plans of what arrives later.
    public func planKeepingWarm(files: [AudioFile], messages: [AudioMessage], options: Options = Options()) -> (
        plan: MatchPlan, warm: [WarmInstance]
    ) {
        let prepared = prepare(files: files, messages: messages)
        let (plan, _, kept) = planWeightsAndKept(
            prepared, files: files, messages: messages, options: options, keepWarm: true)
        let warm = zip(prepared.runs, kept).compactMap { run, kept in
            kept.map { WarmInstance(keeping: run, kept: $0, files: files, messages: messages) }
        }
        return (plan, warm)
    }

    /// The plan from partitions already calibrated and indexed.
    func plan(_ prepared: Prepared, files: [AudioFile], messages: [AudioMessage], options: Options) -> MatchPlan {
        planAndWeights(prepared, files: files, messages: messages, options: options).plan
    }

    /// The plan, and the weights each partition was scored with (for explanations).
    func planAndWeights(_ prepared: Prepared, files: [AudioFile], messages: [AudioMessage], options: Options) -> (
        plan: MatchPlan, weights: [EvidenceWeights]
    ) {
        let (plan, weights, _) = planWeightsAndKept(
            prepared, files: files, messages: messages, options: options, keepWarm: false)
        return (plan, weights)
    }

    /// The plan, the weights, and what each partition keeps for warm plans when `keepWarm`.
    private func planWeightsAndKept(
        _ prepared: Prepared, files: [AudioFile], messages: [AudioMessage], options: Options, keepWarm: Bool
    ) -> (plan: MatchPlan, weights: [EvidenceWeights], kept: [WarmInstance.Kept?]) {
        let clock = ContinuousClock()
        var started = clock.now
        let shares = unrelatedShares(prepared, files: files, messages: messages)
        // Rejections by file, so that scoring looks one set up per file rather than hashing every pair.
        let rejected = Dictionary(grouping: options.rejectedPairs, by: \.file).mapValues { Set($0.map(\.messageRowID)) }
        // Partitions side by side, each on one thread (the work inside a partition spreads over
        // the cores only when it runs alone). Blocking and evidence one partition at a time on
        // every core, then the rest side by side, was slower at a million rows: 28.0 s, not 25.0 s.
        let outcomes: [PartitionRun.Outcome] = parallelMap(count: prepared.runs.count, minimumChunk: 1) { range in
            range.map {
                prepared.runs[$0].run(
                    files: files, messages: messages, u: shares[$0], explainLinks: options.explainLinks,
                    rejected: rejected, keepWarm: keepWarm)
            }
        }
        logger.debug("scored, assigned and decided", metadata: ["seconds": "\(clock.now - started)"])
        started = clock.now
        var plan = MatchPlan(
            thresholds: .init(targetPrecision: profile.targetPrecision, reviewProbability: profile.reviewProbability),
            calibration: prepared.reports
        )
        var fileLinks: [Int: Int] = [:]
        for (index, outcome) in outcomes.enumerated() {
            plan.reviews += outcome.reviews
            plan.unmatched += outcome.unmatched
            plan.work.partitions += outcome.work.partitions
            plan.work.files += outcome.work.files
            plan.work.scoredPairs += outcome.work.scoredPairs
            plan.work.vetoedPairs += outcome.work.vetoedPairs
            plan.work.components += outcome.work.components
            plan.work.largestComponent = max(plan.work.largestComponent, outcome.work.largestComponent)
            plan.work.truncatedBlocking += outcome.work.truncatedBlocking
            plan.work.noCandidates.merge(outcome.work.noCandidates, uniquingKeysWith: +)
            plan.calibration[index].weights = WeightsReport(
                outcome.weights, support: outcome.support, strategies: profile.strategies)
            fileLinks.merge(outcome.fileLinks) { first, _ in first }
        }
        plan.links = [MatchPlan.Link].joined(outcomes.map(\.links), orderedBy: \.messageRowID)
        plan.work.files += prepared.outOfScope.count
        plan.work.messages = messages.count
        for (file, miss) in prepared.outOfScope {
            plan.unmatched.append(.init(file: files[file].path, reason: miss.reason, best: nil))
        }
        plan.claims = ClaimChecker(
            prepared: prepared, profile: profile, weights: outcomes.map(\.weights), scanned: options.scanned
        )
        .check(files: files, messages: messages, fileLinks: fileLinks, links: plan.links)
        logger.debug("checked claims", metadata: ["seconds": "\(clock.now - started)"])
        plan.reviews.sort { ($0.file, $0.messageRowID) < ($1.file, $1.messageRowID) }
        plan.unmatched = plan.unmatched.sorted(byKey: \.file)
        plan.claims = plan.claims.sorted(byKey: \.messageRowID)
        logger.debug(
            "matched",
            metadata: [
                "links": "\(plan.links.count)", "reviews": "\(plan.reviews.count)",
                "scored_pairs": "\(plan.work.scoredPairs)",
            ]
        )
        let weights = outcomes.map(\.weights)
        let kept = outcomes.map(\.kept)
        // Their links are copied into the plan; the outcomes are only memory now.
        releaseInBackground(consume outcomes)
        return (plan, weights, kept)
    }

    /// Each partition's u: the level shares among its random eligible pairs, smoothed toward all
    /// partitions' together.
    func unrelatedShares(_ prepared: Prepared, files: [AudioFile], messages: [AudioMessage])
        -> [RandomPairSample.Shares]
    {
        // Partitions side by side: each draws its pairs and tallies them on one thread (the draws'
        // order is the sample), and asks the strategies on every core free. One after another,
        // those serial parts left a core idle for about 0.4 s at a million rows; `parallelMap`
        // gives a nested call a core as soon as one is free, so the largest no longer runs alone.
        let runs = prepared.runs
        let samples: [RandomPairSample] = parallelMap(count: runs.count, minimumChunk: 1) { range in
            range.map { runs[$0].unrelatedLevelCounts(files: files, messages: messages) }
        }
        var pooled = profile.strategies.map { Array(repeating: 0.0, count: $0.levels.count) }
        for sample in samples {
            for (strategy, levels) in sample.counts.enumerated() {
                for (level, count) in levels.enumerated() { pooled[strategy][level] += count }
            }
        }
        return samples.map {
            RandomPairSample.Shares(
                shares: WeightEstimator.unrelatedShares(counts: $0.counts, pooled: pooled),
                trueShare: $0.pairs > 0 ? $0.expectedTrue / $0.pairs : 0)
        }
    }

    /// The calibrated partitions of a run, ready to score.
    struct Prepared: Sendable {
        var runs: [PartitionRun]
        var reports: [CalibrationReport]
        var outOfScope: [(file: Int, miss: ScopeMiss)]
    }

    /// Partitions and calibrates: the derivation per instance, then the indexes, then, from the
    /// anchors the indexes find, the clocks and the own-number folder. An instance with too
    /// little support borrows the name clock estimated from all instances together.
    func prepare(files: [AudioFile], messages: [AudioMessage]) -> Prepared {
        let clock = ContinuousClock()
        var started = clock.now
        let (partitions, outOfScope) = Partitioner.partition(files: files, messages: messages, tenancy: tenancy)
        logger.debug("partitioned", metadata: ["seconds": "\(clock.now - started)"])
        started = clock.now
        let calibrator = Calibrator(settings: profile.calibration)
        struct Stage: Sendable {
            var derivations: Calibrator.DerivationEstimate
            var index: CandidateIndex
            var anchors: [Calibrator.Anchor]
            var clocks: Calibrator.ClockEstimate
            var scheduledRuns: (paths: Set<String>, starts: [Int64: Int])
        }
        let profile = self.profile
        let known = knownCalibrations
        // Building a partition's indexes derives every message's tokens: in parallel.
        let stages: [Stage] = parallelMap(count: partitions.count, minimumChunk: 1) { range in
            range.map { position in
                let partition = partitions[position]
                var derivations = calibrator.derivations(partition, files: files, messages: messages)
                if let known = known[partition.instanceID] {
                    derivations.derivations = known.hashDerivations
                    derivations.source = known.hashDerivations.isEmpty ? .undetermined : .pinned
                    derivations.span = known.derivationSpan
                }
                let index = CandidateIndex(
                    partition: partition, files: files, messages: messages,
                    calibration: InstanceCalibration(hashDerivations: derivations.derivations, clockOffset: nil),
                    blocking: profile.blocking, allowCrossChat: profile.allowCrossChat)
                let anchors = calibrator.anchors(
                    partition, index: index, files: files, messages: messages,
                    tokensUsable: derivations.source != .undetermined)
                return Stage(
                    derivations: derivations, index: index, anchors: anchors,
                    clocks: calibrator.clocks(anchors, files: files, messages: messages),
                    scheduledRuns: ScheduledRuns.detect(partition, files: files))
            }
        }
        // The store's clock, for an instance without its own: read only when one needs it.
        let global =
            profile.calibration.clockOffset == nil && stages.contains { $0.clocks.nameOffset == nil }
            ? calibrator.offset(from: stages.flatMap(\.clocks.nameDifferences)) : nil
        logger.debug("calibrated and indexed", metadata: ["seconds": "\(clock.now - started)"])
        // Each instance's clock, windows and final index: in parallel too (one after the other, the
        // download windows of three instances of 100,000 files kept a core idle for 2 s).
        let calibrated: [(run: PartitionRun, report: CalibrationReport)] = parallelMap(
            count: partitions.count, minimumChunk: 1
        ) { range in
            range.map { position in
                let (partition, stage) = (partitions[position], stages[position])
                var offset: Int64?
                var changes: [ClockChange] = []
                var support = 0
                var source: CalibrationReport.Source
                if let pinned = profile.calibration.clockOffset {
                    offset = pinned
                    source = .pinned
                } else if let local = stage.clocks.nameOffset {
                    (offset, support, source) = (local.offset, local.support, .detected)
                    changes = stage.clocks.nameChanges
                } else if let global {
                    (offset, support, source) = (global.offset, global.support, .global)
                } else {
                    source = .undetermined
                }
                var calibration = InstanceCalibration(
                    hashDerivations: stage.derivations.derivations, clockOffset: offset,
                    mtimeOffset: stage.clocks.mtimeOffset?.offset, ownNumberFolder: stage.clocks.ownNumberFolder,
                    clockChanges: changes, derivationSpan: stage.derivations.span,
                    clockDrift: source == .detected ? stage.clocks.nameDrift : nil, mtimeDrift: stage.clocks.mtimeDrift)
                if let pinned = known[partition.instanceID] {
                    calibration = pinned
                    source = .pinned
                }
                let clocked = stage.index.recalibrated(calibration)
                let windows = DownloadWindows.compute(
                    partition, anchors: stage.anchors, index: clocked, files: files, messages: messages)
                let run = PartitionRun(
                    partition: partition, calibration: calibration, profile: profile,
                    index: clocked.recalibrated(
                        calibration, downloadWindows: windows, scheduledRunFiles: stage.scheduledRuns.paths))
                var report = CalibrationReport(
                    clientFolder: files[partition.files[0]].clientFolder,
                    instanceID: partition.instanceID,
                    calibration: calibration,
                    tokenFiles: stage.derivations.tokenFiles,
                    derivationHits: stage.derivations.hits,
                    derivationSource: stage.derivations.source,
                    anchoredPairs: stage.clocks.nameAnchors,
                    offsetSupport: support,
                    offsetSource: source
                )
                report.anchors = Dictionary(
                    uniqueKeysWithValues: stage.clocks.anchors.map { ($0.key.rawValue, $0.value) })
                report.mtimeOffsetSupport = stage.clocks.mtimeOffset?.support ?? 0
                report.ownNumberSupport = stage.clocks.ownNumberSupport
                report.scheduledRunStarts = Dictionary(
                    uniqueKeysWithValues: stage.scheduledRuns.starts.map { (ScheduledRuns.clockText($0.key), $0.value) }
                )
                return (run, report)
            }
        }
        return Prepared(runs: calibrated.map(\.run), reports: calibrated.map(\.report), outOfScope: outOfScope)
    }
}
