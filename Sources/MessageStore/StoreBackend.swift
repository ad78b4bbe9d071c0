import Logging
import MatchEngine

/// What a backend supplies so that the stores share one write path: its SQL and its transactions.
///
/// The rules — refuse a bad list before anything else, cut it into batches of
/// ``MessageStoreOptions/batchSize``, decide each change the same way (``BatchPlan``), report, undo
/// newest first — are written once, in the extension; each primitive below is one transaction (or
/// one read) of one backend.
protocol StoreBackend: MessageDatabase {
    var options: MessageStoreOptions { get }
    var logger: Logger { get }

    /// The rows' `conteudo` now, read without writing: absent for a row that is gone or no longer
    /// audio, `.some(nil)` for `NULL`.
    func currentConteudo(of rows: [Int64]) async throws -> [Int64: String?]

    /// - Throws: ``MessageStoreError/unknownRun(_:)`` when the journal does not know `run`.
    func requireRun(_ run: RunID) async throws

    /// One transaction: checks that `run` is running, reads the batch's rows, plans them with
    /// ``BatchPlan``, makes each compare-and-swap and journals each one that lands.
    func writeBatch(_ batch: ArraySlice<ChangeSet.Change>, against load: MessageLoad, run: RunID) async throws
        -> ApplyReport

    /// How many of the run's changes are undone already.
    /// - Throws: ``MessageStoreError/unknownRun(_:)``, without creating the journal.
    func undoneChangeCount(of run: RunID) async throws -> Int

    /// One transaction: undoes up to ``MessageStoreOptions/batchSize`` changes of `run` not undone
    /// yet with ids below `before`, newest first. Returns what it did and the smallest change id it
    /// looked at (`nil` when none was left).
    func undoBatch(of run: RunID, before: Int64) async throws -> (UndoReport, Int64?)

    /// Every change of `run`, newest first, read without writing.
    /// - Throws: ``MessageStoreError/unknownRun(_:)``, without creating the journal.
    func journalChanges(of run: RunID) async throws -> [JournalChange]

    /// Sets the run's status from what is left to undo (``RunStatus/undone`` or
    /// ``RunStatus/partiallyUndone``), and returns it.
    func settleUndo(of run: RunID) async throws -> RunStatus
}

extension StoreBackend {
    func requireWritable() throws(MessageStoreError) {
        if options.readOnly { throw .readOnly(database: displayLocation) }
    }

    /// ``MessageDatabase/preview(_:against:)``: the decisions of ``applyInBatches(_:against:run:)``, each
    /// group of batches read in its own short read, writing nothing.
    func previewInBatches(_ changes: [ChangeSet.Change], against load: MessageLoad) async throws -> ApplyReport {
        try ChangeDecision.validate(changes, against: load)
        var report = ApplyReport()
        // A few batches a core are read at once, and decided on every core while the next group is
        // read: one batch at a time, the decisions (each link's new `conteudo` made and checked)
        // kept one core busy and the other half idle, 2.1 s for 300,000 links. A decision reads
        // only its own row's text, so the groups change nothing but the pace.
        let batches = batches(of: changes)
        let groupSize = 4 * ProcessInfoLite.activeProcessorCount
        let groups = stride(from: 0, to: batches.count, by: groupSize).map {
            batches[$0..<min($0 + groupSize, batches.count)]
        }
        func rows(of group: ArraySlice<ArraySlice<ChangeSet.Change>>) -> [Int64] {
            group.flatMap { $0.map(\.messageRowID) }
        }
        guard let first = groups.first else { return report }
        var current = try await currentConteudo(of: rows(of: first))
        for (position, group) in groups.enumerated() {
            let nextRows = position + 1 < groups.count ? rows(of: groups[position + 1]) : []
            async let next = nextRows.isEmpty ? [:] : currentConteudo(of: nextRows)
            // A preview counts what apply would write as updated.
            let texts = current
            let reports: [ApplyReport] = parallelMap(count: group.count, minimumChunk: 1) { range in
                range.map { BatchPlan(group[group.startIndex + $0], against: load) { texts[$0] }.report { _ in true } }
            }
            for batchReport in reports { report.merge(batchReport) }
            current = try await next
        }
        return report
    }

    /// ``MessageDatabase/apply(_:against:run:)``: one transaction per batch, so the CRM gets the lock
    /// between them and a killed process leaves whole batches only.
    func applyInBatches(_ changes: [ChangeSet.Change], against load: MessageLoad, run: RunID) async throws
        -> ApplyReport
    {
        try ChangeDecision.validate(changes, against: load)
        try requireWritable()
        // Still say so when the run is unknown, as a non-empty call would.
        if changes.isEmpty { try await requireRun(run) }
        var report = ApplyReport()
        for batch in batches(of: changes) {
            do {
                report.merge(try await writeBatch(batch, against: load, run: run))
                report.batches += 1
                try await options.afterBatch?(report.batches)
                try Task.checkCancellation()
            } catch {
                // Batches committed before it stand: say how many rows they wrote.
                guard report[.updated] > 0 else { throw error }
                throw MessageStoreError.partlyApplied(written: report[.updated], reason: "\(error)")
            }
            if options.shouldStop?() == true, report.batches * options.batchSize < changes.count {
                throw MessageStoreError.partlyApplied(written: report[.updated], reason: nil)
            }
        }
        logger.info(
            "applied changes",
            metadata: ["run": "\(run)", "updated": "\(report[.updated])", "skipped": "\(report.skipped.count)"])
        return report
    }

    /// ``MessageDatabase/undo(run:)``: newest change first, so that a row changed twice by one run ends
    /// with its oldest text.
    func undoInBatches(_ run: RunID) async throws -> UndoReport {
        var report = UndoReport()
        // Ask before writing: an unknown run must not create the journal tables.
        report.alreadyUndone = try await undoneChangeCount(of: run)
        try requireWritable()
        var before = Int64.max
        while true {
            let (done, last) = try await undoBatch(of: run, before: before)
            report.restored += done.restored
            report.changedSince += done.changedSince
            report.missingRows += done.missingRows
            guard let last else { break }
            before = last
            // A signal waits for the batch in flight, which has just committed; what is left is
            // left for the next undo, which starts where this one stopped.
            if options.shouldStop?() == true {
                report.interrupted = true
                break
            }
        }
        report.status = try await settleUndo(of: run)
        logger.info(
            "undid run",
            metadata: ["run": "\(run)", "restored": "\(report.restored)", "kept": "\(report.changedSince.count)"])
        return report
    }

    /// ``MessageDatabase/undoPreview(run:)``: the decisions of ``undoInBatches(_:)``, writing nothing.
    func previewUndo(_ run: RunID) async throws -> UndoPreview {
        var preview = UndoPreview()
        let changes = try await journalChanges(of: run)
        preview.alreadyUndone = changes.filter(\.undone).count
        let pending = changes.filter { !$0.undone }
        let current = try await currentConteudo(of: pending.map(\.messageID))
        for change in pending {
            guard let now = current[change.messageID] else {
                preview.missingRows.append(change.messageID)
                continue
            }
            guard now == change.newConteudo else {
                preview.changedSince.append(change.messageID)
                continue
            }
            preview.restore.append(
                .init(
                    messageID: change.messageID, localPathNow: UndoPreview.localPath(in: change.newConteudo),
                    localPathAfter: UndoPreview.localPath(in: change.oldConteudo)))
        }
        return preview
    }

    private func batches(of changes: [ChangeSet.Change]) -> [ArraySlice<ChangeSet.Change>] {
        stride(from: 0, to: changes.count, by: options.batchSize).map {
            changes[$0..<min($0 + options.batchSize, changes.count)]
        }
    }
}
