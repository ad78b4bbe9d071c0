import GRDB

extension SQLiteMessageStore {
    public func undo(run: RunID) async throws -> UndoReport {
        try await undoInBatches(run)
    }

    public func undoPreview(run: RunID) async throws -> UndoPreview {
        try await previewUndo(run)
    }

    func journalChanges(of run: RunID) async throws -> [JournalChange] {
        try await mapped {
            try await queue.read { db in
                _ = try SQLiteMessageStore.fetchRun(db, run)
                return try ChangeRow.filter(ChangeRow.Columns.runID == run.rawValue)
                    .order(ChangeRow.Columns.id.desc)
                    .fetchAll(db)
                    .map {
                        JournalChange(
                            id: $0.id ?? 0, messageID: $0.messageID, oldConteudo: $0.oldConteudo,
                            newConteudo: $0.newConteudo, undone: $0.undoneAt != nil)
                    }
            }
        }
    }

    func undoneChangeCount(of run: RunID) async throws -> Int {
        try await mapped {
            try await queue.read { db in
                _ = try SQLiteMessageStore.fetchRun(db, run)
                return try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM audiosync_change WHERE run_id = ? AND undone_at IS NOT NULL",
                    arguments: [run.rawValue]) ?? 0
            }
        }
    }

    func undoBatch(of run: RunID, before: Int64) async throws -> (UndoReport, Int64?) {
        let limit = options.batchSize
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                try SQLiteMessageStore.undoBatch(db, run: run, before: before, limit: limit)
            }
        }
    }

    func settleUndo(of run: RunID) async throws -> RunStatus {
        try await mapped {
            try await queue.writeWithoutTransaction { db in
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
