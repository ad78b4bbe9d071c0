import GRDB
import Logging

extension SQLiteMessageStore {
    public func preview(_ changes: [LinkChange]) async throws -> ApplyReport {
        try ChangeDecision.validate(changes)
        var report = ApplyReport()
        var start = 0
        // Batches, each its own read transaction, so the CRM can commit between them.
        while start < changes.count {
            let batch = Array(changes[start..<min(start + options.batchSize, changes.count)])
            start += batch.count
            let part = try await mapped {
                try await queue.read { db in
                    var report = ApplyReport()
                    for change in batch {
                        let current = try SQLiteMessageStore.currentConteudo(db, row: change.rowID)
                        switch ChangeDecision(change, current: current) {
                        case .write: report.record(.updated, row: change.rowID)
                        case .skip(let outcome): report.record(outcome, row: change.rowID)
                        }
                    }
                    return report
                }
            }
            report.merge(part)
        }
        return report
    }

    public func apply(_ changes: [LinkChange], run: RunID) async throws -> ApplyReport {
        try ChangeDecision.validate(changes)
        try requireWritable()
        var report = ApplyReport()
        var start = 0
        while start < changes.count {
            let batch = Array(changes[start..<min(start + options.batchSize, changes.count)])
            start += batch.count
            let done = try await mapped {
                try await queue.writeWithoutTransaction { db in
                    try SQLiteMessageStore.applyBatch(db, batch, run: run)
                }
            }
            report.merge(done)
            try Task.checkCancellation()
        }
        if changes.isEmpty {
            // Still say so when the run is unknown or over, as a non-empty call would.
            _ = try await mapped { try await queue.read { db in try SQLiteMessageStore.fetchRun(db, run) } }
        }
        logger.info(
            "applied changes",
            metadata: ["run": "\(run)", "updated": "\(report[.updated])", "skipped": "\(report.skipped.count)"])
        return report
    }

    /// One transaction: read each row, decide, compare-and-swap, journal. Taking the write lock at the
    /// start (`BEGIN IMMEDIATE`) means no other writer can come between the read and the update; the
    /// `AND conteudo = ?` of the update makes that a checked fact rather than an assumption.
    private static func applyBatch(_ db: Database, _ batch: [LinkChange], run: RunID) throws -> ApplyReport {
        var report = ApplyReport()
        try db.inTransaction(.immediate) {
            let runRow = try fetchRun(db, run)
            guard runRow.status == RunStatus.running.rawValue else {
                throw MessageStoreError.runNotRunning(run, status: RunStatus(rawValue: runRow.status) ?? .failed)
            }
            let update = try db.cachedStatement(
                sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ? AND conteudo = ?")
            let now = UnixClock.now()
            for change in batch {
                let current = try currentConteudo(db, row: change.rowID)
                switch ChangeDecision(change, current: current) {
                case .skip(let outcome):
                    report.record(outcome, row: change.rowID)
                case .write(let new):
                    // `current` is non-nil here: the decision only writes over a text it fingerprinted.
                    let old = current!!
                    try update.execute(arguments: [new, change.rowID, old])
                    guard db.changesCount == 1 else {
                        report.record(.changedSinceRead, row: change.rowID)
                        continue
                    }
                    var journal = ChangeRow(
                        id: nil, runID: run.rawValue, messageID: change.rowID, action: change.action.journalName,
                        reason: change.reason.rawValue, oldConteudo: old, newConteudo: new, appliedAt: now,
                        undoneAt: nil)
                    try journal.insert(db)
                    report.record(.updated, row: change.rowID)
                }
            }
            return .commit
        }
        report.batches = 1
        return report
    }

    /// The row's `conteudo`: `.none` when there is no such audio row, `.some(nil)` when it is `NULL`.
    static func currentConteudo(_ db: Database, row: Int64) throws -> String?? {
        let statement = try db.cachedStatement(
            sql: "SELECT conteudo FROM core_mensagem WHERE id = ? AND tipo = 'audio'")
        guard let found = try Row.fetchOne(statement, arguments: [row]) else { return .none }
        return .some(found[0] as String?)
    }
}
