import Foundation
public import Logging
import MatchEngine
import MediaStore
import MessageStore

/// The main job: scan the store, load the messages, hash what is worth hashing, plan, and write
/// the plan's links to the database (unless it is a dry run), journalled.
public struct SyncRunner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let profile: ProfileChoice
    public let options: SyncOptions
    public let logger: Logger
    /// Given each plan with its inputs, and the instance the run was narrowed to (`nil`: none),
    /// before the run is the ``gate``'s writer: what a watch counts from them for its content batches
    /// (``ContentMemory``). It returns what to do once the run is the writer, before anything is
    /// written: take out of the plan what content batches linked while it was made, and remember the
    /// rest.
    var observe: (@Sendable (SyncInputs, MatchPlan, String?) -> Observed)?
    typealias Observed = @Sendable (inout MatchPlan) -> Void
    /// A watch's: its batches share the database's write lock and write one at a time
    /// (``BatchWriteGate``). With it, a run observes its plan and writes it as the gate's writer.
    var gate: BatchWriteGate?
    /// Given the memory of the last whole plan's base (``AdditionsBase``), brought up to what the
    /// run read and linked, when a run reused that plan: nothing changed since, or only additions,
    /// which it took. What a watch's first batch starts its content batches from, instead of
    /// planning the whole store to count its rows. With it set, a run that finds nothing changed
    /// but no base to restore makes the whole run.
    var restored: (@Sendable (ContentMemory) -> Void)?
    /// The memory a watch's whole batch left after observing its plan, as stored: the same as the
    /// base's (``ContentMemory/absorb(_:plan:instance:counted:)`` of the whole load and plan), which a
    /// run leaving a base then stores instead of counting a million rows again (3.5 s).
    var observedMemory: (@Sendable () -> [UInt8]?)?
    /// Given the partitions a plan kept warm (``WarmInstance``) and the plan's inputs: a watch keeps
    /// them for its warm batches. With it set, a run's plan keeps them.
    var warmed: (@Sendable ([WarmInstance], SyncInputs) -> Void)?

    /// Progress for long work: a stage name and, when known, how far it is.
    public typealias Progress = @Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice, options: SyncOptions = SyncOptions(),
        logger: Logger = Logger(label: "audiosync.sync")
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.options = options
        self.logger = logger
    }

    /// The same sync, leaving out files that are still arriving (``SyncOptions/stillArriving``).
    func leavingOut(_ stillArriving: Set<String>) -> SyncRunner {
        var options = options
        options.stillArriving = stillArriving
        return with(database: database, options: options)
    }

    /// The same sync narrowed to one instance folder (as `--instance` narrows it) and, unless a
    /// client was given, its client folder: what a watch batch runs for the files it takes.
    func narrowed(toClient client: String, instance: String) -> SyncRunner {
        var database = database
        database.client = database.client ?? client
        database.instance = instance
        return with(database: database, options: options)
    }

    /// The same sync as a dry run that only plans, keeping the plan warm (``warmed``): it writes
    /// nothing, and what it plans is no batch's, so the watch remembers nothing of it but the warm plan.
    func warming() -> SyncRunner {
        var options = options
        options.dryRun = true
        var runner = with(database: database, options: options)
        runner.observe = nil
        runner.observedMemory = nil
        runner.restored = nil
        runner.gate = nil
        return runner
    }

    /// The same sync, reusing the last whole plan when nothing changed since it or only additions
    /// did (``SyncOptions/reuseUnchanged``): a watch's first batch, which starts from its base.
    func reusingTheLastWholePlan() -> SyncRunner {
        var options = options
        options.reuseUnchanged = true
        return with(database: database, options: options)
    }

    /// This sync with another database location and options, and the same hooks.
    private func with(database: DatabaseLocation, options: SyncOptions) -> SyncRunner {
        var runner = SyncRunner(database: database, media: media, profile: profile, options: options, logger: logger)
        runner.observe = observe
        runner.gate = gate
        runner.restored = restored
        runner.observedMemory = observedMemory
        runner.warmed = warmed
        return runner
    }

    /// The whole sync.
    public func run(progress: Progress? = nil) async throws -> SyncReport {
        var database = self.database
        if let stop = options.stop { database.options.shouldStop = { stop.isRequested } }
        return try await database.withStore(logger: logger) { store in try await run(store: store, progress: progress) }
    }

    /// A sync that writes holds the database's write lock from before it reads the messages to
    /// after its run is recorded, so a second sync started meanwhile is refused with the first's
    /// name instead of planning from rows the first is changing. A dry run takes no lock.
    func run(store: any MessageDatabase, progress: Progress?) async throws -> SyncReport {
        // Before the lock, which is a write: a probe cache that is the database changes nothing.
        try database.refuseProbeCache(of: media)
        // Before the lock too: a run that finds nothing changed reads only, and writes nothing at all.
        var unchanged: UnchangedCheck?
        if options.reuseUnchanged, let content = profile.content {
            let check = try await UnchangedCheck.make(
                store: store, database: database, media: media, profile: content, options: options, logger: logger,
                readBase: restored != nil, progress: progress)
            if let memory = check.memory {
                guard let restored else { return unchangedReport(check, memory, store: store) }
                if let base = check.additions, base.files.isEmpty, let content = ContentMemory(stored: base.memory) {
                    restored(content)
                    return unchangedReport(check, memory, store: store)
                }
                logger.info(
                    "nothing changed since the last whole plan, but it left no base to start from: the whole run")
            } else if let additions = check.additions {
                if let report = try await runAdditions(additions, walk: check.walk, store: store, check: check) {
                    return report
                }
            }
            unchanged = check
        }
        guard !options.dryRun else {
            return try await runLocked(store: store, progress: progress, unchanged: unchanged)
        }
        // A missing media root must fail before anything is written, the lock included.
        try media.scanner(logger: logger).checkRoot()
        return try await holdingWriteLock(store, command: options.repair ? "sync --repair" : "sync") {
            try await runLocked(store: store, progress: progress, unchanged: unchanged)
        }
    }

    /// Runs `body` with the database's write lock held, and gives the lock back whatever it does.
    /// A watch's batches share it (``BatchWriteGate``).
    private func holdingWriteLock(
        _ store: any MessageDatabase, command: String, _ body: () async throws -> SyncReport
    ) async throws -> SyncReport {
        let holder = WriteLockHolder(command: command)
        if let gate { try await gate.lockDatabase(holder: holder) } else { try await store.lockForWriting(holder) }
        do {
            let report = try await body()
            if let gate { try await gate.unlockDatabase() } else { try await store.unlockForWriting() }
            return report
        } catch {
            if let gate { try? await gate.unlockDatabase() } else { try? await store.unlockForWriting() }
            throw error
        }
    }

    /// - Parameter unchanged: the fingerprints taken before, when the run may be remembered.
    private func runLocked(store: any MessageDatabase, progress: Progress?, unchanged: UnchangedCheck?) async throws
        -> SyncReport
    {
        let inputs = try await SyncInputs.gather(
            from: store, database: database, media: media, allowCrossChat: profile.profile.allowCrossChat,
            logger: logger, progress: progress, walk: unchanged?.walk, stillArriving: options.stillArriving)
        return try await planAndWrite(inputs, store: store, progress: progress, unchanged: unchanged)
    }

    /// A watch's content batch (``ContentMatch``): writes `plan`, made by the caller from
    /// `inputs` (the pairs planned on their own, each instance with its calibration pinned), as a
    /// sync writes, under the write lock, journalled. The caller is the gate's writer already.
    ///
    /// A watch's batches come with a ``gate``; without one it is a sync's (taking additions), which
    /// the journal names as such and whose dry run takes no lock.
    func runContentBatch(store: any MessageDatabase, inputs: SyncInputs, plan: MatchPlan) async throws -> SyncReport {
        // Its inputs are a few pairs: nothing for the watch to remember from them.
        var runner = self
        runner.observe = nil
        runner.observedMemory = nil
        runner.warmed = nil
        guard !options.dryRun || gate != nil else {
            return try await runner.planAndWrite(
                inputs, store: store, progress: nil, unchanged: nil, plan: plan, asWriter: false)
        }
        return try await holdingWriteLock(store, command: gate == nil ? "sync" : "watch") {
            try await runner.planAndWrite(
                inputs, store: store, progress: nil, unchanged: nil, plan: plan, asWriter: false)
        }
    }

    /// Plans `inputs` (unless the caller did: `plan`) and writes the plan (unless it is a dry run):
    /// with a ``gate``, as its writer from the plan's end (unless the caller is already: `asWriter`
    /// false).
    private func planAndWrite(
        _ inputs: consuming SyncInputs, store: any MessageDatabase, progress: Progress?, unchanged: UnchangedCheck?,
        plan given: MatchPlan? = nil, asWriter: Bool = true
    ) async throws -> SyncReport {
        let inputs = inputs
        let clock = ContinuousClock()
        let started = clock.now
        progress?("match", 0, 1)
        let plan: MatchPlan
        if let given {
            plan = given
        } else {
            let matcher = Matcher(profile: profile.profile, tenancy: inputs.tenancy, logger: logger)
            let options = inputs.matchOptions(explainLinks: options.explainLinks)
            if let warmed {
                let (planned, warm) = matcher.planKeepingWarm(
                    files: inputs.files, messages: inputs.load.messages, options: options)
                plan = planned
                warmed(warm, inputs)
            } else {
                plan = matcher.plan(files: inputs.files, messages: inputs.load.messages, options: options)
            }
        }
        let observed = observe?(inputs, plan, database.instance)
        // Not the wait for the gate's turn.
        let matchSeconds = (clock.now - started).seconds
        guard let gate, asWriter, !options.dryRun else {
            return try await write(
                plan, consume inputs, observed: observed, store: store, progress: progress, unchanged: unchanged,
                matchSeconds: matchSeconds)
        }
        await gate.beginWriting()
        do {
            // Nothing written yet: a watch that is ending leaves the batch.
            try Task.checkCancellation()
            let report = try await write(
                plan, consume inputs, observed: observed, store: store, progress: progress, unchanged: unchanged,
                matchSeconds: matchSeconds)
            await gate.endWriting()
            return report
        } catch {
            await gate.endWriting()
            throw error
        }
    }

    /// Finishes observing `plan` (`observed`) and writes it.
    private func write(
        _ plan: consuming MatchPlan, _ inputs: consuming SyncInputs, observed: Observed?, store: any MessageDatabase,
        progress: Progress?, unchanged: UnchangedCheck?, matchSeconds: Double
    ) async throws -> SyncReport {
        var plan = plan
        var inputs = inputs
        let clock = ContinuousClock()
        let begun = clock.now
        observed?(&plan)
        let changeSet = plan.changeSet(repair: options.repair, urlTemplate: options.urlTemplate)
        inputs.timings.match = matchSeconds + (clock.now - begun).seconds

        let started = clock.now
        let changes = changeSet.changes
        var report = SyncReport(
            dryRun: options.dryRun,
            repair: options.repair,
            mediaRoot: media.root,
            database: store.displayLocation,
            profile: profile.source,
            run: nil,
            scan: summary(of: inputs),
            load: inputs.load.report,
            plan: plan,
            changes: .init(
                links: changeSet.changes.count(where: { $0.reason == .link }),
                repairs: changeSet.changes.count(where: { $0.reason == .repair && $0.action != .unlink }),
                removals: changeSet.changes.count(where: { $0.action == .unlink }),
                confirmed: changeSet.confirmed,
                withheld: changeSet.withheld
            ),
            write: ApplyReport(),
            timings: inputs.timings
        )
        let problems = Dictionary(
            inputs.files.compactMap { file in file.problem.map { (file.path, $0) } },
            uniquingKeysWith: { first, _ in first })
        report.linkedWithProblems = plan.links.compactMap { link in
            problems[link.file].map {
                SyncReport.ProblemLink(
                    messageID: link.messageRowID, file: link.file, problem: $0.rawValue,
                    advice: FileProblemAdvice.sentence($0))
            }
        }
        logger.info(
            "planned",
            metadata: [
                "linked": "\(plan.links.count)", "review": "\(plan.reviews.count)",
                "changes": "\(changes.count)", "dry_run": "\(options.dryRun)",
            ])
        if options.dryRun {
            report.write = try await store.preview(changes, against: inputs.load)
        } else if !changes.isEmpty {
            progress?("write", 0, changes.count)
            // From here a signal waits for a batch to commit: before, it ends the process at once,
            // and so must not come between the run's beginning and its first batch.
            if let stop = options.stop, !stop.beginWriting() { throw CancellationError() }
            defer { options.stop?.endWriting() }
            let run = try await store.beginRun(
                RunStart(
                    command: options.repair ? "sync --repair" : "sync",
                    mediaRoot: media.root,
                    options: runOptions(),
                    toolVersion: audiosyncVersion
                )
            )
            report.run = run
            do {
                report.write = try await store.apply(changes, against: inputs.load, run: run)
                let skipped = Set(report.write.skipped.map(\.rowID))
                report.applied = changes.filter { !skipped.contains($0.messageRowID) }
                report.timings.write = (clock.now - started).seconds
                try await store.finishRun(run, status: .finished, summary: runSummary(report))
            } catch MessageStoreError.partlyApplied(let written, let reason) {
                // The committed batches stand: the journal and the message say how to give them back.
                var summary = RunSummary(error: reason ?? "interrupted by a signal after the batch in flight")
                summary.written = written
                try? await store.finishRun(run, status: reason == nil ? .interrupted : .failed, summary: summary)
                throw SyncEndedAfterWriting(run: run, written: written, reason: reason)
            } catch {
                try? await store.finishRun(run, status: .failed, summary: RunSummary(error: "\(error)"))
                throw error
            }
        }
        report.timings.write = (clock.now - started).seconds
        if let unchanged, changes.isEmpty {
            await unchanged.remember(report, inputs: inputs, store: store, storedMemory: observedMemory)
        }
        // A million rows and their changes take most of a second to free: not on this thread.
        releaseInBackground((consume inputs, consume changeSet, consume changes))
        return report
    }

    /// The report of a run that found its inputs as a plan with nothing to write left them.
    private func unchangedReport(_ check: UnchangedCheck, _ memory: SyncMemory, store: any MessageDatabase)
        -> SyncReport
    {
        var report = SyncReport(
            dryRun: options.dryRun, repair: options.repair, mediaRoot: media.root, database: store.displayLocation,
            profile: profile.source, run: nil, scan: memory.scan, load: memory.load,
            plan: MatchPlan(
                thresholds: .init(
                    targetPrecision: profile.profile.targetPrecision,
                    reviewProbability: profile.profile.reviewProbability)),
            changes: memory.changes, write: ApplyReport(), timings: check.timings)
        report.scan.probed = 0
        report.scan.cached = 0
        report.scan.hashed = 0
        report.scan.hashFailures = 0
        report.unchangedSince = .init(
            recordedAt: Date(timeIntervalSince1970: TimeInterval(memory.recordedAt)).formatted(.iso8601),
            inputs: check.fingerprint.text)
        report.rememberedCounts = memory.counts
        logger.info(
            "nothing changed since a plan with nothing to write; skipped",
            metadata: ["since": "\(report.unchangedSince?.recordedAt ?? "")"])
        return report
    }

    func summary(of inputs: SyncInputs) -> SyncReport.ScanSummary {
        let skipped = inputs.scan.skipped
        return SyncReport.ScanSummary(
            filesSeen: inputs.scan.files.count + skipped.values.reduce(0, +),
            audio: inputs.scan.files.count,
            damaged: inputs.scan.files.filter { !$0.isUsableAudio }.count,
            skipped: Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, $0.value) }),
            formats: Dictionary(uniqueKeysWithValues: inputs.scan.countsByFormat.map { ($0.key.rawValue, $0.value) }),
            problems: Dictionary(uniqueKeysWithValues: inputs.scan.countsByProblem.map { ($0.key.rawValue, $0.value) }),
            probed: inputs.scan.probedFiles,
            cached: inputs.scan.cachedFiles,
            hashed: inputs.hashed,
            hashFailures: inputs.hashFailures
        )
    }

    private func runOptions() -> RunOptions {
        RunOptions(
            mediaRoot: media.root, profile: profile.source, client: database.client,
            instance: database.instance, repair: options.repair, urlTemplate: options.urlTemplate)
    }

    private func runSummary(_ report: SyncReport) -> RunSummary {
        RunSummary(
            files: report.scan.audio, links: report.plan.links.count, reviews: report.plan.reviews.count,
            written: report.write[.updated], unchanged: report.write[.unchanged],
            changedSinceRead: report.write[.changedSinceRead])
    }
}

/// The tool's version, recorded in the journal.
public let audiosyncVersion = "0.1.0"
