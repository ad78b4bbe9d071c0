import MessageStore

/// Plays the CRM in the middle of a run's write phase. After each batch the store commits and before
/// the next one begins (``MessageStoreOptions/afterBatch``), on the test's own connection, it edits
/// the `conteudo` of the last row written and of a row the next batch is about to write, changes
/// another column and inserts a row; and it notes how many changes the journal held as it wrote, which
/// shows that it wrote between two of the run's batches, not before or after the run.
actor CRMBetweenBatches {
    struct Edit: Sendable {
        var row: Int64
        /// The `"crm": <mark>` the edit put in the row (``CRMEdit``).
        var mark: Int
        /// Whether the run had yet to write the row, so that its change must be skipped.
        var beforeOurWrite: Bool
        /// Changes in the journal when the CRM wrote.
        var journalled: Int64
    }

    private let backend: Backend
    private let raw: any RawConnection
    /// The rows the run changes, in the order it writes them.
    private let rows: [Int64]
    private let batchSize: Int
    private(set) var edits: [Edit] = []

    init(backend: Backend, raw: any RawConnection, rows: [Int64], batchSize: Int) {
        precondition(batchSize > 1, "a batch needs a row besides its last")
        self.backend = backend
        self.raw = raw
        self.rows = rows
        self.batchSize = batchSize
    }

    func write(afterBatch committed: Int) async throws {
        let journalled = try await raw.integer("SELECT count(*) FROM audiosync_change") ?? 0
        let written = min(committed * batchSize, rows.count)
        var targets = [(row: rows[written - 1], pending: false)]
        // A row of the next batch, at another place each time but never its last (edited afterwards).
        let next = written + committed % (batchSize - 1)
        if next < rows.count { targets.append((rows[next], true)) }
        for target in targets {
            let mark = edits.count + 1
            try await CRMEdit.mark(target.row, mark, backend: backend, raw)
            edits.append(Edit(row: target.row, mark: mark, beforeOurWrite: target.pending, journalled: journalled))
        }
        try await raw.execute(
            "UPDATE core_mensagem SET remetente = ? WHERE id = ?", [.text("crm\(committed)"), .int(rows[written - 1])])
        try await raw.execute(
            "INSERT INTO core_mensagem (id, chat_id, message_id, tipo, conteudo, data_envio, from_me) "
                + "VALUES (?, 100, ?, 'audio', \(backend == .postgresJSONB ? "?::jsonb" : "?"), "
                + "'2025-08-12 10:00:00', \(backend.isPostgres ? "false" : "0"))",
            [.int(Int64(20_000 + committed)), .text("NEW\(committed)"), .text(Fixture.conteudo())])
    }
}
