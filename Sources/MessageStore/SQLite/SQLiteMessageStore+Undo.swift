import GRDB
import Logging

extension SQLiteMessageStore {
    public func undo(run: RunID) async throws -> UndoReport {
        try await mapped {
            // Ask before writing: an unknown run must not create the journal tables.
            let previous = try await queue.read { db in
                _ = try SQLiteMessageStore.fetchRun(db, run)
                return try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM audiosync_change WHERE run_id = ? AND undone_at IS NOT NULL",
                    arguments: [run.rawValue]) ?? 0
            }
            try requireWritable()
            var report = UndoReport()
            report.alreadyUndone = previous
            // Newest change first, so that a row changed twice by one run ends with its oldest text.
            var before = Int64.max
            while true {
                let below = before
                let limit = options.batchSize
                let (done, last) = try await queue.writeWithoutTransaction { db in
                    try SQLiteMessageStore.undoBatch(db, run: run, before: below, limit: limit)
                }
                report.restored += done.restored
                report.changedSince += done.changedSince
                report.missingRows += done.missingRows
                guard let last else { break }
                before = last
            }
            report.status = try await queue.writeWithoutTransaction { db in
                var status = RunStatus.undone
                try db.inTransaction(.immediate) {
                    let left =
                        try Int.fetchOne(
                            db, sql: "SELECT count(*) FROM audiosync_change WHERE run_id = ? AND undone_at IS NULL",
                            arguments: [run.rawValue]) ?? 0
                    status = left == 0 ? .undone : .partiallyUndone
                    try db.execute(
                        sql: "UPDATE audiosync_run SET status = ? WHERE id = ?",
                        arguments: [status.rawValue, run.rawValue])
                    return .commit
                }
                return status
            }
            logger.info(
                "undid run",
                metadata: ["run": "\(run)", "restored": "\(report.restored)", "kept": "\(report.changedSince.count)"])
            return report
        }
    }

    /// Undoes up to `limit` changes of `run` with ids below `before`, in one transaction. Returns what
    /// it did and the smallest change id it looked at (`nil` when there was none left).
    private static func undoBatch(_ db: Database, run: RunID, before: Int64, limit: Int) throws
        -> (UndoReport, Int64?)
    {
        var report = UndoReport()
        var last: Int64?
        try db.inTransaction(.immediate) {
            let changes =
                try ChangeRow
                .filter(
                    ChangeRow.Columns.runID == run.rawValue && ChangeRow.Columns.undoneAt == nil
                        && ChangeRow.Columns.id < before
                )
                .order(ChangeRow.Columns.id.desc)
                .limit(limit)
                .fetchAll(db)
            let restore = try db.cachedStatement(
                sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ? AND conteudo = ?")
            let mark = try db.cachedStatement(sql: "UPDATE audiosync_change SET undone_at = ? WHERE id = ?")
            let now = UnixClock.now()
            for change in changes {
                last = change.id
                guard let current = try currentConteudo(db, row: change.messageID) else {
                    report.missingRows.append(change.messageID)
                    continue
                }
                guard current == change.newConteudo else {
                    report.changedSince.append(change.messageID)
                    continue
                }
                try restore.execute(arguments: [change.oldConteudo, change.messageID, change.newConteudo])
                guard db.changesCount == 1 else {
                    report.changedSince.append(change.messageID)
                    continue
                }
                try mark.execute(arguments: [max(now, change.appliedAt), change.id])
                report.restored += 1
            }
            return .commit
        }
        return (report, last)
    }
}
