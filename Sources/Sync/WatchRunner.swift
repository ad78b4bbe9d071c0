import Dispatch
public import Logging
import MatchEngine
import MediaStore
import MessageStore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How `audiosync watch` waits: what only it asks (the sync's own options are ``SyncOptions``).
public struct WatchOptions: Sendable {
    public var sync = SyncOptions()
    /// How often the database is asked for new message rows (the highest `core_mensagem.id`).
    public var pollInterval: Duration = .seconds(2)
    /// How long a written file must stay unchanged before it is synced.
    public var settle: Duration = .seconds(1)
    /// How long a file that matched nothing keeps a new message row a reason to sync again.
    public var waitForRow: Duration = .seconds(600)
    /// One batch, then return (for cron).
    public var once = false
    /// Install the PostgreSQL trigger that announces audio rows inserted or edited
    /// (``MessageStore/MessageDatabase/installRowTrigger()``) before watching. Without it, a trigger
    /// already there is listened to, and nothing is ever installed.
    public var installTrigger = false
    /// Keep each instance's last plan warm (``WarmInstance``) and plan what its content batches
    /// cannot link against it, rather than planning the instance again; and plan every instance
    /// once when idle after the start, so that the first arrival in each finds it warm.
    public var warm = true

    public init() {}
}

/// `audiosync watch`: links new downloads as they arrive. Files arriving under the media root
/// (inotify on Linux, else a poll of folder mtimes) make a batch as soon as one has settled, and
/// new message rows (a poll of the highest row id) make one while files wait for their rows; each
/// batch is one ``SyncRunner`` run — the same decisions, compare-and-swap writes and journal as
/// `audiosync sync`, one run per batch that writes. Files still arriving (not settled) are left
/// out of the batch and taken by a later one, so a steady stream of downloads never holds back
/// the files that are complete.
///
/// Before that, files whose bytes exactly one new row of their instance declares (its
/// `fileSha256`) are linked by their content (``ContentMatch``): the pair planned on its own with
/// the instance's calibration, written through the same compare-and-swap path; what that does not
/// link goes on to the batch.
///
/// A batch whose files are all in one instance syncs that client folder and instance (as `sync
/// --client --instance` would), not the whole store: a note costs a sync of its instance. The
/// first batch, a dropped-events overflow, files of several instances and files outside any
/// `Client/instance_ID/` folder sync the whole store (``BatchScope``).
///
/// A batch refused because another command holds the write lock (a manual sync) is owed and tried
/// again at the next poll; the process never fails for it. A stop request (SIGTERM) while writing
/// ends the batch as a sync ends (``SyncEndedAfterWriting``); while idle the command exits at once.
public struct WatchRunner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let profile: ProfileChoice
    public let options: WatchOptions
    /// The watch's own lines: pending files, links, the write lock.
    public let logger: Logger
    /// What each batch's sync logs (the scan, the plan): quieter by default than the watch's lines.
    public let syncLogger: Logger

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice, options: WatchOptions,
        logger: Logger, syncLogger: Logger
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.options = options
        self.logger = logger
        self.syncLogger = syncLogger
    }

    /// Watches until stopped (or, with ``WatchOptions/once``, runs one batch); `batchDone` is called
    /// after each batch.
    /// - Throws: what a sync throws, except the write lock held by another command, which is waited
    ///   for (with `once`, it is thrown: a one-shot command says it is busy).
    public func run(batchDone: @Sendable (WatchBatch) -> Void) async throws {
        var database = self.database
        if let stop = options.sync.stop { database.options.shouldStop = { stop.isRequested } }
        var sync = SyncRunner(
            database: database, media: media, profile: profile, options: options.sync, logger: syncLogger)
        // What the batches load, remembered for linking new notes by their content (not in a dry
        // run, which writes nothing, nor once, which is one ordinary batch).
        let contentMemory = options.sync.dryRun || options.once ? nil : ContentMemoryBox()
        if let contentMemory {
            let own = database.instance
            let logger = logger
            sync.observe = { inputs, plan, instance in
                // A run narrowed to one instance by the batch, not by the watch's own `--instance`.
                let id = instance.map(DatabaseLocation.instanceID)
                let narrowed = id == own ? nil : id
                // Counted before the batch is the writer: the content batches do not wait for it.
                let clock = ContinuousClock()
                let started = clock.now
                let counts = HandedOver(ContentMemory.counts(of: inputs.load, calibration: plan.calibration))
                let counted = clock.now
                let scanned = ChatFolderListings.listing(scanned: inputs.files.map { ($0.path, $0.size) })
                let listed = clock.now
                return { plan in
                    // An instance's batch is planned beside the content batches: what they linked
                    // meanwhile is not written again (``BatchWriteGate``); the rest is remembered.
                    let absorbing = clock.now
                    let withdrawn = contentMemory.memory.withLock { memory in
                        let withdrawn = memory.withdrawLinkedMeanwhile(from: &plan, instance: narrowed)
                        memory.absorb(inputs.load, plan: plan, instance: narrowed, counted: counts.take())
                        return withdrawn
                    }
                    logger.debug(
                        "remembered the batch's rows and files for linking by content",
                        metadata: [
                            "rows": "\(inputs.load.messages.count)", "files": "\(inputs.files.count)",
                            "count_s": "\((counted - started).seconds)",
                            "list_s": "\((listed - counted).seconds)",
                            "waited_s": "\((absorbing - listed).seconds)",
                            "absorb_s": "\((clock.now - absorbing).seconds)",
                        ])
                    if withdrawn > 0 {
                        logger.debug(
                            "linked by content while the instance's batch was planned: left out of its writes",
                            metadata: ["links": "\(withdrawn)"])
                    }
                    contentMemory.listings.withLock { $0.record(scanned) }
                }
            }
            if options.warm {
                sync.warmed = { warm, inputs in
                    let readThrough = inputs.load.messages.reduce(Int64.min) { max($0, $1.rowID) }
                    contentMemory.warm.withLock { states in
                        for instance in warm {
                            states[instance.instanceID] = WarmState(
                                instance: instance,
                                fingerprints: instance.loadPositions.map { inputs.load.fingerprints[$0] },
                                readThrough: readThrough)
                        }
                    }
                    // Links content batches wrote while it was planned: its load may not hold them.
                    for instance in warm { contentMemory.replayLinks(into: instance.instanceID) }
                    logger.debug("kept warm", metadata: ["instances": "\(warm.count)"])
                }
            }
            // The first batch starts from the last whole plan's base when it may (below).
            sync.restored = { memory in contentMemory.memory.withLock { $0 = memory } }
            // And when that plan leaves a base, what it observed is the base's memory.
            sync.observedMemory = { contentMemory.memory.withLock { $0.stored() } }
        }
        if options.installTrigger {
            try await database.withStore(logger: syncLogger) { store in try await store.installRowTrigger() }
        }
        if options.once {
            let batch = WatchBatch(number: 1, report: try await sync.run(), waitingForRow: 0)
            log(batch)
            batchDone(batch)
            return
        }
        try media.scanner(logger: syncLogger).checkRoot()
        WatchMemory.limitArenas()
        let root = media.root.hasSuffix("/") && media.root.count > 1 ? String(media.root.dropLast()) : media.root
        // Watch before the first batch: a file landing while it runs is then an event, not missed.
        let watch = try FolderWatch(root: root)
        try await database.withStore(logger: syncLogger) { store in
            let announcements = try await store.rowAnnouncements()
            logger.info(
                announcements == nil
                    ? "watching; new message rows by their highest id"
                    : "watching; audio rows as the database announces them")
            do {
                try await loop(
                    store: store, sync: sync, watch: watch, announcements: announcements, contentMemory: contentMemory,
                    batchDone: batchDone)
                await announcements?.close()
            } catch {
                await announcements?.close()
                throw error
            }
        }
    }

    private func loop(
        store: any MessageDatabase, sync: SyncRunner, watch: FolderWatch, announcements: RowAnnouncements?,
        contentMemory: ContentMemoryBox?, batchDone: @Sendable (WatchBatch) -> Void
    ) async throws {
        let clock = ContinuousClock()
        var sync = sync
        // With content batches, an instance's batch is planned in a task of its own while they go
        // on linking arrivals (``BatchWriteGate``).
        if contentMemory != nil { sync.gate = BatchWriteGate(store: store) }
        let contentBatch = ContentBatch(media: media, logger: logger, syncLogger: syncLogger)
        var flight: Flight?
        var arrivals = Arrivals(settle: options.settle)
        var highestRow = try await store.highestMessageRowID()
        var changes = try await store.changeCounter()
        // Where rows may commit below the highest id (PostgreSQL), the ids just below it.
        let rowScope = sync.database.messageScope
        var recentIDs = try await store.messageRowIDs(scope: rowScope, in: RecentRowIDs.range(below: highestRow)).map {
            RecentRowIDs(highest: highestRow, ids: $0)
        }
        var nextPoll = clock.now + options.pollInterval
        // Files that matched nothing, by relative path, with when they arrived.
        var waiting: [String: ContinuousClock.Instant] = [:]
        // The highest row id each waiting file's last batch could have read: a row after it is news
        // to the file.
        var waitingAfter: [String: Int64] = [:]
        // Arrivals a batch sent to review (unsure between rows): planned again, as waiting files
        // are, when a row of their chat comes or is linked, which may settle what they were unsure
        // of. Their last batch's mark is in `waitingAfter` too.
        var unsure: [String: ContinuousClock.Instant] = [:]
        // With content batches: new rows read while files wait, kept until a content batch has had
        // the time to link them with their own arrivals, then asked whether one may be a waiting
        // file's (``ContentMemory/mayBeRow(_:ofFileAt:allowCrossChat:)``). Only those files' instances
        // are owed a batch: any new row owing every waiting file's instance one made a steady
        // stream of arrivals, beside one file no row will name, a plan of its instance at every
        // poll (p50 20.6 s from arrival to link on the 300,000-file store, five such files among
        // 200 arrivals).
        var rowsArrived = false
        var recentRows: [(row: ContentMemory.ArrivedRow, read: ContinuousClock.Instant)] = []
        // Inserts committed with, perhaps, an edit among them (SQLite's change counter cannot tell):
        // since when, for a later look.
        var editsUnseenSince: ContinuousClock.Instant?
        // Whether the last poll found new rows: they may have been committed after its counter read.
        var grewAfterCounter = false
        // The files of the batch to come, relative to the root.
        var batchFiles: Set<String> = []
        var owed = true  // the first batch catches up with what arrived while nothing watched
        // Whether that first batch has run. With content batches it reuses the last whole plan (a
        // cron sync's, or the last watch's) when nothing but additions came since: it restores that
        // plan's memory (``SyncRunner/restored``) instead of planning the store again, which at a
        // million rows took 17.6-19.8 s and 1.4-1.5 GiB before the watch linked anything.
        var caughtUp = false
        // Instances owed a batch without a new file in them: files waiting for their rows.
        var owedScopes: Set<BatchScope> = []
        var lockedBy: String?
        // What the write lock refused, tried again at the next poll.
        var refusedWhole = false
        var refusedScopes: Set<BatchScope> = []
        var announcedOpen: Set<String> = []
        // Instances whose rows may have changed below what their warm plans read (an edit, a row
        // committed late): their next batch reads their rows again and plans them whole if one
        // changed, which keeps them warm again.
        var coldScopes: Set<BatchScope> = []
        // Instances whose warm plan refused: planned whole, and not planned warm again until then
        // (while another instance's batch is in flight, each pass tried again, and was refused again).
        var refusedWarm: Set<BatchScope> = []
        // With warm plans: the instances to plan once when idle, listed after the first batch.
        var warmingQueue: [BatchScope]?
        var announcedWarm = false
        var lastEvent = clock.now - .seconds(1)
        var number = 0
        // Rows our own batches wrote: their announcements are not news.
        var ownWrites: Set<Int64> = []
        let prefix = watch.root + "/"
        func relative(_ path: String) -> String {
            path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        }
        let rowHold = options.settle * 2 + options.pollInterval
        let allowCrossChat = sync.profile.profile.allowCrossChat
        // What an ordinary batch that ran leaves: `files` are those it was for, `now` when it began,
        // `readThrough` the highest row id polled then (it read every row up to there, at least).
        func ended(
            _ report: SyncReport, synced: BatchScope?, files: Set<String>, at now: ContinuousClock.Instant,
            readThrough: Int64, linkedMeanwhile: Set<String> = [], fromLastPlan: Bool = false, byWarmPlan: Bool = false
        ) {
            if let holder = lockedBy {
                logger.info("write lock free again", metadata: ["holder": "\(holder)"])
                lockedBy = nil
            }
            number += 1
            if announcements != nil { ownWrites.formUnion(report.applied.map(\.messageRowID)) }
            // What it linked holds those rows in the warm plans (a warm batch has said so itself): a
            // later warm plan leaves them to their files, and a read of the rows again finds them
            // linked to the files recorded, no change.
            if !byWarmPlan, let contentMemory, options.warm {
                contentMemory.linkedInWarm(
                    report.applied.compactMap { change in
                        guard case .link(let path, _) = change.action else { return nil }
                        return ContentMatch.Pair(file: normalisedLocalPath(path), rowID: change.messageRowID)
                    })
            }
            let matched = Set(report.plan.links.flatMap { [$0.file] + $0.duplicates })
                .union(report.plan.reviews.map(\.file))
            // A file a content batch linked while the batch was planned waits for nothing.
            for file in files where !matched.contains(file) && !linkedMeanwhile.contains(file) {
                waiting[file] = waiting[file] ?? now
            }
            for file in matched {
                waiting[file] = nil
                waitingAfter[file] = nil
            }
            let reviewed = Set(report.plan.reviews.map(\.file))
            for file in files where reviewed.contains(file) { unsure[file] = unsure[file] ?? now }
            unsure = unsure.filter { file, _ in
                reviewed.contains(file) || (synced != nil && BatchScope(file) != synced)
            }
            // The batch read every row up to the last poll's highest, at least, for the files
            // of its scope.
            for file in Array(waiting.keys) + unsure.keys where synced == nil || BatchScope(file) == synced {
                waitingAfter[file] = readThrough
            }
            batchFiles.subtract(files)
            for (file, since) in waiting where now - since > options.waitForRow {
                logger.info(
                    "no message row came for the file; no longer waiting", metadata: ["file": "\(file)"])
                waiting[file] = nil
                waitingAfter[file] = nil
            }
            for (file, since) in unsure where now - since > options.waitForRow {
                unsure[file] = nil
                if waiting[file] == nil { waitingAfter[file] = nil }
            }
            for file in waitingAfter.keys where waiting[file] == nil && unsure[file] == nil {
                waitingAfter[file] = nil
            }
            if waiting.isEmpty && unsure.isEmpty { recentRows.removeAll() }
            var batch = WatchBatch(number: number, report: report, waitingForRow: waiting.count, scope: synced)
            batch.fromLastPlan = fromLastPlan
            batch.byWarmPlan = byWarmPlan
            self.report(batch, batchDone)
        }
        func refused(by holder: String) {
            if lockedBy != holder {
                logger.info("waiting for the write lock", metadata: ["holder": "\(holder)"])
                lockedBy = holder
            }
        }
        // Takes the instance's batch in flight (it lets go of it: its task holds its report) and its
        // outcome, as an ordinary batch's.
        func land(_ inFlight: inout Flight?) async throws {
            guard let flight = inFlight else { return }
            inFlight = nil
            if flight.warming {
                do {
                    _ = try await flight.task.value
                    logger.debug("planned to keep warm", metadata: ["instance": "\(flight.scope.instanceID)"])
                } catch {
                    logger.debug(
                        "could not plan the instance to keep it warm",
                        metadata: ["instance": "\(flight.scope.instanceID)", "error": "\(error)"])
                }
                return
            }
            contentMemory?.memory.withLock { $0.endFlight() }
            contentMemory?.listings.withLock { $0.endFlight() }
            do {
                let report: SyncReport
                switch try await flight.task.value {
                case .rowsUnchanged(let taken):
                    // Its files, and those of the instance waiting or unsure, are planned against its
                    // warm plan next: they are still the batch's.
                    logger.debug(
                        "rows of the instance read again: none changed below what its warm plan read",
                        metadata: ["instance": "\(flight.scope.instanceID)", "rows_taken": "\(taken)"])
                    owedScopes.insert(flight.scope)
                    return
                case .planned(let planned, let changed):
                    if let changed {
                        logger.debug(
                            "rows of the instance read again: changed; planned whole",
                            metadata: ["instance": "\(flight.scope.instanceID)", "what": "\(changed)"])
                    }
                    report = planned
                }
                // Its files content batches linked while it was planned are in the memory as linked.
                let linkedMeanwhile = contentMemory?.memory.withLock { memory in flight.files.filter(memory.isPlanned) }
                ended(
                    report, synced: flight.scope, files: flight.files, at: flight.started,
                    readThrough: flight.readThrough, linkedMeanwhile: linkedMeanwhile ?? [])
                // It wrote through a connection of its own, which SQLite's change counter on the
                // watch's connection reports as another's commit: taken for an edit, that planned
                // the waiting files' instances again at once after every instance's batch that
                // linked a note (4-8 s each, linking nothing, on a million-row store). Its commit is
                // the watch's own: the counter is read again now, and an edit another connection
                // may have committed meanwhile is looked for a minute later, as beside new rows.
                if !report.applied.isEmpty, changes != nil {
                    changes = try await store.changeCounter()
                    if !waiting.isEmpty { editsUnseenSince = editsUnseenSince ?? clock.now }
                    logger.debug("the instance's batch wrote through its own connection: the change counter read again")
                }
            } catch MessageStoreError.syncLocked(_, let holder) {
                refusedScopes.insert(flight.scope)
                refused(by: holder)
            } catch MessageStoreError.unknownClient, MessageStoreError.ambiguousClient, MessageStoreError
                .unknownInstance
            {
                // A scope the database does not know as one client and instance (an instance folder
                // made before its row): synced whole, as an ordinary batch of it is.
                logger.debug(
                    "the folder names no one client and instance; syncing the whole store",
                    metadata: ["client": "\(flight.scope.client)", "instance": "\(flight.scope.instance)"])
                owed = true
            }
        }
        do {
            while !(options.sync.stop?.isRequested ?? false) {
                if flight?.hasEnded == true {
                    try await land(&flight)
                    // After its task, which holds its report, is gone.
                    WatchMemory.returnFreed()
                }
                let now = clock.now
                arrivals.refresh(now: now)
                // Files of the instances a pass left for the next (not while another writer holds the
                // lock: the poll retries then, as for a refused batch). New rows read a while ago, to be
                // asked about once a content batch has had the time to link them with their own files.
                let rowsAged = recentRows.first.map { now - $0.read >= rowHold } ?? false
                // While an instance's batch is planned, only what content batches may link is due.
                let due =
                    (flight == nil && (owed || !owedScopes.isEmpty || (!batchFiles.isEmpty && lockedBy == nil)))
                    || arrivals.anySettled(now: now) || (rowsArrived && !(waiting.isEmpty && unsure.isEmpty))
                    || rowsAged
                // A short quiet since the last file event, too: a file that came and went (a temporary
                // name renamed into place) leaves nothing pending, and the rename's events may come in
                // the next read. Short, so that a steady stream of arrivals does not hold batches back.
                let quiet = min(options.settle, Self.quietAfterEvents) - (now - lastEvent)
                if due && quiet <= .zero {
                    let taken = arrivals.takeSettled(now: now)
                    announcedOpen.subtract(taken)
                    batchFiles.formUnion(taken.map(relative))
                    // What has not settled is left out, counted, and taken by a later batch.
                    let batchSync = sync.leavingOut(Set(arrivals.unsettled.map(relative)))
                    // First what the files' bytes link alone; files waiting for their rows too, when rows came.
                    if let contentMemory, !owed {
                        let tried =
                            owedScopes.isEmpty && !rowsArrived && !rowsAged
                            ? batchFiles : batchFiles.union(waiting.keys)
                        rowsArrived = false
                        var linkedRows: Set<Int64> = []
                        defer {
                            // The rows it read, while files wait. Rows read a while before it that it did
                            // not link either are news to the waiting files they may belong to. Aged by
                            // content batches, not by the clock alone: an instance's batch that held the
                            // loop for seconds gave no content batch the chance to link them. A row it
                            // linked is no news: taken by its own file, it is no waiting file's row, and,
                            // newer than the file's last plan, it was no rival there either, and a plan of
                            // the instance for it could only find what the last one found.
                            let read = contentMemory.memory.withLock { $0.takeArrived() }
                            recentRows.removeAll { linkedRows.contains($0.row.rowID) }
                            let aged = recentRows.filter { now - $0.read >= rowHold }.map(\.row)
                            recentRows.removeAll { now - $0.read >= rowHold }
                            if !aged.isEmpty && !(waiting.isEmpty && unsure.isEmpty) {
                                // An instance's batch in flight reads every row up to its mark too.
                                func readBy(_ file: String) -> Int64 {
                                    let inFlight = flight.map { BatchScope(file) == $0.scope ? $0.readThrough : .min }
                                    return max(waitingAfter[file] ?? .min, inFlight ?? .min)
                                }
                                let news = contentMemory.memory.withLock { memory in
                                    (Array(waiting.keys) + unsure.keys).compactMap { file in
                                        aged.first {
                                            $0.rowID > readBy(file)
                                                && memory.mayBeRow($0, ofFileAt: file, allowCrossChat: allowCrossChat)
                                        }.map { (file: file, row: $0.rowID) }
                                    }
                                }
                                logger.debug(
                                    "new rows read a while ago asked whether they are waiting files' rows",
                                    metadata: ["rows": "\(aged.count)", "news": "\(news.count)"])
                                for (file, row) in news {
                                    logger.debug(
                                        "a new row may be the row a file waits for, or its rival: its instance is owed a batch",
                                        metadata: ["file": "\(file)", "message_id": "\(row)"])
                                }
                                owe(
                                    news.map(\.file), whole: &owed, scopes: &owedScopes,
                                    because: "a new row may be theirs")
                            }
                            if !(waiting.isEmpty && unsure.isEmpty) {
                                recentRows += read.filter { !linkedRows.contains($0.rowID) }.map { ($0, clock.now) }
                            }
                        }
                        do {
                            if var run = try await contentBatch.run(
                                tried, store: store, sync: batchSync, memory: contentMemory),
                                !run.report.applied.isEmpty
                            {
                                linkedRows = Set(run.report.applied.map(\.messageRowID))
                                // What has not settled waits for a later batch, as an ordinary batch says.
                                let unsettled = arrivals.unsettled.count
                                if unsettled > 0 {
                                    run.report.scan.skipped[SkipReason.stillArriving.rawValue] = unsettled
                                }
                                number += 1
                                if announcements != nil { ownWrites.formUnion(run.report.applied.map(\.messageRowID)) }
                                batchFiles.subtract(run.linked)
                                for file in run.linked {
                                    waiting[file] = nil
                                    unsure[file] = nil
                                    waitingAfter[file] = nil
                                }
                                let batch = WatchBatch(
                                    number: number, report: run.report, waitingForRow: waiting.count, scope: run.scope,
                                    byContent: true, linkedByName: run.linkedByName)
                                report(batch, batchDone)
                            }
                        } catch MessageStoreError.syncLocked {
                            // Another writer: the ordinary batch below waits for the lock and says so.
                        } catch let error as SyncEndedAfterWriting {
                            throw error  // stopped while writing: as an ordinary batch ends
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            logger.warning(
                                "linking by content failed; the files go to an ordinary batch",
                                metadata: ["error": "\(error)"])
                        }
                        // A file an instance's batch planned a link for after it arrived, but before the
                        // watch took it (the batch's scan found it), needs no batch of its own: at 20
                        // arrivals a second, every instance's batch left a few such files, and each
                        // made another batch of the instance (3 s on the 300,000-file store).
                        let named = contentMemory.memory.withLock { memory in batchFiles.filter(memory.isPlanned) }
                        if !named.isEmpty {
                            logger.debug(
                                "already linked by an earlier batch: no batch for them",
                                metadata: ["files": "\(named.count)"])
                            batchFiles.subtract(named)
                        }
                        // An instance owed a batch only for files that are now linked owes nothing.
                        let left = Set((batchFiles.union(waiting.keys).union(unsure.keys)).compactMap(BatchScope.init))
                        owedScopes = owedScopes.filter { left.contains($0) }
                        if batchFiles.isEmpty && owedScopes.isEmpty {
                            WatchMemory.returnFreed()
                            continue
                        }
                    }
                    // While an instance's batch is planned (or an instance only to keep it warm), the
                    // next batch waits for it to end, unless a warm plan of another instance takes it:
                    // like a content batch, it writes as the gate's writer, and what it links is
                    // withdrawn from the plan in flight (``ContentMemory/linked(_:)``).
                    // Every file the batch is for: those a refused batch left, too. A watch given
                    // `--instance` is that instance's already.
                    let scope =
                        owed || sync.database.instance != nil ? nil : BatchScope.first(of: batchFiles, owed: owedScopes)
                    // Files of other instances wait for the next pass, after a content batch has taken
                    // what arrived meanwhile.
                    let scoped = scope.map { scope in batchFiles.filter { BatchScope($0) == scope } } ?? batchFiles
                    owed = false
                    if let scope { owedScopes.remove(scope) } else { owedScopes.removeAll() }
                    // A whole batch plans every instance, and keeps each warm again.
                    if scope == nil {
                        coldScopes.removeAll()
                        refusedWarm.removeAll()
                    }
                    // Every row it reads was committed before it began: those the polls read, and those
                    // content batches read, which may be more when a batch came due before the poll did
                    // (a loaded machine wakes late, with both due). Below that, a row is no news to the
                    // files it leaves waiting: with the polls' mark alone, a second row that declared a
                    // forwarded note's bytes aged into news and planned the instance again.
                    let readThrough = max(highestRow, contentMemory?.memory.withLock { $0.readThrough } ?? .min)
                    // Against the instance's warm plan, when one is kept: the files of the batch and
                    // those of the instance waiting for their rows or unsure. Not where its rows may
                    // have changed below what the plan read: its batch reads them again first (below).
                    let wasCold = scope.map { coldScopes.remove($0) != nil } ?? false
                    if let scope, !wasCold, let contentMemory, options.warm, flight?.scope != scope,
                        !refusedWarm.contains(scope)
                    {
                        let pending = scoped.union(
                            (Array(waiting.keys) + unsure.keys).filter { BatchScope($0) == scope })
                        do {
                            switch try await contentBatch.runWarm(
                                pending, scope: scope, store: store, sync: batchSync, memory: contentMemory)
                            {
                            case .cold:
                                break
                            case .refused(let why):
                                logger.debug(
                                    "the warm plan cannot stand in for the instance's",
                                    metadata: ["instance": "\(scope.instanceID)", "why": "\(why)"])
                                refusedWarm.insert(scope)
                            case .planned(var run):
                                // What has not settled waits for a later batch, as an ordinary batch says.
                                let unsettled = arrivals.unsettled.count
                                if unsettled > 0 {
                                    run.report.scan.skipped[SkipReason.stillArriving.rawValue] = unsettled
                                }
                                ended(
                                    run.report, synced: scope, files: scoped, at: now, readThrough: readThrough,
                                    byWarmPlan: true)
                                WatchMemory.returnFreed()
                                continue
                            }
                        } catch MessageStoreError.syncLocked {
                            // Another writer: the instance's batch below waits for the lock and says so.
                        } catch let error as SyncEndedAfterWriting {
                            throw error
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            logger.warning(
                                "the warm plan failed; the instance is planned whole",
                                metadata: ["error": "\(error)"])
                        }
                    }
                    // Planned whole, after the instance's batch in flight: still owed.
                    if flight != nil {
                        if let scope { owedScopes.insert(scope) } else { owed = true }
                        if let scope, wasCold { coldScopes.insert(scope) }
                        continue
                    }
                    // With content batches, planned in a task of its own: the loop goes on linking
                    // arrivals by their content meanwhile, and takes the batch's outcome when it ends.
                    if let scope, let contentMemory {
                        contentMemory.memory.withLock { $0.beginFlight(instance: scope.instanceID) }
                        contentMemory.listings.withLock { $0.beginFlight() }
                        // Where its rows may have changed below what its warm plan read, they are read
                        // again first, and the instance is planned whole only if one did change.
                        refusedWarm.remove(scope)
                        let checking = wasCold && options.warm
                        if checking {
                            logger.debug(
                                "rows of the instance may have changed below what its warm plan read: read again",
                                metadata: ["instance": "\(scope.instanceID)"])
                        }
                        flight = Flight.start(
                            batchSync.narrowed(toClient: scope.client, instance: scope.instance), scope: scope,
                            files: scoped, at: now, readThrough: readThrough,
                            checkingRows: checking ? (contentBatch, contentMemory) : nil, logger: syncLogger)
                        continue
                    }
                    do {
                        let first = scope == nil && !caughtUp && contentMemory != nil
                        let (report, synced) = try await Self.run(
                            first ? batchSync.reusingTheLastWholePlan() : batchSync, scope: scope, store: store,
                            logger: logger)
                        if scope == nil { caughtUp = true }
                        let fromLastPlan = first && (report.unchangedSince != nil || report.additionsSince != nil)
                        if fromLastPlan {
                            logger.info(
                                "started from the last whole plan",
                                metadata: [
                                    "since":
                                        "\(report.unchangedSince?.recordedAt ?? report.additionsSince?.recordedAt ?? "")",
                                    "additions": "\(report.additionsSince?.files ?? 0)",
                                ])
                        }
                        ended(
                            report, synced: synced, files: synced == nil ? batchFiles : scoped, at: now,
                            readThrough: readThrough, fromLastPlan: fromLastPlan)
                    } catch MessageStoreError.syncLocked(_, let holder) {
                        // Another writer (a manual sync): the batch stays owed and is tried at the next poll.
                        if let scope { refusedScopes.insert(scope) } else { refusedWhole = true }
                        refused(by: holder)
                        continue
                    }
                    WatchMemory.returnFreed()
                    continue
                }
                for path in arrivals.heldOpen(now: now) where !announcedOpen.contains(path) {
                    announcedOpen.insert(path)
                    logger.info(
                        "still open for writing; batches leave it out until it closes",
                        metadata: ["file": "\(path.dropFirst(prefix.count))"])
                }
                // Idle: plan the next instance not yet warm, so its first arrival finds it warm.
                if options.warm, caughtUp, flight == nil, let contentMemory {
                    if warmingQueue == nil { warmingQueue = BatchScope.all(under: watch.root) }
                    let warm = contentMemory.warm.withLock { Set($0.keys) }
                    warmingQueue?.removeAll { warm.contains($0.instanceID) }
                    if let next = warmingQueue?.first {
                        warmingQueue?.removeFirst()
                        var started = Flight.start(
                            sync.warming().narrowed(toClient: next.client, instance: next.instance), scope: next,
                            files: [], at: now, readThrough: highestRow, logger: syncLogger)
                        started.warming = true
                        flight = started
                        continue
                    } else if !announcedWarm {
                        announcedWarm = true
                        logger.info("every instance is warm", metadata: ["instances": "\(warm.count)"])
                    }
                }
                var timeout = max(.zero, nextPoll - now)
                if let oldest = recentRows.first?.read { timeout = min(timeout, max(.zero, oldest + rowHold - now)) }
                if due { timeout = min(timeout, max(quiet, .milliseconds(10))) }
                // Its end is looked for as often: it makes no file event.
                if flight != nil { timeout = min(timeout, Self.flightLook) }
                if let settles = arrivals.nextSettle(now: now) {
                    timeout = min(timeout, max(settles, .milliseconds(10)))
                }
                if !arrivals.isEmpty { timeout = min(timeout, options.settle) }
                let events = try await Self.events(from: watch, timeout: max(timeout, .milliseconds(1)))
                let after = clock.now
                if !events.isEmpty { lastEvent = after }
                for event in events {
                    switch event {
                    case .writing(let path), .written(let path):
                        let open = if case .writing = event { true } else { false }
                        // The file makes a batch once it has settled (a partial-download name never does).
                        if arrivals.note(path, open: open, now: after) {
                            logger.info("pending", metadata: ["file": "\(path.dropFirst(prefix.count))"])
                        }
                    case .removed(let path):
                        arrivals.remove(path)
                        logger.debug("removed", metadata: ["file": "\(path.dropFirst(prefix.count))"])
                    case .overflow:
                        logger.warning("the system dropped file events (queue overflow): syncing everything")
                        owed = true
                        // What the content batches knew of the chat folders may have missed files.
                        contentMemory?.listings.withLock { $0.forget() }
                    }
                }
                if after >= nextPoll {
                    nextPoll = after + options.pollInterval
                    // The change counter before the highest id: a commit of new rows between the two
                    // reads shows as new rows now and as a changed counter at the next poll, where
                    // ``grewAfterCounter`` tells it from an edit.
                    let counterNow = changes == nil ? nil : try await store.changeCounter()
                    let highest = try await store.highestMessageRowID()
                    let readBefore = highestRow
                    let grew = highest > highestRow
                    if grew {
                        logger.debug("new message rows", metadata: ["highest_id": "\(highest)"])
                        highestRow = highest
                        // With content batches, the new rows are read by one and asked about (above).
                        if contentMemory == nil {
                            owe(
                                waiting.keys, whole: &owed, scopes: &owedScopes,
                                because: "new rows (no content batches)")
                        } else {
                            rowsArrived = true
                        }
                    }
                    // Another connection committed (SQLite): perhaps an edit the highest id does not show.
                    // With new rows in the same poll it is most likely their insert, and with an
                    // instance's batch in flight perhaps its own write (its connection is another; it
                    // may commit before it lands): an edit among them is looked for `editLookAfter`
                    // later (at every pause of a stream, a plan of each waiting file's instance again).
                    if let counter = changes, let now = counterNow, now != counter {
                        changes = now
                        if (grew || grewAfterCounter || flight != nil) && contentMemory != nil {
                            if !waiting.isEmpty { editsUnseenSince = editsUnseenSince ?? after }
                        } else {
                            coldScopes.formUnion(
                                owe(
                                    waiting.keys, whole: &owed, scopes: &owedScopes,
                                    because: "another connection committed"))
                            editsUnseenSince = nil
                        }
                    }
                    grewAfterCounter = grew
                    // A row committed after a row of a higher id was read (PostgreSQL: two CRM workers
                    // saving at once): the highest id never shows it. A count of the ids just below the
                    // highest tells, and only then are the ids read. Like an announced row, it is a
                    // reason to plan again the instances of the files waiting for their rows.
                    if var window = recentIDs {
                        var newRows: [Int64] = []
                        // Only those the window keeps: an import of a million rows is not read twice.
                        if grew,
                            let new = try await store.messageRowIDs(
                                scope: rowScope,
                                in: max(readBefore + 1, RecentRowIDs.range(below: highest).lowerBound)...highest)
                        {
                            window.grew(to: highest, ids: new)
                            newRows = new
                        }
                        var late: [Int64] = []
                        if let count = try await store.messageRowCount(scope: rowScope, in: window.range),
                            count != window.count,
                            let current = try await store.messageRowIDs(scope: rowScope, in: window.range)
                        {
                            late = window.late(among: current)
                        }
                        // A row new to the poll is late to the content batches too where one read past it
                        // before it committed; one it read, or one above what it read, is not. The next
                        // content batch reads the late ones, as rows that came.
                        if let contentMemory {
                            late = contentMemory.memory.withLock { $0.noteLate(late + newRows) }
                        }
                        if !late.isEmpty {
                            logger.debug(
                                "rows committed after a row of a higher id",
                                metadata: ["rows": "\(late.count)", "first": "\(late[0])"])
                            coldScopes.formUnion(
                                owe(
                                    waiting.keys, whole: &owed, scopes: &owedScopes,
                                    because: "rows committed after a higher id"))
                        }
                        recentIDs = window
                    }
                    if let since = editsUnseenSince, after - since >= Self.editLookAfter {
                        coldScopes.formUnion(
                            owe(
                                waiting.keys, whole: &owed, scopes: &owedScopes,
                                because: "a commit of new rows a minute ago may have held an edit"))
                        editsUnseenSince = nil
                    }
                    // Rows inserted or edited that the highest id does not show (an edit, a row made an
                    // audio row): a reason to sync again while files wait for their rows. A new row is
                    // asked about as above, with content batches.
                    if let announced = announcements?.take(), !announced.isEmpty {
                        let news = announced.filter { ownWrites.remove($0) == nil }
                        if !news.isEmpty {
                            logger.debug("audio rows announced", metadata: ["rows": "\(news.count)"])
                            if contentMemory != nil && news.allSatisfy({ $0 > readBefore }) {
                                rowsArrived = true
                            } else {
                                coldScopes.formUnion(
                                    owe(waiting.keys, whole: &owed, scopes: &owedScopes, because: "rows announced"))
                            }
                        }
                    }
                    // A batch refused by the write lock is tried again at each poll.
                    if refusedWhole { owed = true }
                    owedScopes.formUnion(refusedScopes)
                    refusedWhole = false
                    refusedScopes.removeAll()
                }
            }
            // Stopped: the instance's batch in flight ends as it would (refused its writes when it
            // had not begun them), and what it wrote is said.
            do { try await land(&flight) } catch is CancellationError {}
        } catch {
            // Not a batch of a watch that has ended: it is given up before it writes.
            if let current = flight {
                current.task.cancel()
                _ = await current.task.result
            }
            throw error
        }
    }

    /// How often the end of an instance's batch planned beside the content batches is looked for.
    static let flightLook: Duration = .milliseconds(20)

    /// How long no file event must come before a batch starts: the events of one rename come in
    /// one read of the queue, so a few milliseconds suffice, and anything near the time between
    /// arrivals (50 ms at 20 a second) held every batch back until the stream paused.
    static let quietAfterEvents: Duration = .milliseconds(10)

    /// How long after a commit of new rows the files waiting for their rows are planned again, for an
    /// edit it may have held (SQLite's change counter says that another connection committed, not
    /// what): at most one such batch of each waiting file's instance a minute.
    static let editLookAfter: Duration = .seconds(60)

    /// One run of a batch, and the scope it ran with: `sync` narrowed to `scope`, or the whole of it
    /// for `nil`. A scope the database does not know as one client and instance (a folder named after
    /// no client or after two, an instance folder made before its row) is synced whole, as it would
    /// be without the narrowing, and reported as `nil`.
    private static func run(_ sync: SyncRunner, scope: BatchScope?, store: any MessageDatabase, logger: Logger)
        async throws -> (SyncReport, BatchScope?)
    {
        guard let scope else { return (try await sync.run(store: store, progress: nil), nil) }
        do {
            let report = try await sync.narrowed(toClient: scope.client, instance: scope.instance).run(
                store: store, progress: nil)
            return (report, scope)
        } catch MessageStoreError.unknownClient, MessageStoreError.ambiguousClient, MessageStoreError.unknownInstance {
            logger.debug(
                "the folder names no one client and instance; syncing the whole store",
                metadata: ["client": "\(scope.client)", "instance": "\(scope.instance)"])
            return (try await sync.run(store: store, progress: nil), nil)
        }
    }

    /// Owes the instances of `waiting` files a batch (the whole store, for a file outside any); returns
    /// those instances.
    @discardableResult
    private func owe(
        _ waiting: some Collection<String>, whole: inout Bool, scopes: inout Set<BatchScope>, because reason: String
    ) -> Set<BatchScope> {
        if !waiting.isEmpty {
            logger.debug(
                "files waiting for their rows are owed a batch",
                metadata: ["files": "\(waiting.count)", "because": "\(reason)"])
        }
        var owed: Set<BatchScope> = []
        for file in waiting {
            if let scope = BatchScope(file) { owed.insert(scope) } else { whole = true }
        }
        scopes.formUnion(owed)
        return owed
    }

    /// Waits for file events on a thread of its own: the wait blocks, and must not hold one of the
    /// few threads that async tasks share.
    private static func events(from watch: FolderWatch, timeout: Duration) async throws -> [FolderEvent] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try watch.next(timeout: timeout) })
            }
        }
    }

    /// Says what a batch wrote: its lines, then `batchDone`. A stop asked meanwhile ends the
    /// process only after both, so the journal and the batch's report agree: a signal between them
    /// lost the JSON line of a batch whose rows were written. (Not counted as writing: the stop is
    /// still the one of an idle watch.)
    private func report(_ batch: WatchBatch, _ batchDone: @Sendable (WatchBatch) -> Void) {
        guard let stop = options.sync.stop else {
            log(batch)
            batchDone(batch)
            return
        }
        stop.whileReporting {
            log(batch)
            batchDone(batch)
        }
    }

    /// One structured line per link written.
    private func log(_ batch: WatchBatch) {
        let run = batch.report.run.map { "\($0.rawValue)" } ?? "-"
        for link in batch.linked {
            logger.info(
                "linked", metadata: ["file": "\(link.file)", "message_id": "\(link.messageID)", "run": "\(run)"])
        }
    }
}

/// An instance's batch planned in a task of its own while the watch's content batches go on
/// (``BatchWriteGate``), with what its end needs.
struct Flight: Sendable {
    /// What its task came to.
    enum End: Sendable {
        /// The instance's batch ran; `rowsChanged` says what changed when its rows were read again first.
        case planned(SyncReport, rowsChanged: String?)
        /// Its rows, read again first, were those its warm plan read (`taken` rows it had not seen
        /// were taken as new): no batch ran, and its files are planned against the warm plan.
        case rowsUnchanged(taken: Int)
    }

    var task: Task<End, any Error>
    var scope: BatchScope
    /// The files it was for, relative to the media root.
    var files: Set<String>
    var started: ContinuousClock.Instant
    /// The highest row id polled when it began.
    var readThrough: Int64
    /// Whether it only plans the instance to keep it warm (``SyncRunner/warming()``): no batch.
    var warming = false
    fileprivate let endState: EndState

    /// Whether its task has ended (its outcome is then taken without waiting).
    var hasEnded: Bool { endState.hasEnded }

    /// Set by the task as it ends.
    fileprivate final class EndState: Sendable {
        private let ended = Mutex(false)
        var hasEnded: Bool { ended.withLock { $0 } }
        func markEnded() { ended.withLock { $0 = true } }
    }

    /// Starts `sync` (an instance's) on a connection of its own: a load holds its connection for
    /// most of a second, and the content batches and the polls use the watch's.
    ///
    /// With `checkingRows`, the instance's rows are read first and compared with its warm plan's
    /// (``ContentBatch/checkWarmRows(scope:store:sync:memory:)``): the batch runs only if one changed.
    /// Read here, on the flight's connection, arrivals of other instances are linked meanwhile: read
    /// in the watch's loop (0.6-1.2 s an instance at a million rows, beside the arrivals), the reads
    /// of a minute's look held every arrival behind them.
    static func start(
        _ sync: SyncRunner, scope: BatchScope, files: Set<String>, at started: ContinuousClock.Instant,
        readThrough: Int64, checkingRows: (batch: ContentBatch, memory: ContentMemoryBox)? = nil, logger: Logger
    ) -> Flight {
        let endState = EndState()
        let task = Task {
            defer { endState.markEnded() }
            return try await sync.database.withStore(logger: logger) { store -> End in
                var changed: String?
                if let checkingRows {
                    switch try await checkingRows.batch.checkWarmRows(
                        scope: scope, store: store, sync: sync, memory: checkingRows.memory)
                    {
                    case .unchanged(let taken): return .rowsUnchanged(taken: taken)
                    case .changed(let what): changed = what
                    case .cold: break
                    }
                }
                return .planned(try await sync.run(store: store, progress: nil), rowsChanged: changed)
            }
        }
        return Flight(
            task: task, scope: scope, files: files, started: started, readThrough: readThrough, endState: endState)
    }

}

/// The part of the store one run of a watch batch syncs: a client folder and an instance folder,
/// read from the path of a file under them (`Client/instance_ID/chats/…`).
public struct BatchScope: Sendable, Hashable, Encodable {
    /// The client folder, as named under the media root.
    public var client: String
    /// The instance folder, `instance_<id>`.
    public var instance: String

    /// The instance's id, its folder's name without `instance_`.
    var instanceID: String { DatabaseLocation.instanceID(instance) }

    /// The scope of a file's path relative to the media root; `nil` outside any instance folder.
    init?(_ relativePath: String) {
        guard
            let (client, instance) = Self.folders(
                of: relativePath,
                { bytes, client, instance in (Self.string(bytes, client), Self.string(bytes, instance)) })
        else { return nil }
        self.client = client
        self.instance = instance
    }

    /// The instance id of a path `Client/instance_ID/…` (``instanceID`` of its scope), without
    /// making the client folder's name.
    static func instanceID(ofPath path: String) -> String? {
        folders(of: path) { bytes, _, instance in
            string(bytes, (instance.lowerBound + instancePrefix.count)..<instance.upperBound)
        }
    }

    private static let instancePrefix = Array("instance_".utf8)

    /// Where a path's client folder and instance folder are among its UTF-8 bytes, given to `make`;
    /// `nil` unless the path is `Client/instance_ID/…` with a client and an id. Read from the bytes:
    /// counting a load asks it of every path a row names and a plan links (600,000 at a million
    /// rows), and splitting each path into strings was a sixth of that count.
    private static func folders<Folders>(
        of path: String, _ make: (UnsafeBufferPointer<UInt8>, Range<Int>, Range<Int>) -> Folders
    ) -> Folders? {
        var path = path
        return path.withUTF8 { bytes -> Folders? in
            let slash = UInt8(ascii: "/")
            guard let clientEnd = bytes.firstIndex(of: slash), clientEnd > 0 else { return nil }
            let start = clientEnd + 1
            guard let end = bytes[start...].firstIndex(of: slash), end - start > instancePrefix.count,
                bytes[start..<(start + instancePrefix.count)].elementsEqual(instancePrefix)
            else { return nil }
            return make(bytes, 0..<clientEnd, start..<end)
        }
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The instance a batch syncs now, of those its files and what else is owed are in (the first by
    /// name: the others come next, one a pass); `nil` when a file is outside every instance folder,
    /// so the batch syncs the whole store.
    ///
    /// One instance a pass, not the whole store for files of several: the whole store of 300,000
    /// files took 22 s a batch, and every arrival, even one a content batch would link in 10 ms,
    /// waited behind it (p50 15.9 s from arrival to link with five files no row names among 200
    /// arrivals, `benchmarks/watch/latency.py --orphans 5`). Between two instances' batches the
    /// next pass's content batch takes what arrived meanwhile. Before content batches, when every
    /// arrival went through a batch, one run for all was the quicker on a 6,000-file store (p99
    /// 2.0 s against 3.3 s for runs one after the other).
    static func first(of files: some Sequence<String>, owed: Set<BatchScope>) -> BatchScope? {
        var scopes = owed
        for file in files {
            guard let scope = BatchScope(file) else { return nil }
            scopes.insert(scope)
        }
        return scopes.min { ($0.client, $0.instance) < ($1.client, $1.instance) }
    }
}

/// How a long-running watch keeps its memory near one batch's needs.
///
/// glibc keeps freed memory in per-thread arenas for reuse, up to eight arenas a core, and a
/// batch's work runs on whatever pool threads are at hand: over ten minutes of arrivals (3,000 at
/// 5/s on a 6,000-file store) the watch's RSS climbed 68 → 83 MiB while a fresh full run of the
/// final store peaked at 67 MiB; with one arena (`MALLOC_ARENA_MAX=1`) it fell back to 61 MiB
/// when idle. Not a leak, but a process that runs for months should not keep every arena's peak.
/// These are glibc's own (`<malloc.h>`, which the Glibc module leaves out), looked up by name;
/// elsewhere there is nothing to call.
enum WatchMemory {
    /// As many arenas as cores, set before the first batch: threads then share arenas, and what
    /// one batch freed is what the next one reuses.
    static func limitArenas() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let arenaMax: Int32 = -8  // M_ARENA_MAX
            let cores = Int32(clamping: ProcessInfoLite.activeProcessorCount)
            if let symbol = dlsym(nil, "mallopt") { _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, cores) }
        #endif
    }

    /// Gives the pages a batch freed back to the system, after the batch, once the batch's rows,
    /// files and indexes (freed on a background thread) are freed too: trimmed before those frees,
    /// an idle watch kept 157 MiB (VmRSS) after a whole-store batch of 300,000 files.
    static func returnFreed() {
        #if canImport(Glibc)
            afterBackgroundReleases {
                typealias MallocTrim = @convention(c) (Int) -> Int32
                if let symbol = mallocTrim { _ = unsafeBitCast(symbol, to: MallocTrim.self)(0) }
            }
        #endif
    }

    #if canImport(Glibc)
        private nonisolated(unsafe) static let mallocTrim = dlsym(nil, "malloc_trim")
    #endif
}
