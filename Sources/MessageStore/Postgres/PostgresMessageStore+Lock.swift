import PostgresNIO

extension PostgresMessageStore {
    /// The advisory lock's two keys (advisory locks are per database, so this is "the" lock of the
    /// database audiosync writes to). Not the journal migration's key.
    static let writeLockKeys: (Int32, Int32) = (710_617, 3)

    /// A session-level `pg_try_advisory_lock`: never waits, and PostgreSQL drops it with the
    /// connection, so a killed sync leaves no lock behind. The connection's `application_name`
    /// carries the holder, so the refusal can name it from `pg_stat_activity`.
    public func lockForWriting(_ holder: WriteLockHolder) async throws {
        try await session.exclusive {
            try await session.execute(
                "SELECT set_config('application_name', $1, false)", PostgresBindings([holder.applicationName]))
            let keys = PostgresBindings([Self.writeLockKeys.0, Self.writeLockKeys.1])
            let taken = try await session.rows("SELECT pg_try_advisory_lock($1, $2)", keys)
            guard try taken.first?.decode(Bool.self) == true else {
                throw MessageStoreError.syncLocked(database: displayLocation, holder: try await lockHolder())
            }
        }
    }

    public func unlockForWriting() async throws {
        try await session.exclusive {
            try await session.execute(
                "SELECT pg_advisory_unlock($1, $2)", PostgresBindings([Self.writeLockKeys.0, Self.writeLockKeys.1]))
        }
    }

    /// The connection holding the lock, as `pg_stat_activity` shows it.
    private func lockHolder() async throws -> String {
        let rows = try await session.rows(
            """
            SELECT a.application_name, a.pid::int8, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::int8 = $1 AND l.objid::int8 = $2 AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """,
            PostgresBindings([Int64(Self.writeLockKeys.0), Int64(Self.writeLockKeys.1)]))
        guard let row = rows.first else { return "a connection that has just ended; run again" }
        let (name, pid, since) = try row.decode((String?, Int64, String?).self)
        return [name.flatMap { $0.isEmpty ? nil : $0 }, "PostgreSQL backend \(pid)", since.map { "since \($0) UTC" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}
