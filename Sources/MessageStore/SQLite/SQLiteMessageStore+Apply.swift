import GRDB
public import MatchEngine

extension SQLiteMessageStore {
    public func preview(_ changes: [ChangeSet.Change], against load: MessageLoad) async throws -> ApplyReport {
        try await previewInBatches(changes, against: load)
    }

    /// One read transaction, so the CRM can commit between a preview's batches.
    func currentConteudo(of rows: [Int64]) async throws -> [Int64: String?] {
        try await mapped {
            try await queue.read { db in
                var current: [Int64: String?] = [:]
                for row in rows {
                    if let text = try SQLiteMessageStore.currentConteudo(db, row: row) {
                        current.updateValue(text, forKey: row)
                    }
                }
                return current
            }
        }
    }

    func requireRun(_ run: RunID) async throws {
        _ = try await mapped { try await queue.read { db in try SQLiteMessageStore.fetchRun(db, run) } }
    }

    public func apply(_ changes: [ChangeSet.Change], against load: MessageLoad, run: RunID) async throws
        -> ApplyReport
    {
        try await applyInBatches(changes, against: load, run: run)
    }

    func writeBatch(_ batch: ArraySlice<ChangeSet.Change>, against load: MessageLoad, run: RunID) async throws
        -> ApplyReport
    {
        try await mapped {
            try await queue.writeWithoutTransaction { db in
                try SQLiteMessageStore.writeBatch(db, batch, against: load, run: run)
            }
        }
    }

    /// Taking the write lock at the start (`BEGIN IMMEDIATE`) means no other writer can come between
    /// the read and the update; the `AND conteudo = ?` of the update makes that a checked fact rather
    /// than an assumption.
    private static func writeBatch(
        _ db: Database, _ batch: ArraySlice<ChangeSet.Change>, against load: MessageLoad, run: RunID
    ) throws -> ApplyReport {
        var report = ApplyReport()
        try db.inTransaction(.immediate) {
            let runRow = try fetchRun(db, run)
            guard runRow.status == RunStatus.running.rawValue else {
                throw MessageStoreError.runNotRunning(run, status: RunStatus(rawValue: runRow.status) ?? .failed)
            }
            let plan = try BatchPlan(batch, against: load) { try currentConteudo(db, row: $0) }
            let update = try db.cachedStatement(
                sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ? AND conteudo = ?")
            let now = UnixClock.now()
            var landed = Set<Int64>()
            for write in plan.writes {
                try update.execute(arguments: [write.new, write.rowID, write.old])
                guard db.changesCount == 1 else { continue }
                var journal = ChangeRow(
                    id: nil, runID: run.rawValue, messageID: write.rowID, action: write.action, reason: write.reason,
                    oldConteudo: write.old, newConteudo: write.new, appliedAt: now, undoneAt: nil)
                try journal.insert(db)
                landed.insert(write.rowID)
            }
            report = plan.report { landed.contains($0) }
            try RunRow.filter(RunRow.Columns.id == run.rawValue).updateAll(db, RunRow.Columns.heartbeatAt.set(to: now))
            return .commit
        }
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
