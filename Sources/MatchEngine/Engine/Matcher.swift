public import Logging

/// The engine's entry point: files and messages in, a ``MatchPlan`` out. Pure: no I/O.
///
/// ```swift
/// let matcher = Matcher(profile: Profile(strategies: BuiltInStrategies.all))
/// let plan = matcher.plan(files: scan.files, messages: load.messages)
/// ```
public struct Matcher: Sendable {
    public let profile: Profile
    private let logger: Logger

    public init(profile: Profile, logger: Logger = Logger(label: "audiosync.match")) {
        self.profile = profile
        self.logger = logger
    }

    /// Options that change what the plan carries, not what it decides.
    public struct Options: Sendable {
        /// Whether each link carries its full waterfall (reviews always do). Large runs that
        /// only write may turn it off.
        public var explainLinks = true

        public init(explainLinks: Bool = true) {
            self.explainLinks = explainLinks
        }
    }

    /// Calibrates, blocks, scores, assigns and decides.
    public func plan(files: [AudioFile], messages: [AudioMessage], options: Options = Options()) -> MatchPlan {
        let clock = ContinuousClock()
        let started = clock.now
        let prepared = prepare(files: files, messages: messages)
        logger.debug("prepared partitions, calibration and indexes", metadata: ["seconds": "\(clock.now - started)"])
        return plan(prepared, files: files, messages: messages, options: options)
    }

    /// The plan from partitions already calibrated and indexed.
    func plan(_ prepared: Prepared, files: [AudioFile], messages: [AudioMessage], options: Options) -> MatchPlan {
        let clock = ContinuousClock()
        var started = clock.now
        let outcomes: [PartitionRun.Outcome] = parallelMap(count: prepared.runs.count, minimumChunk: 1) { range in
            range.map { prepared.runs[$0].run(files: files, messages: messages, explainLinks: options.explainLinks) }
        }
        logger.debug("scored, assigned and decided", metadata: ["seconds": "\(clock.now - started)"])
        started = clock.now
        var plan = MatchPlan(
            thresholds: .init(
                prior: profile.prior,
                floor: profile.floor,
                margin: profile.margin,
                reviewBand: profile.reviewBand
            ),
            calibration: prepared.reports
        )
        var fileLinks: [Int: Int] = [:]
        for outcome in outcomes {
            plan.links += outcome.links
            plan.reviews += outcome.reviews
            plan.unmatched += outcome.unmatched
            plan.work.partitions += outcome.work.partitions
            plan.work.files += outcome.work.files
            plan.work.scoredPairs += outcome.work.scoredPairs
            plan.work.vetoedPairs += outcome.work.vetoedPairs
            plan.work.components += outcome.work.components
            plan.work.largestComponent = max(plan.work.largestComponent, outcome.work.largestComponent)
            plan.work.truncatedBlocking += outcome.work.truncatedBlocking
            fileLinks.merge(outcome.fileLinks) { first, _ in first }
        }
        plan.work.files += prepared.outOfScope.count
        plan.work.messages = messages.count
        for (file, miss) in prepared.outOfScope {
            let reason: MatchPlan.UnmatchedReason = miss == .unknownClient ? .unknownClient : .unknownInstance
            plan.unmatched.append(.init(file: files[file].path, reason: reason, best: nil))
        }
        plan.claims = ClaimChecker(prepared: prepared, profile: profile)
            .check(files: files, messages: messages, fileLinks: fileLinks, links: plan.links)
        logger.debug("checked claims", metadata: ["seconds": "\(clock.now - started)"])
        plan.links.sort { $0.messageRowID < $1.messageRowID }
        plan.reviews.sort { ($0.file, $0.messageRowID) < ($1.file, $1.messageRowID) }
        plan.unmatched.sort { $0.file < $1.file }
        plan.claims.sort { $0.messageRowID < $1.messageRowID }
        logger.debug(
            "matched",
            metadata: [
                "links": "\(plan.links.count)", "reviews": "\(plan.reviews.count)",
                "scored_pairs": "\(plan.work.scoredPairs)",
            ]
        )
        return plan
    }

    /// The calibrated partitions of a run, ready to score.
    struct Prepared: Sendable {
        var runs: [PartitionRun]
        var reports: [CalibrationReport]
        var outOfScope: [(file: Int, miss: ScopeMiss)]
    }

    /// Partitions and calibrates; an instance with too little support borrows the offset
    /// estimated from all instances together.
    func prepare(files: [AudioFile], messages: [AudioMessage]) -> Prepared {
        let clock = ContinuousClock()
        var started = clock.now
        let (partitions, outOfScope) = Partitioner.partition(files: files, messages: messages)
        logger.debug("partitioned", metadata: ["seconds": "\(clock.now - started)"])
        started = clock.now
        let calibrator = Calibrator(settings: profile.calibration)
        let estimates: [Calibrator.Estimate] = parallelMap(count: partitions.count, minimumChunk: 1) { range in
            range.map { calibrator.estimate(partitions[$0], files: files, messages: messages) }
        }
        let global = calibrator.offset(from: estimates.flatMap(\.anchorDifferences))
        logger.debug("calibrated", metadata: ["seconds": "\(clock.now - started)"])
        started = clock.now
        var calibrations: [InstanceCalibration] = []
        var reports: [CalibrationReport] = []
        for (partition, estimate) in zip(partitions, estimates) {
            var offset: Int64?
            var support = 0
            var source: CalibrationReport.Source
            if let pinned = profile.calibration.clockOffset {
                offset = pinned
                source = .pinned
            } else if let local = calibrator.offset(from: estimate.anchorDifferences) {
                (offset, support, source) = (local.offset, local.support, .detected)
            } else if let global {
                (offset, support, source) = (global.offset, global.support, .global)
            } else {
                source = .undetermined
            }
            let calibration = InstanceCalibration(hashDerivations: estimate.derivations, clockOffset: offset)
            calibrations.append(calibration)
            reports.append(
                CalibrationReport(
                    clientFolder: files[partition.files[0]].clientFolder,
                    instanceID: partition.instanceID,
                    calibration: calibration,
                    tokenFiles: estimate.tokenFiles,
                    derivationHits: estimate.derivationHits,
                    derivationSource: estimate.derivationSource,
                    anchoredPairs: estimate.anchorDifferences.count,
                    offsetSupport: support,
                    offsetSource: source
                )
            )
        }
        // Building a partition's indexes derives every message's tokens: in parallel.
        let calibrated = calibrations
        let runs: [PartitionRun] = parallelMap(count: partitions.count, minimumChunk: 1) { range in
            range.map {
                PartitionRun(
                    partition: partitions[$0],
                    calibration: calibrated[$0],
                    profile: profile,
                    files: files,
                    messages: messages
                )
            }
        }
        logger.debug("indexed", metadata: ["seconds": "\(clock.now - started)"])
        return Prepared(runs: runs, reports: reports, outOfScope: outOfScope)
    }
}
