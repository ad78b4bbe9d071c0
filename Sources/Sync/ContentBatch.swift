import Logging
import MatchEngine
import MediaStore
import MessageStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Links new files to the one new row their bytes or their names point to, without planning their
/// instances again: what a watch tries first on each batch of arrivals, and what a sync after
/// additions only runs (``SyncRunner``). Both call this one type, so both link the same way.
struct ContentBatch: Sendable {
    let media: MediaLocation
    /// The batch's own log: why a file was not linked by content.
    let logger: Logger
    /// The log of the plans and writes it makes through ``SyncRunner``.
    let syncLogger: Logger

    /// One content batch's run: what it wrote, the instance when its files are all in one
    /// (`nil`: several), the files it linked, and how many of them by their names.
    struct Run: Sendable {
        var report: SyncReport
        var scope: BatchScope?
        var linked: Set<String>
        var linkedByName: Int
        /// The pairs it linked (a dry run: would link).
        var pairs: Set<ContentMatch.Pair>
    }

    /// A file and the one new row its bytes or its name point to.
    struct Candidate: Sendable {
        var file: String
        var digest: ContentDigest
        var row: ContentMemory.PendingRow
        var identity: ContentMatch.Identity
    }

    /// Links what it can of `files` (relative to the media root) by their content alone, or by
    /// their names where their bytes are no row's (``ContentMatch``), in one journalled run; the
    /// files it does not link are left to an ordinary batch. Reads the rows added since the watch
    /// last read them first.
    ///
    /// One run, not one per instance: a run's lock and journal cost more than its pairs, and at 20
    /// arrivals a second a batch holds files of several instances.
    ///
    /// It is the process's writer (``BatchWriteGate``) from before it reads the memory to its commit:
    /// an instance's batch planned meanwhile writes before it or after it, and what that batch
    /// linked is in the memory it chooses from.
    ///
    /// A sync taking additions (``SyncRunner``'s) writes all or nothing: it passes `approve`, given
    /// the pairs about to be written, and nothing is written (`nil`) unless it says yes; and its
    /// dry run counts what it would link as linked (`dryRunLinks`), where a watch's leaves the
    /// files to its batches.
    func run(
        _ files: Set<String>, store: any MessageDatabase, sync: SyncRunner, memory box: ContentMemoryBox,
        dryRunLinks: Bool = false, approve: (@Sendable (Set<ContentMatch.Pair>) -> Bool)? = nil
    ) async throws -> Run? {
        guard !files.isEmpty else { return nil }
        guard let gate = sync.gate else {
            return try await linkByContent(
                files, store: store, sync: sync, memory: box, dryRunLinks: dryRunLinks, approve: approve)
        }
        return try await gate.writing {
            try await linkByContent(
                files, store: store, sync: sync, memory: box, dryRunLinks: dryRunLinks, approve: approve)
        }
    }

    private func linkByContent(
        _ files: Set<String>, store: any MessageDatabase, sync: SyncRunner, memory box: ContentMemoryBox,
        dryRunLinks: Bool, approve: (@Sendable (Set<ContentMatch.Pair>) -> Bool)?
    ) async throws -> Run? {
        let clock = ContinuousClock()
        let started = clock.now
        guard try await readNewRows(store: store, sync: sync, memory: box) else { return nil }
        let loaded = clock.now
        // The files' bytes and names: two arriving files with the same ones are a second download,
        // left to a batch.
        var byDigest: [ContentDigest: [String]] = [:]
        var byName: [UInt64: [String]] = [:]
        var names: [String: FileName] = [:]
        for file in files {
            guard let digest = try? ContentHasher.sha256(ofFileAt: media.root + "/" + file) else { continue }
            byDigest[digest, default: []].append(file)
            let name = FileNameParser.parse(Self.lastComponent(of: file))
            names[file] = name
            if let key = ContentMatch.nameKey(name) { byName[key, default: []].append(file) }
        }
        let candidates: [Candidate] = box.memory.withLock { memory in
            byDigest.compactMap { digest, paths in
                guard paths.count == 1, let instance = ContentMemory.instanceID(ofPath: paths[0]) else { return nil }
                let path = paths[0]
                if let row = memory.row(for: digest, instance: instance, path: path) {
                    return Candidate(file: path, digest: digest, row: row, identity: .content)
                }
                if let name = names[path], let key = ContentMatch.nameKey(name), byName[key]?.count == 1,
                    let row = memory.row(forName: name, digest: digest, instance: instance, path: path)
                {
                    return Candidate(file: path, digest: digest, row: row, identity: .name)
                }
                logger.debug(
                    "not linked by content: no one new row declares its bytes, or gives its name, alone",
                    metadata: [
                        "files": "\(paths.joined(separator: " "))",
                        "bytes": "\(memory.whyNoRow(for: digest, instance: instance, path: path))",
                    ])
                return nil
            }
        }
        guard !candidates.isEmpty else { return nil }
        let hashed = clock.now
        let scanner = media.scannerWithoutCache(logger: syncLogger)
        try Self.listChatFolders(Set(candidates.map { Self.chatFolder(of: $0.file) }), scanner: scanner, memory: box)
        var arrivedSizes: [String: Int64] = [:]
        for file in files {
            var info = stat()
            guard stat(media.root + "/" + file, &info) == 0 else { continue }
            arrivedSizes[file] = Int64(info.st_size)
        }
        let listings = box.listings.withLock { listings in
            for (file, size) in arrivedSizes { listings.arrived(file, size: size, in: Self.chatFolder(of: file)) }
            return listings
        }
        // Another file of the chat folder with the same bytes (a second download of the note) makes
        // the pair a whole plan's question: only files of the same size can be, and only those are
        // hashed. For a pair by name, so does another file whose name carries the same token.
        let kept = candidates.filter { pair in
            guard let size = arrivedSizes[pair.file] else { return false }
            let folder = Self.chatFolder(of: pair.file)
            let twins = listings.files(in: folder, size: size).filter { other in
                other != pair.file && (try? ContentHasher.sha256(ofFileAt: media.root + "/" + other)) == pair.digest
            }
            if !twins.isEmpty {
                logger.debug(
                    "not linked by content: a file with the same bytes is in its chat folder",
                    metadata: ["file": "\(pair.file)", "same": "\(twins.joined(separator: " "))"])
                return false
            }
            if pair.identity == .name, let key = names[pair.file].flatMap(ContentMatch.nameKey),
                listings.namesakes(in: folder, key: key) > 1
            {
                logger.debug(
                    "not linked by name: another file of its chat folder carries the same token",
                    metadata: ["file": "\(pair.file)"])
                return false
            }
            return true
        }
        guard !kept.isEmpty else { return nil }
        let checked = clock.now
        // Only the kept files are walked and probed (new files: nothing to read from the cache).
        let scan = try scanner.scan(try scanner.walk(scope: ScanScope(files: Set(kept.map(\.file)))))
        let digests = Dictionary(uniqueKeysWithValues: kept.map { ($0.file, $0.digest) })
        var files = scan.files
        for index in files.indices { files[index].sha256 = digests[files[index].path] }
        let scanned = clock.now
        let tenancy = try await SyncInputs.readTenancy(store)
        let rejections = try await SyncInputs.readRejections(store)
        // Each instance's pairs planned on their own, with its calibration pinned.
        let expected = Set(kept.map { ContentMatch.Pair(file: $0.file, rowID: $0.row.message.rowID) })
        var plans: [MatchPlan] = []
        for (instance, pairs) in Dictionary(grouping: kept, by: { ContentMemory.instanceID(ofPath: $0.file)! }) {
            let paths = Set(pairs.map(\.file))
            let rowsOfInstance = pairs.map(\.row.message).sorted { $0.rowID < $1.rowID }
            // The instance's last plan's calibration (its own-number folder, its clocks) and weights.
            let last = box.memory.withLock { $0.instances[instance] }
            var matcher = Matcher(
                profile: try Self.pinned(sync.profile.profile, weights: last?.weights), tenancy: tenancy,
                logger: syncLogger)
            if let calibration = last?.calibration { matcher.knownCalibrations = [instance: calibration] }
            let plan = matcher.plan(
                files: files.filter { paths.contains($0.path) }, messages: rowsOfInstance,
                options: Matcher.Options(explainLinks: false, rejectedPairs: rejections))
            plans.append(plan)
        }
        // Only the pairs expected, linked: a review or another pairing is left to a batch.
        var plan = MatchPlan(
            thresholds: .init(
                targetPrecision: sync.profile.profile.targetPrecision,
                reviewProbability: sync.profile.profile.reviewProbability),
            calibration: plans.flatMap(\.calibration),
            links: plans.flatMap(\.links).filter {
                expected.contains(ContentMatch.Pair(file: $0.file, rowID: $0.messageRowID))
            }.sorted { $0.messageRowID < $1.messageRowID })
        plan.work.files = files.count
        plan.work.messages = kept.count
        plan.work.scoredPairs = plans.map(\.work.scoredPairs).reduce(0, +)
        let rowsKept = kept.map(\.row).sorted { $0.message.rowID < $1.message.rowID }
        var timings = SyncReport.Timings()
        timings.scan = (scanned - started).seconds
        let inputs = SyncInputs(
            files: files, scan: scan,
            load: MessageLoad(
                messages: rowsKept.map(\.message), fingerprints: rowsKept.map(\.fingerprint), report: LoadReport()),
            tenancy: tenancy, hashed: files.count, hashFailures: 0, timings: timings, rejections: rejections)
        if let approve, !approve(Set(plan.links.map { ContentMatch.Pair(file: $0.file, rowID: $0.messageRowID) })) {
            return nil
        }
        var report = try await sync.runContentBatch(store: store, inputs: inputs, plan: plan)
        report.timings.match = (clock.now - scanned).seconds - report.timings.write
        let written =
            dryRunLinks && report.dryRun
            ? Set(plan.links.map(\.messageRowID)).subtracting(report.write.skipped.map(\.rowID))
            : Set(report.applied.filter { $0.action != .unlink }.map(\.messageRowID))
        let linked = expected.filter { written.contains($0.rowID) }
        for pair in expected where !written.contains(pair.rowID) {
            logger.debug(
                "not linked by content: its own plan did not link it, or the row changed",
                metadata: ["file": "\(pair.file)", "message_id": "\(pair.rowID)"])
        }
        box.memory.withLock { $0.linked(linked) }
        box.linkedInWarm(linked)
        let scopes = Set(kept.compactMap { BatchScope($0.file) })
        logger.debug(
            "content batch",
            metadata: [
                "instances": "\(scopes.count)", "files": "\(files.count)", "planned": "\(plan.links.count)",
                "linked": "\(linked.count)", "seconds": "\(clock.now - started)",
                "load_s": "\((loaded - started).seconds)", "hash_s": "\((hashed - loaded).seconds)",
                "walk_and_twins_s": "\((checked - hashed).seconds)", "scan_s": "\((scanned - checked).seconds)",
                "plan_s": "\(report.timings.match)", "write_s": "\(report.timings.write)",
            ])
        let keptByName = Set(kept.filter { $0.identity == .name }.map(\.file))
        return Run(
            report: report, scope: scopes.count == 1 ? scopes.first : nil, linked: Set(linked.map(\.file)),
            linkedByName: linked.filter { keptByName.contains($0.file) }.count, pairs: linked)
    }

    /// The profile a content batch plans an instance's pairs with: the weights the instance's last
    /// plan scored with, pinned, for a few pairs are no sample to estimate from. Without an
    /// estimate, the profile's own weights.
    static func pinned(_ profile: Profile, weights: WeightsReport?) throws -> Profile {
        var profile = profile
        profile.estimation.enabled = false
        if let weights, weights.estimated {
            let bits = Dictionary(grouping: weights.levels, by: \.strategy)
            profile.strategies = try profile.strategies.map { strategy in
                guard let levels = bits[strategy.identifier] else { return strategy }
                return try strategy.with(
                    levelBits: Dictionary(levels.map { ($0.level, $0.bits) }, uniquingKeysWith: { first, _ in first }),
                    pinned: true)
            }
            profile.estimation.orphanShare = weights.orphanShare
        }
        return profile
    }

    /// Rows read after the last load that a content batch keeps for files still to come.
    static let pendingRowLimit = 100_000

    /// The chat folders' files, by size and token: walked the first time, then kept up to date with
    /// the arrivals (``ChatFolderListings``).
    static func listChatFolders(_ folders: Set<String>, scanner: MediaStoreScanner, memory box: ContentMemoryBox)
        throws
    {
        let unknown = box.listings.withLock { listings in folders.filter { !listings.knows($0) } }
        guard !unknown.isEmpty else { return }
        let walk = try scanner.walk(scope: ScanScope(chatFolders: unknown))
        let sizes = Dictionary(grouping: walk.sizes, by: { chatFolder(of: $0.path) })
        box.listings.withLock { listings in
            for folder in unknown { listings.record(folder, files: sizes[folder] ?? []) }
        }
    }

    /// Reads the rows added since the watch last read them into the memory; `false` before the
    /// memory has seen a whole load.
    func readNewRows(store: any MessageDatabase, sync: SyncRunner, memory box: ContentMemoryBox) async throws -> Bool {
        guard let after = box.memory.withLock({ $0.isReady ? $0.readAfter : nil }) else { return false }
        var scope = sync.database.messageScope
        scope.afterRowID = after
        let rows = try await store.loadAudioMessages(scope: scope)
        box.memory.withLock {
            $0.absorbNew(rows)
            $0.trimPending(to: Self.pendingRowLimit)
        }
        return true
    }

    /// The file name of a relative path.
    static func lastComponent(of path: String) -> String {
        String(path[(path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)...])
    }

    /// `Client/instance_ID/chats/Chat` of a file below it (the path itself when it is not that deep).
    static func chatFolder(of path: String) -> String { ScanScope.chatFolder(of: path) ?? path }
}
