import Logging
import PostgresNIO

extension PostgresMessageStore {
    public func preview(_ changes: [LinkChange]) async throws -> ApplyReport {
        try ChangeDecision.validate(changes)
        return try await session.exclusive {
            var report = ApplyReport()
            var start = 0
            while start < changes.count {
                let batch = Array(changes[start..<min(start + session.options.batchSize, changes.count)])
                start += batch.count
                let current = try await currentConteudo(batch.map(\.rowID))
                for change in batch {
                    switch ChangeDecision(change, current: current[change.rowID]) {
                    case .write: report.record(.updated, row: change.rowID)
                    case .skip(let outcome): report.record(outcome, row: change.rowID)
                    }
                }
            }
            return report
        }
    }

    public func apply(_ changes: [LinkChange], run: RunID) async throws -> ApplyReport {
        try ChangeDecision.validate(changes)
        if session.options.readOnly { throw MessageStoreError.readOnly(database: displayLocation) }
        var report = ApplyReport()
        if changes.isEmpty {
            _ = try await session.exclusive { try await runStatus(run) }
        }
        var start = 0
        while start < changes.count {
            let batch = Array(changes[start..<min(start + session.options.batchSize, changes.count)])
            start += batch.count
            report.merge(
                try await session.exclusive { try await session.transaction { try await applyBatch(batch, run: run) } })
            try Task.checkCancellation()
        }
        logger.info(
            "applied changes",
            metadata: ["run": "\(run)", "updated": "\(report[.updated])", "skipped": "\(report.skipped.count)"])
        return report
    }

    /// One transaction: read the batch's rows, decide, compare-and-swap each, journal each write. The
    /// update's `WHERE conteudo = <old>` is re-evaluated by PostgreSQL on the newest committed version of
    /// the row, so a CRM write that lands after our read makes it update nothing: counted, not clobbered.
    private func applyBatch(_ batch: [LinkChange], run: RunID) async throws -> ApplyReport {
        let status = try await runStatus(run, lock: true)
        guard status == .running else { throw MessageStoreError.runNotRunning(run, status: status) }
        var report = ApplyReport()
        let current = try await currentConteudo(batch.map(\.rowID))
        let now = UnixClock.now()
        var ids: [Int64] = []
        var news: [String] = []
        var olds: [String] = []
        var actions: [String] = []
        var reasons: [String] = []
        for change in batch {
            switch ChangeDecision(change, current: current[change.rowID]) {
            case .skip(let outcome):
                report.record(outcome, row: change.rowID)
            case .write(let new):
                ids.append(change.rowID)
                news.append(new)
                olds.append(current[change.rowID]!!)
                actions.append(change.action.journalName)
                reasons.append(change.reason.rawValue)
            }
        }
        guard !ids.isEmpty else {
            report.batches = 1
            return report
        }
        // The whole batch in one statement, one round trip: each row is updated only where it still
        // holds the text that was read (compare-and-swap, re-checked by PostgreSQL on the newest
        // version of a row a concurrent writer changed), and journalled from what the update returns.
        // With jsonb the stored text is PostgreSQL's rendering; undo compares against that.
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
            PostgresBindings([ids, news, olds, actions, reasons, run.rawValue, now]))
        var updated: Set<Int64> = []
        for row in rows { updated.insert(try row.decode(Int64.self)) }
        for id in ids { report.record(updated.contains(id) ? .updated : .changedSinceRead, row: id) }
        report.batches = 1
        return report
    }

    /// The rows' `conteudo` as text: absent for a row that is gone, `.some(nil)` for `NULL`.
    func currentConteudo(_ ids: [Int64]) async throws -> [Int64: String?] {
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
