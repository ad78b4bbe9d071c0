import Testing

/// The journal's promise: every change not undone is what its row holds now (unless a later change
/// of the same row replaced it).
enum JournalCheck {
    static func consistent(_ db: TestDatabase, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let current = try await db.raw.allConteudo()
        var latest: [Int64: String] = [:]
        for (message, new) in try await db.raw.journal() { latest[message] = new }
        for (message, new) in latest {
            #expect(
                current[message] ?? nil == new, "journal and row \(message) disagree", sourceLocation: sourceLocation)
        }
    }
}

/// A trigger that fails the update of one row, standing in for a crash in the middle of a batch.
enum FailureTrigger {
    static func install(on row: Int64, _ db: TestDatabase) async throws {
        if db.backend.isPostgres {
            try await db.raw.execute(
                """
                CREATE FUNCTION audiosync_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.id = \(row) THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$
                """)
            try await db.raw.execute(
                "CREATE TRIGGER audiosync_test_fail BEFORE UPDATE ON core_mensagem FOR EACH ROW "
                    + "EXECUTE FUNCTION audiosync_test_fail()")
        } else {
            try await db.raw.execute(
                "CREATE TRIGGER audiosync_test_fail BEFORE UPDATE OF conteudo ON core_mensagem WHEN NEW.id = \(row) "
                    + "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END")
        }
    }

    static func remove(_ db: TestDatabase) async throws {
        try await db.raw.execute(
            db.backend.isPostgres
                ? "DROP TRIGGER audiosync_test_fail ON core_mensagem" : "DROP TRIGGER audiosync_test_fail")
    }
}

/// What the CRM does to a row: one atomic update of `conteudo` computed from its current value (so a
/// link written before it survives), adding a top-level `"crm": <mark>`.
enum CRMEdit {
    static func mark(_ row: Int64, _ mark: Int, backend: Backend, _ raw: any RawConnection) async throws {
        if backend == .postgresJSONB {
            try await raw.execute(
                "UPDATE core_mensagem SET conteudo = conteudo || jsonb_build_object('crm', ?::int8) WHERE id = ?",
                [.int(Int64(mark)), .int(row)])
        } else {
            try await raw.execute(
                "UPDATE core_mensagem SET conteudo = replace(conteudo, '\"messageTimestamp\"', "
                    + "'\"crm\": ' || ? || ', \"messageTimestamp\"') WHERE id = ?",
                [.text(String(mark)), .int(row)])
        }
    }
}
