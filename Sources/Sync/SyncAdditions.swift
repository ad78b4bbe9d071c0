import Foundation
import Logging
import MatchEngine
import MediaStore
import MessageStore
import Synchronization

/// What a sync remembers, beside ``SyncMemory``, to take notes added since a whole plan without
/// planning the store again (`docs/decisions.md`, "An incremental sync after additions").
///
/// A whole plan with nothing to write (the run ``SyncMemory`` remembers) leaves its base: the
/// rows it read, summed through their highest id (``RowsSum``); the walk's files, as sorted keys;
/// the chats and the rest of the inputs, fingerprinted; and what a watch would keep from that
/// plan for its content batches (``ContentMemory``). A later run whose old rows sum the same,
/// whose walk still holds every remembered file, and whose chats and other inputs are the same
/// has only additions: new files and rows with higher ids. Those are taken as a watch's content
/// batch takes arrivals (``ContentMatch``); anything it does not settle makes the whole run.
struct AdditionsBase: Sendable {
    /// The part read before the rows are fingerprinted: what says whether the rest is worth reading.
    struct Head: Codable, Sendable {
        var version = 1
        /// ``SyncInputsFingerprint/rest``: clients, instances, rejections, profile, options, binary.
        var rest: String
        /// The rows the plan read.
        var rows: RowsSum
        /// Unix seconds.
        var recordedAt: Int64
    }

    var head: Head
    /// ``StoreWalk/fileKeys`` of the plan's walk.
    var fileKeys: [UInt64]
    /// ``AudioRowsFingerprint/chats`` of the rows it read: a chat added since is an addition, a
    /// chat changed or gone is not.
    var chats: [Int64: UInt64]
    /// ``ContentMemory/stored()`` of what the plan read and linked.
    var memory: [UInt8]

    static func headKey(_ key: String) -> String { "additions head " + key }
    static func bodyKey(_ key: String) -> String { "additions body " + key }
    /// The pairs additions runs linked since the base: their files are new to it, and settled.
    static func linkedKey(_ key: String) -> String { "additions linked " + key }

    /// The file keys, the chats' ids and hashes, then the memory.
    var encodedBody: [UInt8] {
        var writer = TableWriter()
        writer.bytes.reserveCapacity(16 + fileKeys.count * 8 + chats.count * 16 + memory.count)
        writer.integer(UInt64(fileKeys.count))
        for key in fileKeys { writer.integer(key) }
        writer.integer(UInt64(chats.count))
        for (id, hash) in chats.sorted(by: { $0.key < $1.key }) {
            writer.integer(UInt64(bitPattern: id))
            writer.integer(hash)
        }
        writer.bytes.append(contentsOf: memory)
        return writer.bytes
    }

    /// The body's parts, or `nil` when cut short.
    static func decodeBody(_ bytes: [UInt8]) -> (fileKeys: [UInt64], chats: [Int64: UInt64], memory: [UInt8])? {
        var reader = TableReader(bytes: bytes)
        guard let keyCount = reader.integer().map(Int.init), keyCount >= 0 else { return nil }
        var keys: [UInt64] = []
        keys.reserveCapacity(min(keyCount, bytes.count / 8))
        for _ in 0..<keyCount {
            guard let key = reader.integer() else { return nil }
            keys.append(key)
        }
        guard let chatCount = reader.integer().map(Int.init), chatCount >= 0 else { return nil }
        var chats: [Int64: UInt64] = [:]
        for _ in 0..<chatCount {
            guard let id = reader.integer(), let hash = reader.integer() else { return nil }
            chats[Int64(bitPattern: id)] = hash
        }
        return (keys, chats, Array(reader.rest))
    }
}

/// The additions a run found since the base: what ``SyncRunner`` takes without a whole plan.
struct SyncAdditions: Sendable {
    var head: AdditionsBase.Head
    var memory: [UInt8]
    /// New files, relative to the media root.
    var files: [String]
}

extension SyncReport {
    /// What a run that took only additions found and did.
    public struct AdditionsSince: Sendable, Encodable, Hashable {
        /// ISO 8601, UTC: when the whole plan it stands on was made.
        public var recordedAt: String
        /// Files added since that plan.
        public var files: Int
        /// Audio rows added since (ids above the plan's highest).
        public var rows: Int
        /// Files this run linked (a dry run: would link) by their content or name.
        public var linked: Int
        /// Files earlier runs of this kind linked, their rows still naming them.
        public var linkedBefore: Int
    }
}

extension SyncRunner {
    /// Takes the additions since the base as a watch's content batch takes arrivals, and returns
    /// its report; `nil` when anything is left that a whole plan must decide (a file no one new
    /// row's bytes or name give, a second download, a row naming a file itself, a row some old
    /// unlinked file may belong to), after which the caller makes the whole run. It writes all of
    /// the additions' links or none, so that the whole run plans from the store as it was.
    func runAdditions(_ additions: SyncAdditions, walk: StoreWalk, store: any MessageDatabase, check: UnchangedCheck)
        async throws -> SyncReport?
    {
        let clock = ContinuousClock()
        let started = clock.now
        guard var memory = ContentMemory(stored: additions.memory) else { return nil }
        let restored = clock.now
        var scope = database.messageScope
        scope.afterRowID = additions.head.rows.through
        let rows = try await store.loadAudioMessages(scope: scope)
        let loaded = clock.now
        memory.absorbNew(rows)
        let arrived = memory.takeArrived()
        // What earlier runs of this kind linked, where the row still names the file.
        let scanner = media.scanner(logger: logger)
        let key = check.key
        let before =
            scanner.recall(AdditionsBase.linkedKey(key)).flatMap {
                try? JSONDecoder().decode([ContentMatch.Pair].self, from: Data($0))
            } ?? []
        let named = Dictionary(
            rows.messages.compactMap { message in message.localPath.map { (normalisedLocalPath($0), message.rowID) } },
            uniquingKeysWith: { first, _ in first })
        // Any other path a new row names (a gateway writes the path it will download to; a row copied
        // with its link) is the whole plan's to confirm or contradict.
        let settled = before.filter { named[$0.file] == $0.rowID }
        guard named.count == settled.count else {
            logger.info(
                "additions since the last whole plan not taken: the whole run",
                metadata: ["why": "a row added names a file itself"])
            return nil
        }
        memory.linked(settled)
        let settledFiles = Set(settled.map(\.file))
        let toLink = Set(additions.files).subtracting(settledFiles)
        var linkedNow: Set<ContentMatch.Pair> = []
        var report: SyncReport?
        if !toLink.isEmpty {
            // Moved in and out, not copied: its tables are tens of megabytes.
            let box = ContentMemoryBox()
            box.memory.withLock { swap(&$0, &memory) }
            // The chat folders the twin checks look in, listed from the walk already made (a
            // content batch would walk them again).
            let folders = Set(toLink.map(ContentBatch.chatFolder))
            let listed = walk.sizes(inChatFolders: folders)
            let listedAt = clock.now
            box.listings.withLock { listings in
                for folder in folders { listings.record(folder, files: listed[folder] ?? []) }
            }
            logger.debug(
                "listed the added files' chat folders from the walk",
                metadata: [
                    "folders": "\(folders.count)", "walk_s": "\((listedAt - loaded).seconds)",
                    "listing_s": "\((clock.now - listedAt).seconds)",
                ])
            let batch = ContentBatch(media: media, logger: logger, syncLogger: logger)
            // All or nothing: the whole run that follows a refusal must plan from the store as it
            // was, not from some of the additions linked.
            let why = Mutex<String?>(nil)
            let crossChat = profile.profile.allowCrossChat
            let approve: @Sendable (Set<ContentMatch.Pair>) -> Bool = { pairs in
                let left = toLink.subtracting(pairs.map(\.file))
                if !left.isEmpty {
                    why.withLock {
                        $0 =
                            "\(left.count) files added that their content or name does not settle, the first "
                            + (left.min() ?? "")
                    }
                    return false
                }
                let linkedRows = Set(pairs.map(\.rowID)).union(settled.map(\.rowID))
                if let file = box.memory.withLock({
                    Self.oldFileForWaitingRow(
                        arrived, linkedRows: linkedRows, walk: walk, additions: additions, crossChat: crossChat, in: $0)
                }) {
                    why.withLock { $0 = "a row added may be the row of \(file), which the base left unlinked" }
                    return false
                }
                return true
            }
            let run = try await batch.run(
                toLink, store: store, sync: self, memory: box, dryRunLinks: true, approve: approve)
            box.memory.withLock { swap(&$0, &memory) }
            guard let run, run.pairs.count == toLink.count else {
                logger.info(
                    "additions since the last whole plan not taken: the whole run",
                    metadata: ["why": "\(why.withLock { $0 } ?? "the content batch did not link them all")"])
                return nil
            }
            linkedNow = run.pairs
            report = run.report
        } else if let file = Self.oldFileForWaitingRow(
            arrived, linkedRows: Set(settled.map(\.rowID)), walk: walk, additions: additions,
            crossChat: profile.profile.allowCrossChat, in: memory)
        {
            logger.info(
                "additions since the last whole plan not taken: the whole run",
                metadata: ["why": "a row added may be the row of \(file), which the base left unlinked"])
            return nil
        }
        let linkedAt = clock.now
        if !options.dryRun, !linkedNow.isEmpty,
            let bytes = try? JSONEncoder().encode(
                settled + linkedNow.sorted { ($0.rowID, $0.file) < ($1.rowID, $1.file) })
        {
            scanner.remember(Array(bytes), as: AdditionsBase.linkedKey(key))
        }
        self.restored?(memory)
        var result = report ?? emptyReport(store: store)
        result.additionsSince = .init(
            recordedAt: Date(timeIntervalSince1970: TimeInterval(additions.head.recordedAt)).formatted(.iso8601),
            files: additions.files.count, rows: rows.messages.count, linked: linkedNow.count,
            linkedBefore: settled.count)
        result.timings.scan += check.timings.scan
        result.timings.load += check.timings.load
        logger.info(
            "took the additions since the last whole plan",
            metadata: [
                "files": "\(additions.files.count)", "rows": "\(rows.messages.count)", "linked": "\(linkedNow.count)",
                "linked_before": "\(settled.count)", "seconds": "\((clock.now - started).seconds)",
                "restore_s": "\((restored - started).seconds)", "load_s": "\((loaded - restored).seconds)",
                "link_s": "\((linkedAt - loaded).seconds)", "record_s": "\((clock.now - linkedAt).seconds)",
            ])
        return result
    }

    /// A file the base left unlinked that a row read without its file (and not about to be linked)
    /// may belong to (the file came first): only a whole plan may pair them.
    private static func oldFileForWaitingRow(
        _ arrived: [ContentMemory.ArrivedRow], linkedRows: Set<Int64>, walk: StoreWalk, additions: SyncAdditions,
        crossChat: Bool, in memory: ContentMemory
    ) -> String? {
        let waiting = arrived.filter { !linkedRows.contains($0.rowID) }
        guard !waiting.isEmpty else { return nil }
        let added = Set(additions.files)
        return walk.sizes.lazy.map(\.path).first { file in
            !added.contains(file) && !memory.isPlanned(file)
                && waiting.contains { memory.mayBeRow($0, ofFileAt: file, allowCrossChat: crossChat) }
        }
    }

    /// A report with nothing planned: a run whose additions were all settled before.
    private func emptyReport(store: any MessageDatabase) -> SyncReport {
        SyncReport(
            dryRun: options.dryRun, repair: options.repair, mediaRoot: media.root, database: store.displayLocation,
            profile: profile.source, run: nil,
            scan: .init(
                filesSeen: 0, audio: 0, damaged: 0, skipped: [:], formats: [:], problems: [:], probed: 0, cached: 0,
                hashed: 0, hashFailures: 0),
            load: LoadReport(),
            plan: MatchPlan(
                thresholds: .init(
                    targetPrecision: profile.profile.targetPrecision,
                    reviewProbability: profile.profile.reviewProbability)),
            changes: .init(links: 0, repairs: 0, removals: 0, confirmed: 0, withheld: []), write: ApplyReport(),
            timings: SyncReport.Timings())
    }
}
