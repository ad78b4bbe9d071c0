public import Logging
public import MatchEngine
public import MediaStore
public import MessageStore

/// What a plan is made from: the files (hashed where a message can use their digest), the
/// messages, and what it took to read them.
public struct SyncInputs: Sendable {
    public var files: [AudioFile]
    public var scan: ScanResult
    public var load: MessageLoad
    /// The database's clients and instances, so folders resolve to clients by identity.
    public var tenancy: Tenancy
    public var hashed: Int
    public var hashFailures: Int
    public var timings: SyncReport.Timings
    /// The pairs people rejected in review (`audiosync_rejection`): the plan must not propose them.
    public var rejections: Set<Matcher.RejectedPair> = []
    /// The part of the store the files come from: a claim outside it is not called missing.
    public var scanScope: ScanScope = .all

    /// The matcher's options for a plan from these inputs: the rejections, and whether links carry
    /// their waterfalls.
    public func matchOptions(explainLinks: Bool = true) -> Matcher.Options {
        let scope = scanScope
        var scanned: (@Sendable (String) -> Bool)?
        if scope != .all { scanned = { path in scope.contains(path: path) } }
        return Matcher.Options(explainLinks: explainLinks, rejectedPairs: rejections, scanned: scanned)
    }

    /// Opens the database, reads what a plan needs (as
    /// ``gather(from:database:media:allowCrossChat:logger:progress:)``), and closes it: what
    /// `explain`, `evaluate` and `tune` start from.
    ///
    /// - Parameter allowCrossChat: the profile's setting, which decides which files are worth hashing.
    public static func gather(
        database: DatabaseLocation, media: MediaLocation, allowCrossChat: Bool, logger: Logger,
        progress: SyncRunner.Progress? = nil
    ) async throws -> SyncInputs {
        try await database.withStore(logger: logger) { store in
            try await gather(
                from: store, database: database, media: media, allowCrossChat: allowCrossChat, logger: logger,
                progress: progress)
        }
    }

    /// Loads, scans and hashes, on a store the caller opened and closes.
    ///
    /// - Parameters:
    ///   - walk: the store's walk when the caller has already made it (an incremental sync walks
    ///     first to compare fingerprints); `nil` walks here.
    ///   - stillArriving: files (relative to the media root) a walk made here leaves out.
    static func gather(
        from store: any MessageDatabase, database: DatabaseLocation, media: MediaLocation, allowCrossChat: Bool,
        logger: Logger, progress: SyncRunner.Progress?, walk: StoreWalk? = nil, stillArriving: Set<String> = []
    ) async throws -> SyncInputs {
        try database.refuseProbeCache(of: media)
        var timings = SyncReport.Timings()
        let clock = ContinuousClock()
        var started = clock.now
        // The clients first: a wrong database fails fast, before minutes of scanning.
        let tenancy = try await readTenancy(store)
        let rejections = try await readRejections(store)
        // The rows are read on the database's thread while this one walks and scans the store: on
        // two cores the two take little more than the longer (at a million rows and 300,000 files,
        // 4 s for the scan from the cache and 5 s for the load, one after the other before).
        async let loaded = timed { try await store.loadAudioMessages(scope: database.messageScope) }
        let scanned = clock.now
        let scanner = media.scanner(logger: logger)
        let progressOfScan: @Sendable (ScanProgress) -> Void = { update in
            progress?("scan", update.probed, update.candidates)
        }
        let scanScope = try await database.scanScope(in: store)
        let walked: StoreWalk
        if let walk {
            walked = walk
        } else {
            walked = try scanner.walk(scope: scanScope, progress: progressOfScan).leavingOut(stillArriving)
        }
        let scan = try scanner.scan(walked, progress: progressOfScan)
        timings.scan = (clock.now - scanned).seconds + (walk?.seconds ?? 0)
        let (load, loadSeconds) = try await loaded
        timings.load = (scanned - started).seconds + loadSeconds
        logger.info(
            "loaded audio messages",
            metadata: ["rows": "\(load.report.rowsRead)", "usable": "\(load.messages.count)"])

        started = clock.now
        var files = scan.files
        let wanted = ContentHashDemand.files(files, messages: load.messages, allowCrossChat: allowCrossChat)
        progress?("hash", 0, wanted.count)
        let failures = ContentHasher.fillSHA256(files: &files, indices: wanted, root: media.root, logger: logger)
        do {
            try scanner.rememberDigests(of: files, at: wanted)
        } catch {
            logger.warning("digests not remembered in the probe cache: \(error)")
        }
        timings.hash = (clock.now - started).seconds
        logger.info(
            "scanned the media store",
            metadata: [
                "audio_files": "\(scan.files.count)", "probed": "\(scan.probedFiles)",
                "from_cache": "\(scan.cachedFiles)", "hashed": "\(wanted.count - failures)",
            ])
        return SyncInputs(
            files: files, scan: scan, load: load, tenancy: tenancy, hashed: wanted.count - failures,
            hashFailures: failures, timings: timings, rejections: rejections, scanScope: scanScope)
    }

    /// A piece of work and how long it took, for work that runs beside other work.
    static func timed<Value: Sendable>(_ body: () async throws -> Value) async throws -> (Value, Double) {
        let clock = ContinuousClock()
        let started = clock.now
        let value = try await body()
        return (value, (clock.now - started).seconds)
    }

    /// The database's clients and instances, so folders resolve to clients by identity.
    static func readTenancy(_ store: any MessageDatabase) async throws -> Tenancy {
        Tenancy(
            clients: Dictionary(try await store.clients().map { ($0.id, $0.name) }) { first, _ in first },
            instanceOwners: Dictionary(grouping: try await store.instances(), by: \.instanceID).mapValues {
                Set($0.map(\.clientID))
            })
    }

    /// The pairs people rejected in review.
    static func readRejections(_ store: any MessageDatabase) async throws -> Set<Matcher.RejectedPair> {
        Set(
            try await store.rejections().map {
                Matcher.RejectedPair(file: normalisedLocalPath($0.file), messageRowID: $0.messageRowID)
            })
    }
}
