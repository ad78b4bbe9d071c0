import GRDB

extension SQLiteMessageStore {
    /// Brings the journal tables up to date. Called by the write operations only.
    static func migrateJournal(_ db: Database) throws {
        // Foreign keys can only be switched outside a transaction: off for a migration that
        // rebuilds a table, then on again whatever happens.
        let pending =
            try db.tableExists(JournalSchema.versionTable)
            ? JournalSchema.migrations.filter {
                try !Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM audiosync_schema_migration WHERE identifier = ?)",
                    arguments: [$0.identifier])!
            } : JournalSchema.migrations
        let rebuilds = pending.contains { $0.sqliteRebuildsTable }
        if rebuilds { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
        defer { if rebuilds { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
        try db.inTransaction(.immediate) {
            try db.execute(sql: JournalSchema.createVersionTable)
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM audiosync_schema_migration"))
            for migration in JournalSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.sqlite { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO audiosync_schema_migration (identifier, applied_at) VALUES (?, ?)",
                    arguments: [migration.identifier, UnixClock.now()])
            }
            if rebuilds, try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") != nil {
                throw MessageStoreError.database("the journal's migration broke a reference; nothing was changed")
            }
            return .commit
        }
    }

    /// Marks the runs left `running` by a process that is gone as abandoned.
    static func markAbandoned(_ db: Database) throws {
        let now = UnixClock.now()
        for run in try RunRow.filter(RunRow.Columns.status == RunStatus.running.rawValue).fetchAll(db)
        where run.isAbandoned(now: now) {
            let summary = try JournalJSON.text(RunProcess.abandonedSummary(pid: run.pid, host: run.host))
            try RunRow.filter(RunRow.Columns.id == run.id).updateAll(
                db, RunRow.Columns.status.set(to: RunStatus.abandoned.rawValue),
                RunRow.Columns.finishedAt.set(to: now), RunRow.Columns.summary.set(to: summary))
        }
    }

    /// Whether the journal exists; read-only operations ask before touching it.
    static func hasJournal(_ db: Database) throws -> Bool {
        try db.tableExists(RunRow.databaseTableName) && db.tableExists(ChangeRow.databaseTableName)
    }

    public func beginRun(_ start: RunStart) async throws -> RunID {
        try requireWritable()
        let optionsJSON = try JournalJSON.text(start.options)
        return try await mapped {
            try await queue.writeWithoutTransaction { db in
                try SQLiteMessageStore.migrateJournal(db)
                let now = UnixClock.now()
                var row = RunRow(
                    id: nil, startedAt: now, finishedAt: nil, status: RunStatus.running.rawValue,
                    command: start.command, mediaRoot: start.mediaRoot, options: optionsJSON, summary: nil,
                    toolVersion: start.toolVersion, pid: RunProcess.current.pid, host: RunProcess.current.host,
                    heartbeatAt: now)
                try db.inTransaction(.immediate) {
                    try SQLiteMessageStore.markAbandoned(db)
                    try row.insert(db)
                    return .commit
                }
                return RunID(row.id!)
            }
        }
    }

    public func finishRun(_ run: RunID, status: RunStatus, summary: RunSummary) async throws {
        try requireWritable()
        let summaryJSON = try JournalJSON.text(summary)
        try await mapped {
            try await queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    _ = try SQLiteMessageStore.fetchRun(db, run)
                    try RunRow.filter(RunRow.Columns.id == run.rawValue).updateAll(
                        db, RunRow.Columns.status.set(to: status.rawValue),
                        RunRow.Columns.finishedAt.set(to: UnixClock.now()), RunRow.Columns.summary.set(to: summaryJSON))
                    return .commit
                }
            }
        }
    }

    /// The run's row. - Throws: ``MessageStoreError/unknownRun(_:)``.
    static func fetchRun(_ db: Database, _ run: RunID) throws -> RunRow {
        guard try hasJournal(db), let row = try RunRow.fetchOne(db, key: run.rawValue) else {
            throw MessageStoreError.unknownRun(run)
        }
        return row
    }

    public func runs() async throws -> [RunRecord] {
        try await mapped {
            try await queue.read { db in
                guard try SQLiteMessageStore.hasJournal(db) else { return [] }
                var counts: [Int64: (Int, Int)] = [:]
                let sql = "SELECT run_id, count(*), count(undone_at) FROM audiosync_change GROUP BY run_id"
                for row in try Row.fetchAll(db, sql: sql) {
                    counts[row[0]] = (row[1], row[2])
                }
                return try RunRow.order(RunRow.Columns.id.desc).fetchAll(db).map { run in
                    let (changes, undone) = counts[run.id ?? 0] ?? (0, 0)
                    return run.record(changes: changes, undone: undone)
                }
            }
        }
    }
}
