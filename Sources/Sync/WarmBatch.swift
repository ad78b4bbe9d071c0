import Foundation
import Logging
import MatchEngine
import MediaStore
import MessageStore
import Synchronization

/// An instance's plan kept warm by a watch (``WarmInstance``), with what its writes must find
/// unchanged: the fingerprints of the rows its load read and of the rows read since.
struct WarmState: Sendable {
    var instance: WarmInstance
    /// The fingerprints of the instance's rows the plan loaded, in its messages' order
    /// (``WarmInstance/loadPositions``).
    let fingerprints: [ContentFingerprint]
    /// Rows read since the plan, by id.
    var newFingerprints: [Int64: ContentFingerprint] = [:]
    /// Every row up to this id was read by the plan's load or since (its own mark: content batches
    /// read rows the plan's load may not have seen, and a plan ending meanwhile did not).
    var readThrough: Int64

    init(instance: WarmInstance, fingerprints: [ContentFingerprint], readThrough: Int64) {
        self.instance = instance
        self.fingerprints = fingerprints
        self.readThrough = readThrough
    }

    /// Rows and files taken since the plan after which the instance is planned again: every new row
    /// is scored against every file a warm plan scores, and the kept weights grow older. Not tuned:
    /// a thousand is what issue 11's re-sync adds to a million-row store.
    static let additionLimit = 1_000

    /// Takes the load's rows that belong to the instance.
    mutating func absorb(_ load: MessageLoad) {
        var rows: [AudioMessage] = []
        for (position, row) in load.messages.enumerated() {
            readThrough = max(readThrough, row.rowID)
            guard instance.holds(row) else { continue }
            rows.append(row)
            newFingerprints[row.rowID] = load.fingerprints[position]
        }
        if !rows.isEmpty { instance.absorb(rows) }
    }

    /// Compares the instance's rows as read again (`load`: the instance's scope, read whole) with
    /// the rows the plan loaded and read since, up to its mark. Returns what changed, or `nil` when
    /// nothing did: then the rows it had not seen (committed after a row of a higher id, or made
    /// audio rows by an edit) are taken as rows read since, as new rows are.
    ///
    /// What is compared is what a plan reads of each row (its ``AudioMessage``), not `conteudo`'s
    /// bytes: a write's compare-and-swap still finds any change of those. A row a batch of the watch
    /// linked since the plan, holding the file recorded, is no change either (the row is its file's;
    /// no warm plan gives it to another). Any other difference (a column, a key a plan reads, a row
    /// gone) is.
    mutating func takeUnchanged(_ load: MessageLoad) -> String? {
        let known = instance.rowsByID()
        var seen = 0
        var unseen: [Int] = []
        for (position, row) in load.messages.enumerated() where row.rowID <= readThrough && instance.holds(row) {
            guard let kept = known[row.rowID] else {
                unseen.append(position)
                continue
            }
            seen += 1
            // What a plan reads of it is the same (a key of `conteudo` no plan reads may differ: the
            // `localUrl` a link of the watch wrote beside a `localPath` the row already had).
            if row == kept { continue }
            // Linked since by a batch of the watch: its file holds it, so no warm plan gives it to
            // another, whatever else the write changed (a legacy caption becomes a JSON object).
            if let path = row.localPath.map(normalisedLocalPath), path != kept.localPath.map(normalisedLocalPath),
                instance.file(heldBy: row.rowID) == path
            {
                continue
            }
            return "row \(row.rowID) changed"
        }
        if seen != known.count { return "\(known.count - seen) rows gone" }
        if !unseen.isEmpty {
            absorb(
                MessageLoad(
                    messages: unseen.map { load.messages[$0] }, fingerprints: unseen.map { load.fingerprints[$0] },
                    report: LoadReport()))
        }
        return nil
    }

    /// A row's message and its fingerprint as read.
    func row(_ id: Int64) -> (AudioMessage, ContentFingerprint)? {
        guard let (message, loaded) = instance.row(id) else { return nil }
        if let loaded { return (message, fingerprints[loaded]) }
        return newFingerprints[id].map { (message, $0) }
    }
}

extension ContentBatch {
    /// What a warm plan of an instance's files came to.
    enum WarmOutcome: Sendable {
        /// No plan of the instance is kept.
        case cold
        /// The warm plan cannot stand in for the instance's plan (why).
        case refused(String)
        /// It was written.
        case planned(Run)
    }

    /// Plans `files` (relative to the media root, all of `scope`'s instance: arrivals and files
    /// waiting for their rows) against the instance's warm plan, and writes its links as a content
    /// batch writes its pairs.
    func runWarm(
        _ files: Set<String>, scope: BatchScope, store: any MessageDatabase, sync: SyncRunner,
        memory box: ContentMemoryBox
    ) async throws -> WarmOutcome {
        guard !files.isEmpty, box.warm.withLock({ $0[scope.instanceID] != nil }) else { return .cold }
        guard let gate = sync.gate else {
            return try await planWarm(files, scope: scope, store: store, sync: sync, memory: box)
        }
        return try await gate.writing { try await planWarm(files, scope: scope, store: store, sync: sync, memory: box) }
    }

    private func planWarm(
        _ paths: Set<String>, scope: BatchScope, store: any MessageDatabase, sync: SyncRunner,
        memory box: ContentMemoryBox
    ) async throws -> WarmOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await readNewRows(store: store, sync: sync, memory: box)
        guard var state = box.warm.withLock({ $0[scope.instanceID] }) else { return .cold }
        // The rows since the warm plan's own mark: its candidates, and its files' rivals.
        var rowScope = sync.database.messageScope
        rowScope.afterRowID = state.readThrough
        state.absorb(try await store.loadAudioMessages(scope: rowScope))
        // Each new row is scored against every file a warm plan scores: after many, the instance is
        // planned again, which keeps it warm from a fresh load.
        if state.instance.additions > WarmState.additionLimit {
            box.warm.withLock { $0[scope.instanceID] = nil }
            logger.debug(
                "the warm plan has taken many rows and files since it was made: the instance is planned again",
                metadata: ["instance": "\(scope.instanceID)", "additions": "\(state.instance.additions)"])
            return .cold
        }
        box.warm.withLock { $0[scope.instanceID] = state }
        let scanner = media.scannerWithoutCache(logger: syncLogger)
        let scan = try scanner.scan(try scanner.walk(scope: ScanScope(files: paths)))
        var files = scan.files
        for index in files.indices {
            files[index].sha256 = try? ContentHasher.sha256(ofFileAt: media.root + "/" + files[index].path)
        }
        // A second download of a note beside it: which of the two is the note is a whole plan's call.
        try Self.listChatFolders(Set(files.map { Self.chatFolder(of: $0.path) }), scanner: scanner, memory: box)
        let listings = box.listings.withLock { listings in
            for file in files { listings.arrived(file.path, size: file.size, in: Self.chatFolder(of: file.path)) }
            return listings
        }
        // The bytes of the other files of their size in their folders: a second download of a note is
        // grouped with it, as a plan groups them.
        var digests: [String: ContentDigest] = [:]
        for file in files {
            for other in listings.files(in: Self.chatFolder(of: file.path), size: file.size)
            where other != file.path && digests[other] == nil {
                digests[other] = try? ContentHasher.sha256(ofFileAt: media.root + "/" + other)
            }
        }
        let rejections = try await SyncInputs.readRejections(store)
        let rejected = Dictionary(grouping: rejections, by: \.file).mapValues { Set($0.map(\.messageRowID)) }
        let warm = state.instance.plan(pending: files, digests: digests, rejected: rejected)
        if let refused = warm.refused { return .refused(refused) }
        let planned = clock.now
        var plan = MatchPlan(
            thresholds: .init(
                targetPrecision: sync.profile.profile.targetPrecision,
                reviewProbability: sync.profile.profile.reviewProbability),
            calibration: [], links: warm.links.sorted { $0.messageRowID < $1.messageRowID }, reviews: warm.reviews,
            unmatched: warm.unmatched)
        plan.work.files = warm.files
        plan.work.scoredPairs = warm.scoredPairs
        // In row order, as a load gives them: the write finds each link's row among them by id.
        let rows = warm.links.compactMap { state.row($0.messageRowID) }.sorted { $0.0.rowID < $1.0.rowID }
        guard rows.count == warm.links.count else { return .refused("a row to link was not read with its fingerprint") }
        var timings = SyncReport.Timings()
        timings.scan = (planned - started).seconds
        let inputs = SyncInputs(
            files: files, scan: scan,
            load: MessageLoad(messages: rows.map(\.0), fingerprints: rows.map(\.1), report: LoadReport()),
            tenancy: try await SyncInputs.readTenancy(store), hashed: files.count, hashFailures: 0, timings: timings,
            rejections: rejections)
        var report = try await sync.runContentBatch(store: store, inputs: inputs, plan: plan)
        report.timings.match = (planned - started).seconds
        let written = Set(report.applied.filter { $0.action != .unlink }.map(\.messageRowID))
        let pairs = Set(
            warm.links.filter { written.contains($0.messageRowID) }.map {
                ContentMatch.Pair(file: $0.file, rowID: $0.messageRowID)
            })
        box.memory.withLock { $0.linked(pairs) }
        box.linkedInWarm(pairs, files: files)
        logger.debug(
            "warm batch",
            metadata: [
                "instance": "\(scope.instanceID)", "files": "\(files.count)", "scored_files": "\(warm.files)",
                "new_rows": "\(state.instance.extraRows.count)", "planned": "\(warm.links.count)",
                "linked": "\(pairs.count)", "reviews": "\(warm.reviews.count)",
                "seconds": "\(clock.now - started)", "plan_s": "\((planned - started).seconds)",
                "write_s": "\(report.timings.write)",
            ])
        return .planned(
            Run(report: report, scope: scope, linked: Set(pairs.map(\.file)), linkedByName: 0, pairs: pairs))
    }
}

extension ContentBatch {
    /// What reading an instance's rows again told of its warm plan.
    enum WarmRowsCheck: Sendable {
        /// No plan of the instance is kept.
        case cold
        /// Its rows up to the plan's mark are those it planned with; `taken` rows it had not seen
        /// were taken as rows read since.
        case unchanged(taken: Int)
        /// A row changed or went (what).
        case changed(String)
    }

    /// Reads the rows of `scope`'s instance and compares them with its warm plan's
    /// (``WarmState/takeUnchanged(_:)``): what a watch does where a row may have changed below the
    /// plan's mark (SQLite's counter of commits moved with new rows, a row committed late, an edit
    /// announced). Planning the instance whole for it took 2.5 s an instance at a million rows, one
    /// after another, and held the watch's p99 over a long stream; a read of its rows takes a
    /// fraction of that, and the plan is made again only when a row did change.
    func checkWarmRows(
        scope: BatchScope, store: any MessageDatabase, sync: SyncRunner, memory box: ContentMemoryBox
    ) async throws -> WarmRowsCheck {
        guard box.warm.withLock({ $0[scope.instanceID] != nil }) else { return .cold }
        let load = try await store.loadAudioMessages(
            scope: sync.narrowed(toClient: scope.client, instance: scope.instance).database.messageScope)
        // Against the plan kept now: a batch of another instance does not replace this one's, and
        // what content batches linked meanwhile is in it.
        return box.warm.withLock { states in
            guard var state = states[scope.instanceID] else { return .cold }
            let before = state.instance.additions
            if let changed = state.takeUnchanged(load) {
                // Planned whole next, which keeps it warm again; until then nothing plans against it.
                states[scope.instanceID] = nil
                return .changed(changed)
            }
            states[scope.instanceID] = state
            return .unchanged(taken: state.instance.additions - before)
        }
    }
}

extension BatchScope {
    /// Every `Client/instance_ID` folder under the media root, in order: the instances a watch
    /// plans once to keep them warm.
    static func all(under root: String) -> [BatchScope] {
        let manager = FileManager.default
        var scopes: [BatchScope] = []
        for client in ((try? manager.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            for instance in ((try? manager.contentsOfDirectory(atPath: root + "/" + client)) ?? []).sorted()
            where instance.hasPrefix("instance_") {
                if let scope = BatchScope(client + "/" + instance + "/-") { scopes.append(scope) }
            }
        }
        return scopes
    }
}

extension ContentMemoryBox {
    /// Takes links a batch wrote into the plans kept warm of their instances, and logs them for a
    /// plan kept later (``replayLinks(into:)``). A linked file among `files` is a rival of later
    /// arrivals in its folder too.
    func linkedInWarm(_ pairs: some Collection<ContentMatch.Pair>, files: [AudioFile] = []) {
        guard !pairs.isEmpty else { return }
        let byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        warm.withLock { states in
            for pair in pairs {
                guard let id = ContentMemory.instanceID(ofPath: pair.file) else { continue }
                if let file = byPath[pair.file] {
                    states[id]?.instance.linked(file, rowID: pair.rowID)
                } else {
                    states[id]?.instance.linked(path: pair.file, rowID: pair.rowID)
                }
            }
        }
        recentLinks.withLock { $0.append(pairs) }
    }

    /// Takes into an instance's plan just kept the links written while it was planned.
    func replayLinks(into instanceID: String) {
        let pairs = recentLinks.withLock { $0.pairs }
        warm.withLock { states in
            for pair in pairs where ContentMemory.instanceID(ofPath: pair.file) == instanceID {
                states[instanceID]?.instance.linked(path: pair.file, rowID: pair.rowID)
            }
        }
    }
}
