import Logging
import PostgresNIO

extension PostgresMessageStore {
    /// Brings the journal tables up to date, under an advisory lock so that two syncs starting together
    /// do not both create them. Called by the write operations only.
    func migrateJournal() async throws {
        try await session.transaction {
            try await session.execute("SELECT pg_advisory_xact_lock(7106170301)")
            try await session.execute(JournalSchema.createVersionTable)
            let applied = Set(
                try await session.rows("SELECT identifier FROM audiosync_schema_migration").map {
                    try $0.decode(String.self)
                })
            for migration in JournalSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.postgres { try await session.execute(statement) }
                try await session.execute(
                    "INSERT INTO audiosync_schema_migration (identifier, applied_at) VALUES ($1, $2)",
                    PostgresBindings([migration.identifier, UnixClock.now()]))
            }
        }
    }

    /// Whether the journal exists; read-only operations ask before touching it.
    func hasJournal() async throws -> Bool {
        let row = try await session.rows(
            "SELECT to_regclass('audiosync_run') IS NOT NULL AND to_regclass('audiosync_change') IS NOT NULL")
        return try row.first?.decode(Bool.self) ?? false
    }

    /// The run's status. - Throws: ``MessageStoreError/unknownRun(_:)``.
    func runStatus(_ run: RunID, lock: Bool = false) async throws -> RunStatus {
        guard try await hasJournal() else { throw MessageStoreError.unknownRun(run) }
        let rows = try await session.rows(
            "SELECT status FROM audiosync_run WHERE id = $1" + (lock ? " FOR SHARE" : ""),
            PostgresBindings([run.rawValue]))
        guard let row = rows.first else { throw MessageStoreError.unknownRun(run) }
        return RunStatus(rawValue: try row.decode(String.self)) ?? .failed
    }

    public func beginRun(_ start: RunStart) async throws -> RunID {
        let optionsJSON = try JournalJSON.text(start.options)
        return try await session.exclusive {
            try await migrateJournal()
            let rows = try await session.rows(
                """
                INSERT INTO audiosync_run (started_at, status, command, media_root, options, tool_version)
                VALUES ($1, 'running', $2, $3, $4, $5) RETURNING id::int8
                """,
                PostgresBindings([UnixClock.now(), start.command, start.mediaRoot, optionsJSON, start.toolVersion]))
            return RunID(try rows[0].decode(Int64.self))
        }
    }

    public func finishRun(_ run: RunID, status: RunStatus, summary: RunSummary) async throws {
        let summaryJSON = try JournalJSON.text(summary)
        try await session.exclusive {
            try await session.transaction {
                _ = try await runStatus(run, lock: true)
                try await session.execute(
                    "UPDATE audiosync_run SET status = $1, finished_at = $2, summary = $3 WHERE id = $4",
                    PostgresBindings([status.rawValue, UnixClock.now(), summaryJSON, run.rawValue]))
            }
        }
    }

    public func runs() async throws -> [RunRecord] {
        try await session.exclusive {
            guard try await hasJournal() else { return [] }
            let rows = try await session.rows(
                """
                SELECT r.id::int8, r.started_at, r.finished_at, r.status, r.command, r.media_root, r.options,
                  r.summary, r.tool_version,
                  (SELECT count(*) FROM audiosync_change c WHERE c.run_id = r.id)::int8,
                  (SELECT count(undone_at) FROM audiosync_change c WHERE c.run_id = r.id)::int8
                FROM audiosync_run r ORDER BY r.id DESC
                """)
            return try rows.map { row in
                let (id, started, finished, status, command, root, options, summary, version, changes, undone) =
                    try row.decode(
                        (Int64, Int64, Int64?, String, String, String?, String, String?, String, Int64, Int64).self)
                return RunRecord(
                    id: RunID(id), startedAt: started, finishedAt: finished,
                    status: RunStatus(rawValue: status) ?? .failed,
                    command: command, mediaRoot: root, options: options, summary: summary, toolVersion: version,
                    changes: Int(changes), undone: Int(undone))
            }
        }
    }
}
