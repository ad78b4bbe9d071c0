public import Logging
public import MatchEngine
public import MediaStore
public import MessageStore

/// The main job: scan the store, load the messages, hash what is worth hashing, plan, and write
/// the plan's links to the database (unless it is a dry run), journalled.
public struct SyncRunner: Sendable {
    public let options: SyncOptions
    public let logger: Logger

    /// Progress for long work: a stage name and, when known, how far it is.
    public typealias Progress = @Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void

    public init(options: SyncOptions, logger: Logger = Logger(label: "audiosync.sync")) {
        self.options = options
        self.logger = logger
    }

    /// What a sync reads before it decides anything: the files, the messages, and the store.
    public struct Inputs: Sendable {
        public var files: [AudioFile]
        public var scan: ScanResult
        public var load: MessageLoad
        public var hashed: Int
        public var hashFailures: Int
        public var timings: SyncReport.Timings
    }

    /// Opens the store, reads what a plan needs (as ``gather(store:progress:)``), and closes it:
    /// what `explain`, `evaluate` and `tune` start from.
    public func gather(progress: Progress? = nil) async throws -> Inputs {
        let store = try await openMessageStore(
            location: options.database, options: options.storeOptions, logger: logger)
        do {
            let inputs = try await gather(store: store, progress: progress)
            try await store.close()
            return inputs
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Scans, loads and hashes, on a store the caller opened and closes.
    public func gather(store: any MessageStore, progress: Progress? = nil) async throws -> Inputs {
        var timings = SyncReport.Timings()
        let clock = ContinuousClock()
        var started = clock.now
        // Load first: a wrong database fails fast, before minutes of scanning.
        let load = try await store.loadAudioMessages(scope: options.messageScope)
        timings.load = (clock.now - started).seconds

        started = clock.now
        let scope = try await scanScope(store: store)
        let scanner = MediaStoreScanner(
            root: options.mediaRoot,
            options: ScanOptions(cache: options.probeCache),
            logger: logger
        )
        let scan = try scanner.scan(scope: scope) { update in
            progress?("scan", update.probed, update.candidates)
        }
        timings.scan = (clock.now - started).seconds

        started = clock.now
        var files = scan.files
        let wanted = ContentHashDemand.files(
            files, messages: load.messages, allowCrossChat: options.profile.allowCrossChat)
        progress?("hash", 0, wanted.count)
        let failures = ContentHasher.fillSHA256(files: &files, indices: wanted, root: options.mediaRoot, logger: logger)
        do {
            try scanner.rememberDigests(of: files, at: wanted)
        } catch {
            logger.warning("digests not remembered in the probe cache: \(error)")
        }
        timings.hash = (clock.now - started).seconds
        return Inputs(
            files: files, scan: scan, load: load, hashed: wanted.count - failures, hashFailures: failures,
            timings: timings)
    }

    /// The whole sync.
    public func run(progress: Progress? = nil) async throws -> SyncReport {
        let store = try await openMessageStore(
            location: options.database, options: options.storeOptions, logger: logger)
        do {
            let report = try await run(store: store, progress: progress)
            try await store.close()
            return report
        } catch {
            try? await store.close()
            throw error
        }
    }

    func run(store: any MessageStore, progress: Progress?) async throws -> SyncReport {
        var inputs = try await gather(store: store, progress: progress)
        let clock = ContinuousClock()
        var started = clock.now
        progress?("match", 0, 1)
        let matcher = Matcher(profile: options.profile, logger: logger)
        let plan = matcher.plan(
            files: inputs.files,
            messages: inputs.load.messages,
            options: .init(explainLinks: options.explainLinks)
        )
        let changeSet = plan.changeSet(repair: options.repair, urlTemplate: options.urlTemplate)
        inputs.timings.match = (clock.now - started).seconds

        started = clock.now
        let changes = changeSet.changes
        var report = SyncReport(
            dryRun: options.dryRun,
            repair: options.repair,
            mediaRoot: options.mediaRoot,
            database: store.displayLocation,
            profile: options.profileSource,
            run: nil,
            scan: summary(of: inputs),
            load: inputs.load.report,
            plan: plan,
            changes: .init(
                links: changeSet.changes.filter { $0.reason == .link }.count,
                repairs: changeSet.changes.filter { $0.reason == .repair && $0.action != .unlink }.count,
                removals: changeSet.changes.filter { $0.action == .unlink }.count,
                confirmed: changeSet.confirmed,
                withheld: changeSet.withheld
            ),
            write: ApplyReport(),
            timings: inputs.timings
        )
        if options.dryRun {
            report.write = try await store.preview(changes, against: inputs.load)
        } else if !changes.isEmpty {
            progress?("write", 0, changes.count)
            let run = try await store.beginRun(
                RunStart(
                    command: options.repair ? "sync --repair" : "sync",
                    mediaRoot: options.mediaRoot,
                    options: runOptions(),
                    toolVersion: audiosyncVersion
                )
            )
            report.run = run
            do {
                report.write = try await store.apply(changes, against: inputs.load, run: run)
                report.timings.write = (clock.now - started).seconds
                try await store.finishRun(run, status: .finished, summary: runSummary(report))
            } catch {
                try? await store.finishRun(run, status: .failed, summary: RunSummary(error: "\(error)"))
                throw error
            }
        }
        report.timings.write = (clock.now - started).seconds
        return report
    }

    /// The scan's scope for `--client` and `--instance`: the client's folder is its name, as the
    /// database holds it, in the folder spelling.
    func scanScope(store: any MessageStore) async throws -> ScanScope {
        var scope = ScanScope(instanceID: options.instance)
        guard let client = options.client else { return scope }
        if let id = Int64(client) {
            guard let info = try await store.clients().first(where: { $0.id == id }) else {
                throw MessageStoreError.unknownClient(client)
            }
            scope.clientFolder = info.name
        } else {
            scope.clientFolder = client
        }
        return scope
    }

    func summary(of inputs: Inputs) -> SyncReport.ScanSummary {
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
            mediaRoot: options.mediaRoot, profile: options.profileSource, client: options.client,
            instance: options.instance, repair: options.repair, urlTemplate: options.urlTemplate)
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
