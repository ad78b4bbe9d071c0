public import MatchEngine
import PostgresNIO

extension PostgresMessageStore {
    public func preview(_ changes: [ChangeSet.Change], against load: MessageLoad) async throws -> ApplyReport {
        try await previewInBatches(changes, against: load)
    }

    func currentConteudo(of rows: [Int64]) async throws -> [Int64: String?] {
        try await session.exclusive { try await selectConteudo(rows) }
    }

    func requireRun(_ run: RunID) async throws {
        _ = try await session.exclusive { try await runStatus(run) }
    }

    public func apply(_ changes: [ChangeSet.Change], against load: MessageLoad, run: RunID) async throws
        -> ApplyReport
    {
        try await applyInBatches(changes, against: load, run: run)
    }

    /// The update's `WHERE conteudo = <old>` is re-evaluated by PostgreSQL on the newest committed
    /// version of the row, so a CRM write that lands after our read makes it update nothing: counted,
    /// not clobbered.
    func writeBatch(_ batch: ArraySlice<ChangeSet.Change>, against load: MessageLoad, run: RunID) async throws
        -> ApplyReport
    {
        try await session.exclusive {
            try await session.transaction {
                let status = try await runStatus(run, lock: true)
                guard status == .running else { throw MessageStoreError.runNotRunning(run, status: status) }
                let current = try await selectConteudo(batch.map(\.messageRowID))
                let plan = BatchPlan(batch, against: load) { current[$0] }
                let landed = try await compareAndSwap(plan.writes, run: run)
                try await session.execute(
                    "UPDATE audiosync_run SET heartbeat_at = $1 WHERE id = $2",
                    PostgresBindings([UnixClock.now(), run.rawValue]))
                return plan.report { landed.contains($0) }
            }
        }
    }

    /// The whole batch in one statement, one round trip: each row is updated only where it still holds
    /// the text that was read, and journalled from what the update returns. With jsonb the stored text
    /// is PostgreSQL's rendering; undo compares against that. Returns the rows updated.
    private func compareAndSwap(_ writes: [BatchPlan.Write], run: RunID) async throws -> Set<Int64> {
        guard !writes.isEmpty else { return [] }
        let rows = try await session.rows(
            """
            WITH input AS (
              SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[])
                AS t(id, new_conteudo, old_conteudo, action, reason)
            ), updated AS (
              UPDATE core_mensagem AS m SET conteudo = input.new_conteudo\(conteudoParameter)
              FROM input
              WHERE m.id = input.id AND m.conteudo = input.old_conteudo\(conteudoParameter)
              RETURNING m.id, input.action, input.reason, input.old_conteudo, m.conteudo::text AS stored
            )
            INSERT INTO audiosync_change (run_id, message_id, action, reason, old_conteudo, new_conteudo, applied_at)
            SELECT $6, id, action, reason, old_conteudo, stored, $7 FROM updated
            RETURNING message_id
            """,
            PostgresBindings([
                writes.map(\.rowID), writes.map(\.new), writes.map(\.old), writes.map(\.action),
                writes.map(\.reason), run.rawValue, UnixClock.now(),
            ]))
        var landed: Set<Int64> = []
        for row in rows { landed.insert(try row.decode(Int64.self)) }
        return landed
    }

    /// The rows' `conteudo` as text: absent for a row that is gone, `.some(nil)` for `NULL`.
    func selectConteudo(_ ids: [Int64]) async throws -> [Int64: String?] {
        var current: [Int64: String?] = [:]
        let rows = try await session.rows(
            "SELECT id::int8, conteudo::text FROM core_mensagem WHERE id = ANY($1) AND tipo = 'audio'",
            PostgresBindings([ids]))
        for row in rows {
            let (id, text) = try row.decode((Int64, String?).self)
            current[id] = .some(text)
        }
        return current
    }
}
