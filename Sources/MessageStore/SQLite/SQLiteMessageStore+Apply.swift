import GRDB
import GRDBSQLite
public import MatchEngine

extension SQLiteMessageStore {
    public func preview(_ changes: [ChangeSet.Change], against load: MessageLoad) async throws -> ApplyReport {
        try await previewInBatches(changes, against: load)
    }

    /// One read transaction, so the CRM can commit between a preview's batches. The statement is
    /// stepped through the C API, as the load's is: through GRDB's rows, a dry run's 300,000 reads
    /// kept the database's thread busy for 5 s at a million messages.
    func currentConteudo(of rows: [Int64]) async throws -> [Int64: String?] {
        try await mapped {
            try await queue.read { db in
                let statement = try db.makeStatement(sql: SQLiteMessageStore.currentConteudoQuery)
                let handle = statement.sqliteStatement
                defer { sqlite3_reset(handle) }
                var current: [Int64: String?] = [:]
                current.reserveCapacity(rows.count)
                for row in rows {
                    sqlite3_reset(handle)
                    sqlite3_bind_int64(handle, 1, row)
                    // A row that is gone has no entry; a `NULL` text, an entry of `nil`.
                    if try SQLiteMessageStore.step(handle, db) {
                        current.updateValue(SQLiteMessageStore.string(handle, 0), forKey: row)
                    }
                }
                return current
            }
        }
    }

    static let currentConteudoQuery = "SELECT conteudo FROM core_mensagem WHERE id = ? AND tipo = 'audio'"

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
        let statement = try db.cachedStatement(sql: currentConteudoQuery)
        guard let found = try Row.fetchOne(statement, arguments: [row]) else { return .none }
        return .some(found[0] as String?)
    }
}
