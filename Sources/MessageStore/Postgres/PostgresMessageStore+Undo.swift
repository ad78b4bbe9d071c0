import PostgresNIO

extension PostgresMessageStore {
    public func undo(run: RunID) async throws -> UndoReport {
        try await undoInBatches(run)
    }

    public func undoPreview(run: RunID) async throws -> UndoPreview {
        try await previewUndo(run)
    }

    func journalChanges(of run: RunID) async throws -> [JournalChange] {
        try await session.exclusive {
            _ = try await runStatus(run)
            let rows = try await session.rows(
                """
                SELECT id::int8, message_id::int8, old_conteudo, new_conteudo, undone_at IS NOT NULL
                FROM audiosync_change WHERE run_id = $1 ORDER BY id DESC
                """, PostgresBindings([run.rawValue]))
            return try rows.map { row in
                let (id, message, old, new, undone) = try row.decode((Int64, Int64, String, String, Bool).self)
                return JournalChange(id: id, messageID: message, oldConteudo: old, newConteudo: new, undone: undone)
            }
        }
    }

    func undoneChangeCount(of run: RunID) async throws -> Int {
        try await session.exclusive {
            _ = try await runStatus(run)
            let rows = try await session.rows(
                "SELECT count(*)::int8 FROM audiosync_change WHERE run_id = $1 AND undone_at IS NOT NULL",
                PostgresBindings([run.rawValue]))
            return Int(try rows[0].decode(Int64.self))
        }
    }

    func undoBatch(of run: RunID, before: Int64) async throws -> (UndoReport, Int64?) {
        try await session.exclusive { try await session.transaction { try await undoChanges(of: run, before: before) } }
    }

    func settleUndo(of run: RunID) async throws -> RunStatus {
        try await session.exclusive {
            try await session.transaction {
                let rows = try await session.rows(
                    "SELECT count(*)::int8 FROM audiosync_change WHERE run_id = $1 AND undone_at IS NULL",
                    PostgresBindings([run.rawValue]))
                let status: RunStatus = try rows[0].decode(Int64.self) == 0 ? .undone : .partiallyUndone
                try await session.execute(
                    "UPDATE audiosync_run SET status = $1 WHERE id = $2",
                    PostgresBindings([status.rawValue, run.rawValue]))
                return status
            }
        }
    }

    private func undoChanges(of run: RunID, before: Int64) async throws -> (UndoReport, Int64?) {
        var report = UndoReport()
        var last: Int64?
        let changes = try await session.rows(
            """
            SELECT id::int8, message_id::int8, old_conteudo, new_conteudo, applied_at FROM audiosync_change
            WHERE run_id = $1 AND undone_at IS NULL AND id < $2 ORDER BY id DESC LIMIT $3
            """, PostgresBindings([run.rawValue, before, Int64(session.options.batchSize)]))
        let now = UnixClock.now()
        for row in changes {
            let (id, message, old, new, applied) = try row.decode((Int64, Int64, String, String, Int64).self)
            last = id
            // The compare-and-swap: only a row that still holds exactly what the run wrote goes back.
            let restored = try await session.rows(
                """
                UPDATE core_mensagem SET conteudo = $1\(conteudoParameter)
                WHERE id = $2 AND conteudo = $3\(conteudoParameter) RETURNING id
                """, PostgresBindings([old, message, new]))
            guard restored.isEmpty else {
                try await session.execute(
                    "UPDATE audiosync_change SET undone_at = $1 WHERE id = $2",
                    PostgresBindings([max(now, applied), id]))
                report.restored += 1
                continue
            }
            let exists = try await session.rows(
                "SELECT 1 FROM core_mensagem WHERE id = $1", PostgresBindings([message]))
            if exists.isEmpty {
                report.missingRows.append(message)
            } else {
                report.changedSince.append(message)
            }
        }
        return (report, last)
    }
}
