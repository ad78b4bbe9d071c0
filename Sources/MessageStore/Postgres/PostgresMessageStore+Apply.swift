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
        for change in batch {
            switch ChangeDecision(change, current: current[change.rowID]) {
            case .skip(let outcome):
                report.record(outcome, row: change.rowID)
            case .write(let new):
                let old = current[change.rowID]!!
                let rows = try await session.rows(
                    """
                    UPDATE core_mensagem SET conteudo = $1\(conteudoParameter)
                    WHERE id = $2 AND conteudo = $3\(conteudoParameter) RETURNING conteudo::text
                    """, PostgresBindings([new, change.rowID, old]))
                guard let row = rows.first else {
                    report.record(.changedSinceRead, row: change.rowID)
                    continue
                }
                // With jsonb the stored text is PostgreSQL's rendering; undo compares against that.
                let stored = try row.decode(String.self)
                try await session.execute(
                    """
                    INSERT INTO audiosync_change
                      (run_id, message_id, action, reason, old_conteudo, new_conteudo, applied_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """,
                    PostgresBindings([
                        run.rawValue, change.rowID, change.action.journalName, change.reason.rawValue, old, stored, now,
                    ]))
                report.record(.updated, row: change.rowID)
            }
        }
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
