public import Foundation
public import Logging
public import MatchEngine
import MediaStore
public import MessageStore

/// A review session: the latest dry plan's review items and the decisions a person makes on them.
///
/// The plan is made as a sync's dry run would make it (the same inputs, the rejections
/// respected), on ``refresh(progress:)``. Accepting writes through the sync's own path — the
/// engine's `ChangeSet.Change` values applied with compare-and-swap against the load the plan was
/// made from — under one journalled run per session (`command: review`), so `audiosync undo RUN`
/// gives it all back. A session ends at the next refresh or at ``close()``, which finishes the run.
/// Rejections go to `audiosync_rejection`, which later plans respect.
///
/// Decisions are taken one at a time: a second waits until the first is written.
public actor ReviewSession {
    public nonisolated let database: DatabaseLocation
    public nonisolated let media: MediaLocation
    public nonisolated let profile: ProfileChoice
    /// The `localUrl` an accepted link gets, with `{id}` for `core_mensagem.id`.
    public nonisolated let urlTemplate: String
    /// Where decisions come from, as rejections record it (`review page`, `review command`).
    public nonisolated let source: String
    nonisolated let logger: Logger

    private var store: (any MessageDatabase)?
    private var inputs: SyncInputs?
    private var items: [ReviewItem] = []
    private var itemOfFile: [String: Int] = [:]
    private var filesByPath: [String: AudioFile] = [:]
    private var run: RunID?
    /// Rows written in this session, and what they were given.
    private var writtenRows: [Int64: String] = [:]
    private var summary = Tally()
    /// When the plan was made.
    public private(set) var plannedAt: Date?
    private var gate = Gate()

    struct Tally {
        var accepted = 0
        var written = 0
        var unchanged = 0
        var changedSinceRead = 0
    }

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice,
        urlTemplate: String = MatchPlan.defaultURLTemplate, source: String,
        logger: Logger = Logger(label: "audiosync.review")
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.urlTemplate = urlTemplate
        self.source = source
        self.logger = logger
    }

    // MARK: The plan

    /// Makes the plan again (finishing the session's run, if it wrote anything): the first call opens
    /// the database.
    @discardableResult
    public func refresh(progress: SyncRunner.Progress? = nil) async throws -> ReviewCounts {
        await acquire()
        defer { release() }
        try await finishRun()
        let store = try await openStore()
        let inputs = try await SyncInputs.gather(
            from: store, database: database, media: media, allowCrossChat: profile.profile.allowCrossChat,
            logger: logger, progress: progress)
        progress?("match", 0, 1)
        let plan = Matcher(profile: profile.profile, tenancy: inputs.tenancy, logger: logger).plan(
            files: inputs.files, messages: inputs.load.messages, options: inputs.matchOptions())
        items = ReviewItem.items(plan: plan, files: inputs.files, messages: inputs.load.messages)
        itemOfFile = Dictionary(items.enumerated().map { ($1.file.path, $0) }, uniquingKeysWith: { first, _ in first })
        filesByPath = Dictionary(inputs.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        self.inputs = inputs
        writtenRows = [:]
        summary = Tally()
        plannedAt = Date()
        logger.info("review plan made", metadata: ["items": "\(items.count)", "links": "\(plan.links.count)"])
        return counts
    }

    /// How many items there are, by state and kind.
    public var counts: ReviewCounts {
        var counts = ReviewCounts()
        for item in items {
            counts.total += 1
            counts.byState[item.state.rawValue, default: 0] += 1
            counts.byKind[item.kind.rawValue, default: 0] += 1
        }
        counts.run = run
        counts.plannedAt = plannedAt.map { Int64($0.timeIntervalSince1970) }
        return counts
    }

    /// A page of items, in plan order, optionally only those in `states`.
    public func page(offset: Int, limit: Int, states: Set<ReviewItem.State>? = nil) -> ReviewPage {
        let chosen = states.map { wanted in items.filter { wanted.contains($0.state) } } ?? items
        let start = min(max(0, offset), chosen.count)
        let end = min(chosen.count, start + max(0, limit))
        return ReviewPage(
            offset: start, limit: limit, matching: chosen.count, counts: counts,
            items: chosen[start..<end].map(annotated))
    }

    /// The item of `file`, if the plan has one.
    public func item(file: String) -> ReviewItem? {
        itemOfFile[file].map { annotated(items[$0]) }
    }

    /// A file of the scan that the page may play: a review item's, or one a candidate message holds.
    public func playableFile(_ path: String) -> AudioFile? {
        guard let file = filesByPath[path] else { return nil }
        if itemOfFile[path] != nil { return file }
        let heldByCandidate = items.contains { item in
            item.candidates.contains { $0.message.localPath.map(normalisedLocalPath) == path }
                || item.rivals.contains { $0.file.path == path }
        }
        return heldByCandidate ? file : nil
    }

    /// Marks candidates whose message was written in this session for another file as taken.
    private func annotated(_ item: ReviewItem) -> ReviewItem {
        var item = item
        for index in item.candidates.indices where item.candidates[index].state == .open {
            if let given = writtenRows[item.candidates[index].message.rowID], given != item.file.path {
                item.candidates[index].state = .taken
            }
        }
        return item
    }

    // MARK: Decisions

    /// Links `file` to message `messageRowID`: the message gets the file (replacing the file it
    /// held, if any) and any other message holding the file loses it, in one compare-and-swap write
    /// under the session's run.
    /// - Throws: ``ReviewError`` (nothing written) when the pair is not under review, was decided,
    ///   or a row it needs was written in this session; ``MessageStoreError`` from the store.
    public func accept(file: String, messageRowID: Int64) async throws -> ReviewDecision {
        await acquire()
        defer { release() }
        let (index, candidate) = try openCandidate(file: file, messageRowID: messageRowID)
        guard !candidate.current else { throw ReviewError.alreadyLinked(file: file, messageRowID: messageRowID) }
        guard let inputs, let store else { throw ReviewError.noPlan }
        let message = try requireMessage(messageRowID, in: inputs)
        var changes = [
            ChangeSet.Change(
                messageRowID: messageRowID,
                action: .link(localPath: file, localUrl: MatchPlan.url(urlTemplate, messageRowID, path: file)),
                reason: message.localPath == nil ? .link : .repair)
        ]
        // A file belongs to one message: whoever else holds it lets go, in the same write.
        for other in inputs.load.messages
        where other.rowID != messageRowID && other.localPath.map(normalisedLocalPath) == file {
            changes.append(ChangeSet.Change(messageRowID: other.rowID, action: .unlink, reason: .repair))
        }
        changes.sort { $0.messageRowID < $1.messageRowID }
        let touched = changes.map(\.messageRowID).filter { writtenRows[$0] != nil }
        guard touched.isEmpty else { throw ReviewError.stale(file: file, rows: touched) }

        let report = try await write(changes, against: inputs.load, store: store)
        let written = changes.map(\.messageRowID).filter { row in !report.skipped.contains { $0.rowID == row } }
        var item = items[index]
        let note: String
        if report.skipped.isEmpty {
            summary.accepted += 1
            item.state = .accepted
            if let position = item.candidates.firstIndex(where: { $0.message.rowID == messageRowID }) {
                item.candidates[position].state = .accepted
            }
            let released = changes.filter { $0.messageRowID != messageRowID }.map(\.messageRowID)
            note =
                "linked to message \(messageRowID)"
                + (released.isEmpty
                    ? "" : "; removed from message \(released.map(String.init).joined(separator: ", "))")
        } else {
            item.state = .stale
            note =
                "not linked: message \(report.skipped.map { String($0.rowID) }.joined(separator: ", ")) changed since the plan was made ("
                + report.skipped.map(\.outcome.rawValue).joined(separator: ", ") + "); refresh the plan"
        }
        item.note = note
        items[index] = item
        logger.info("review accept", metadata: ["file": "\(file)", "message": "\(messageRowID)", "note": "\(note)"])
        return ReviewDecision(
            action: .accept, file: file, messageRowID: messageRowID, run: run, written: written,
            skipped: report.skipped, remembered: nil, item: annotated(item), note: note)
    }

    /// Remembers that `file` is not message `messageRowID`'s, so no later plan proposes the pair. When
    /// the message holds the file now (a contradicted link), the link is removed too, journalled
    /// under the session's run.
    public func reject(file: String, messageRowID: Int64) async throws -> ReviewDecision {
        await acquire()
        defer { release() }
        let (index, candidate) = try openCandidate(file: file, messageRowID: messageRowID)
        guard let inputs, let store else { throw ReviewError.noPlan }
        if candidate.current, writtenRows[messageRowID] != nil {
            throw ReviewError.stale(file: file, rows: [messageRowID])
        }
        let remembered = try await store.recordRejection(file: file, messageRowID: messageRowID, source: source)
        var report = ApplyReport()
        var written: [Int64] = []
        if candidate.current {
            let change = ChangeSet.Change(messageRowID: messageRowID, action: .unlink, reason: .repair)
            report = try await write([change], against: inputs.load, store: store)
            if report.skipped.isEmpty { written = [messageRowID] }
        }
        var item = items[index]
        if let position = item.candidates.firstIndex(where: { $0.message.rowID == messageRowID }) {
            item.candidates[position].state = .rejected
        }
        var note = "pair rejected: it will not be proposed again"
        if candidate.current {
            note +=
                report.skipped.isEmpty
                ? "; the link was removed from message \(messageRowID)"
                : "; the link was not removed: message \(messageRowID) changed since the plan was made"
        }
        if !report.skipped.isEmpty {
            item.state = .stale
        } else if item.candidates.allSatisfy({ $0.state == .rejected }) {
            item.state = .rejected
        }
        item.note = note
        items[index] = item
        logger.info("review reject", metadata: ["file": "\(file)", "message": "\(messageRowID)"])
        return ReviewDecision(
            action: .reject, file: file, messageRowID: messageRowID, run: run, written: written,
            skipped: report.skipped, remembered: remembered, item: annotated(item), note: note)
    }

    /// Leaves the item for later in this session (nothing is written or remembered).
    public func skip(file: String) throws -> ReviewDecision {
        guard let index = itemOfFile[file] else { throw ReviewError.notUnderReview(file: file, messageRowID: 0) }
        var item = items[index]
        guard item.state == .open || item.state == .skipped else {
            throw ReviewError.alreadyDecided(file: file, state: item.state)
        }
        item.state = .skipped
        item.note = "skipped"
        items[index] = item
        return ReviewDecision(
            action: .skip, file: file, messageRowID: nil, run: run, written: [], skipped: [], remembered: nil,
            item: annotated(item), note: "skipped")
    }

    /// Finishes the session's run and closes the database.
    public func close() async throws {
        await acquire()
        defer { release() }
        try await finishRun()
        if let store {
            self.store = nil
            try await store.close()
        }
    }

    // MARK: Helpers

    private func openCandidate(file: String, messageRowID: Int64) throws -> (Int, ReviewCandidate) {
        guard inputs != nil else { throw ReviewError.noPlan }
        guard let index = itemOfFile[file], let candidate = items[index].candidate(messageRowID) else {
            throw ReviewError.notUnderReview(file: file, messageRowID: messageRowID)
        }
        let state = items[index].state
        guard state == .open || state == .skipped else { throw ReviewError.alreadyDecided(file: file, state: state) }
        guard candidate.state == .open else {
            throw ReviewError.alreadyDecided(file: file, state: candidate.state == .rejected ? .rejected : .stale)
        }
        return (index, candidate)
    }

    private func requireMessage(_ rowID: Int64, in inputs: SyncInputs) throws -> AudioMessage {
        guard let message = inputs.load.messages.first(where: { $0.rowID == rowID }) else {
            throw ReviewError.notUnderReview(file: "", messageRowID: rowID)
        }
        return message
    }

    /// Applies `changes` under the session's run, begun on the first write.
    private func write(_ changes: [ChangeSet.Change], against load: MessageLoad, store: any MessageDatabase)
        async throws -> ApplyReport
    {
        // The write lock for this decision only: a session open all day must not keep the
        // scheduled syncs out, and a decision must not interleave with a sync's writes.
        try await store.lockForWriting(WriteLockHolder(command: "review"))
        let report: ApplyReport
        do {
            let run = try await currentRun(store)
            report = try await store.apply(changes, against: load, run: run)
            try await store.unlockForWriting()
        } catch {
            try? await store.unlockForWriting()
            throw error
        }
        for change in changes {
            switch change.action {
            case .link(let path, _): writtenRows[change.messageRowID] = path
            case .unlink: writtenRows[change.messageRowID] = ""
            }
        }
        summary.written += report[.updated]
        summary.unchanged += report[.unchanged]
        summary.changedSinceRead += report[.changedSinceRead]
        return report
    }

    private func currentRun(_ store: any MessageDatabase) async throws -> RunID {
        if let run { return run }
        let started = try await store.beginRun(
            RunStart(
                command: "review", mediaRoot: media.root,
                options: RunOptions(
                    mediaRoot: media.root, profile: profile.source, client: database.client,
                    instance: database.instance, repair: true, urlTemplate: urlTemplate),
                toolVersion: audiosyncVersion))
        run = started
        logger.info("review run begun", metadata: ["run": "\(started)"])
        return started
    }

    private func finishRun() async throws {
        guard let run, let store else { return }
        self.run = nil
        try await store.finishRun(
            run, status: .finished,
            summary: RunSummary(
                files: items.count, links: summary.accepted, reviews: items.count, written: summary.written,
                unchanged: summary.unchanged, changedSinceRead: summary.changedSinceRead))
        logger.info("review run finished", metadata: ["run": "\(run)"])
    }

    private func openStore() async throws -> any MessageDatabase {
        if let store { return store }
        let opened = try await openMessageStore(location: database.database, options: database.options, logger: logger)
        store = opened
        return opened
    }

    // One decision at a time: an actor lets a second call in while the first awaits the database.
    private func acquire() async {
        if gate.busy {
            await withCheckedContinuation { gate.waiters.append($0) }
        } else {
            gate.busy = true
        }
    }

    private func release() {
        if gate.waiters.isEmpty {
            gate.busy = false
        } else {
            gate.waiters.removeFirst().resume()
        }
    }

    private struct Gate {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
}

/// How many items a session holds.
public struct ReviewCounts: Sendable, Hashable, Encodable {
    public var total = 0
    public var byState: [String: Int] = [:]
    public var byKind: [String: Int] = [:]
    /// The run the session writes under, once it wrote.
    @Nullable public var run: RunID?
    /// Unix seconds.
    @Nullable public var plannedAt: Int64?
}

/// A page of items.
public struct ReviewPage: Sendable, Encodable {
    public var offset: Int
    public var limit: Int
    /// Items matching the filter, on all pages.
    public var matching: Int
    public var counts: ReviewCounts
    public var items: [ReviewItem]
}
