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
            return try await session.transaction {
                try await markAbandoned()
                let now = UnixClock.now()
                let rows = try await session.rows(
                    """
                    INSERT INTO audiosync_run (started_at, status, command, media_root, options, tool_version, pid, host,
                      heartbeat_at)
                    VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, $1) RETURNING id::int8
                    """,
                    PostgresBindings([
                        now, start.command, start.mediaRoot, optionsJSON, start.toolVersion, RunProcess.current.pid,
                        RunProcess.current.host,
                    ]))
                return RunID(try rows[0].decode(Int64.self))
            }
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

    /// Marks the runs left `running` by a process that is gone as abandoned.
    func markAbandoned() async throws {
        let now = UnixClock.now()
        let rows = try await session.rows(
            "SELECT id::int8, pid, host, heartbeat_at, started_at FROM audiosync_run WHERE status = 'running' FOR UPDATE"
        )
        for row in rows {
            let (id, pid, host, heartbeat, started) = try row.decode((Int64, Int64?, String?, Int64?, Int64).self)
            guard RunProcess.isAbandoned(pid: pid, host: host, heartbeatAt: heartbeat, startedAt: started, now: now)
            else { continue }
            try await session.execute(
                "UPDATE audiosync_run SET status = 'abandoned', finished_at = $1, summary = $2 WHERE id = $3",
                PostgresBindings([
                    now, try JournalJSON.text(RunProcess.abandonedSummary(pid: pid, host: host)), id,
                ]))
        }
    }

    /// Whether the journal has the v2 columns (a v1 journal is read as it is, never migrated by a read).
    func hasProcessColumns() async throws -> Bool {
        let rows = try await session.rows(
            """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
              WHERE table_name = 'audiosync_run' AND column_name = 'pid' AND table_schema = current_schema())
            """)
        return try rows.first?.decode(Bool.self) ?? false
    }

    public func runs() async throws -> [RunRecord] {
        try await session.exclusive {
            guard try await hasJournal() else { return [] }
            let process =
                try await hasProcessColumns() ? "r.pid, r.host, r.heartbeat_at" : "NULL::int8, NULL::text, NULL::int8"
            let rows = try await session.rows(
                """
                SELECT r.id::int8, r.started_at, r.finished_at, r.status, r.command, r.media_root, r.options,
                  r.summary, r.tool_version,
                  (SELECT count(*) FROM audiosync_change c WHERE c.run_id = r.id)::int8,
                  (SELECT count(undone_at) FROM audiosync_change c WHERE c.run_id = r.id)::int8,
                  \(process)
                FROM audiosync_run r ORDER BY r.id DESC
                """)
            let now = UnixClock.now()
            return try rows.map { row in
                let (
                    id, started, finished, status, command, root, options, summary, version, changes, undone, pid, host,
                    heartbeat
                ) =
                    try row.decode(
                        (
                            Int64, Int64, Int64?, String, String, String?, String, String?, String, Int64, Int64,
                            Int64?,
                            String?, Int64?
                        ).self)
                let abandoned =
                    status == RunStatus.running.rawValue
                    && RunProcess.isAbandoned(
                        pid: pid, host: host, heartbeatAt: heartbeat, startedAt: started, now: now)
                return RunRecord(
                    id: RunID(id), startedAt: started, finishedAt: finished,
                    status: abandoned ? .abandoned : RunStatus(rawValue: status) ?? .failed,
                    command: command, mediaRoot: root, options: options, summary: summary, toolVersion: version,
                    changes: Int(changes), undone: Int(undone))
            }
        }
    }
}
