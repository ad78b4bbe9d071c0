import Foundation
import MatchEngine
import MessageStore
import StoreFixtures
import Testing

/// One body per behaviour, run against every backend: a SQLite file, and PostgreSQL with `conteudo`
/// as `text` and as `jsonb`. Nothing is mocked: each case gets a fresh database.
@Suite struct MessageStoreCompatTests {
    static let path =
        "Elizeu_Batiliere_Dos_Santos/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344/msg_3EB01AAA_20250811_110317.ogg"

    /// The engine's change linking row `rowID` to `path`, with the default `localUrl`.
    static func link(_ rowID: Int64, path: String = path) -> ChangeSet.Change {
        ChangeSet.Change(
            messageRowID: rowID,
            action: .link(localPath: path, localUrl: MatchPlan.url(MatchPlan.defaultURLTemplate, rowID)))
    }

    static let finished = RunSummary(files: 0, links: 0, reviews: 0, written: 0, unchanged: 0, changedSinceRead: 0)

    static let start = RunStart(
        command: "sync", mediaRoot: "/srv/media", options: RunOptions(mediaRoot: "/srv/media", profile: "test"),
        toolVersion: "test")

    /// Says visibly when the PostgreSQL cases did not run; under CI they run and fail without a server.
    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func postgresServerIsGiven() {
        #expect(Backend.postgresURL != nil, Comment(rawValue: Backend.skipMessage))
    }

    // MARK: Reading

    @Test(arguments: Backend.testable)
    func loadsEveryOddShape(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            try await store.close()

            // 4 (`[Áudio]`) and 8 (the same caption as a JSON string) are legacy placeholders: loaded,
            // with nothing but chat, sender and time; 7 (cut-off JSON) stays unusable.
            let jsonb = backend == .postgresJSONB
            #expect(
                load.messages.map(\.rowID)
                    == (jsonb ? [1, 2, 3, 8, 9, 10, 11, 13, 15] : [1, 2, 3, 4, 8, 9, 10, 11, 13, 15]))
            var unusable: [UnusableReason: Int] = [.nonJSON: 1, .noAudioMessage: 1, .emptyConteudo: 1]
            if backend == .sqlite { unusable[.badDataEnvio] = 1 }
            if jsonb { unusable[.nonJSON] = nil }
            #expect(load.report.unusable == unusable)
            #expect(load.report.unusableExamples[.nonJSON] == (jsonb ? nil : [7]))
            #expect(load.report.rowsRead == Fixture.messages(for: backend).filter { $0.kind == "audio" }.count)
            #expect(load.report.loaded == (jsonb ? 9 : 10))
            #expect(load.report.placeholderRows == (jsonb ? 1 : 2))
            let placeholder = try #require(load.messages.first { $0.rowID == 8 })
            #expect(
                placeholder.whatsappID == "3EB08" && placeholder.sentTime == nil && placeholder.declaredSeconds == nil)
            #expect(placeholder.fileSHA256 == nil && placeholder.fileLength == nil && placeholder.mimetype == nil)
            #expect(load.report.invalidFields == ["audioMessage.seconds": 1, "audioMessage.fileSha256": 1])

            let byID = Dictionary(uniqueKeysWithValues: load.messages.map { ($0.rowID, $0) })
            let first = try #require(byID[1])
            #expect(
                first
                    == AudioMessage(
                        rowID: 1, clientID: 1, clientName: "Elizeu Batiliere Dos Santos",
                        instanceID: "3B6XIW-ZTS923-GEAY6V", chatRowID: 100, chatID: "556999267344@s.whatsapp.net",
                        whatsappID: "3EB01", sender: "556999267344@s.whatsapp.net", fromMe: false,
                        insertTime: Fixture.time + 1, sentTime: Fixture.time, declaredSeconds: 7, fileLength: 18342,
                        fileSHA256: ContentDigest(base64: Fixture.sha), mimetype: "audio/ogg; codecs=opus"))
            #expect(byID[2]?.whatsappID == "KEY-ID" && byID[2]?.fromMe == true)
            #expect(byID[2]?.insertTime == DataEnvioText.unix("2025-08-11 11:05:00"))
            #expect(byID[3]?.whatsappID == "KEY-ID")
            #expect(byID[9]?.fileLength == 18342 && byID[9]?.declaredSeconds == 2 && byID[9]?.sentTime == Fixture.time)
            #expect(byID[9]?.clientName == "José Ávila" && byID[9]?.instanceID == "7QK2PL-AAAAAA-BBBBBB")
            #expect(byID[10]?.localPath == "Jose_Avila/instance_7QK2PL-AAAAAA-BBBBBB/chats/5569/a.ogg")
            #expect(
                byID[11]?.instanceID == nil && byID[11]?.declaredSeconds == nil && byID[11]?.mimetype == "audio/mpeg")
            #expect(byID[13]?.declaredSeconds == 12 && byID[13]?.whatsappID == "3EB013")

            // Fingerprints are of the text as the database gives it back.
            let texts = try await db.raw.allConteudo()
            for message in load.messages {
                let text = try #require(texts[message.rowID] ?? nil)
                #expect(load.fingerprint(ofRow: message.rowID) == ContentFingerprint(text))
            }
            #expect(load.fingerprint(ofRow: 7) == nil)
        }
    }

    @Test(arguments: Backend.testable)
    func restrictsToAClientOrAnInstance(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            func rows(_ scope: MessageScope) async throws -> [Int64] {
                try await store.loadAudioMessages(scope: scope).messages.map(\.rowID)
            }
            // 4 and 8 are legacy captions of chat 100 (4 cannot be stored in a jsonb column).
            let first = backend == .postgresJSONB ? [1, 2, 3, 8, 13] : [1, 2, 3, 4, 8, 13] as [Int64]
            #expect(try await rows(MessageScope(client: .id(1))) == first)
            #expect(try await rows(MessageScope(client: .name("elizeu_batiliere_dos_santos"))) == first)
            #expect(try await rows(MessageScope(client: .name("  ELIZEU  Batiliere dos Santos "))) == first)
            #expect(try await rows(MessageScope(client: .id(2))) == [9, 10, 11, 15])
            // An instance's rows, and its client's in chat 103, which names no instance: a plan puts
            // them beside every instance of the client.
            #expect(try await rows(MessageScope(instanceID: "7QK2PL-AAAAAA-BBBBBB")) == [9, 10, 11, 15])
            #expect(
                try await rows(MessageScope(client: .id(2), instanceID: "7QK2PL-AAAAAA-BBBBBB")) == [9, 10, 11, 15])
            #expect(try await rows(MessageScope(client: .id(1), instanceID: "7QK2PL-AAAAAA-BBBBBB")) == [])
            // A watch reads the rows after the highest it has read, in any scope.
            #expect(try await rows(MessageScope(afterRowID: 9)) == [10, 11, 13, 15])
            #expect(
                try await rows(MessageScope(client: .id(1), afterRowID: 3))
                    == (backend == .postgresJSONB ? [8, 13] : [4, 8, 13]))
            #expect(try await rows(MessageScope(afterRowID: 15)) == [])
            await #expect(throws: MessageStoreError.ambiguousClient("Jose_Avila", ids: [2, 3])) {
                try await rows(MessageScope(client: .name("Jose_Avila")))
            }
            await #expect(throws: MessageStoreError.unknownClient("Nobody")) {
                try await rows(MessageScope(client: .name("Nobody")))
            }
            await #expect(throws: MessageStoreError.unknownClient("99")) {
                try await rows(MessageScope(client: .id(99)))
            }
            await #expect(throws: MessageStoreError.unknownInstance("NOPE")) {
                try await rows(MessageScope(instanceID: "NOPE"))
            }
            #expect(try await store.clients().map(\.id) == [1, 2, 3])
            #expect(try await store.instances().map(\.instanceID) == Fixture.instances.map(\.instanceID))
            let status = try await store.status(scope: .all)
            let load = try await store.loadAudioMessages(scope: .all)
            #expect(status.audioRows == load.report.rowsRead && status.report == load.report)
            #expect(status.audioMessages == (backend == .postgresJSONB ? 9 : 10) && status.withLocalPath == 1)
            #expect(
                status.claims == [
                    LinkClaim(rowID: 10, localPath: "Jose_Avila/instance_7QK2PL-AAAAAA-BBBBBB/chats/5569/a.ogg")
                ])
            #expect(try await store.status(scope: MessageScope(client: .id(1))).claims == [])
            try await store.close()
        }
    }

    /// What a sync taking additions compares (``RowsSum``): the rows up to an id summed, unchanged by
    /// rows added after it, changed by an edit below it, and adding up with the sum of the rows after.
    @Test(arguments: Backend.testable)
    func rowsSumThroughAnID(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let before = try await store.audioRowsFingerprint(scope: .all, sumThrough: 9)
            let sum = try #require(before.sum)
            #expect(sum.through == 9 && sum.rows > 0 && sum.rows < before.rows)
            let whole = try #require(try await store.audioRowsFingerprint(scope: .all, sumThrough: .max).sum)
            #expect(whole.rows == before.rows)
            let after = try #require(
                try await store.audioRowsFingerprint(scope: MessageScope(afterRowID: 9), sumThrough: .max).sum)
            // Sums of disjoint ranges add up (the same hash a row on both sides of the id).
            #expect(sum.sum &+ after.sum == whole.sum && sum.rows + after.rows == whole.rows)
            #expect(try await store.audioRowsFingerprint(scope: .all).sum == nil)

            // A row added above the id leaves the sum through it; an edit below it does not.
            try await db.raw.execute(
                """
                INSERT INTO core_mensagem (id, chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me)
                SELECT 1000, chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me
                FROM core_mensagem WHERE id = 1
                """)
            let added = try await store.audioRowsFingerprint(scope: .all, sumThrough: 9)
            #expect(added.sum == sum && added.digest != before.digest && added.chats == before.chats)
            try await db.raw.execute("UPDATE core_mensagem SET message_id = 'EDITED' WHERE id = 2")
            #expect(try await store.audioRowsFingerprint(scope: .all, sumThrough: 9).sum != sum)
            try await store.close()
        }
    }

    // MARK: Writing

    @Test(arguments: Backend.testable)
    func writesWithCompareAndSwap(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            // The CRM edits row 2 and deletes row 3 after the load.
            try await db.raw.execute(
                backend == .postgresJSONB
                    ? "UPDATE core_mensagem SET conteudo = conteudo || '{\"crm\": 1}'::jsonb WHERE id = 2"
                    : "UPDATE core_mensagem SET conteudo = replace(conteudo, '\"ptt\": true', '\"ptt\": false') WHERE id = 2"
            )
            try await db.raw.execute("DELETE FROM core_mensagem WHERE id = 3")
            let crmText = try await db.raw.conteudo(2)
            let row5 = try #require(try await db.raw.conteudo(5))
            // Row 5 has no audioMessage: the loader refuses it, so the editor's own refusal is reached
            // only by a load that pretends to have read it.
            let read = load.pretending(toHaveRead: 5, as: row5)
            let changes = [
                Self.link(1), Self.link(2), Self.link(3), Self.link(13), Self.link(5, path: "a/b.ogg"),
            ]
            let preview = try await store.preview(changes, against: read)
            let run = try await store.beginRun(Self.start)
            let report = try await store.apply(changes, against: read, run: run)
            #expect(preview == report.withoutBatches)
            #expect(report.counts == [.updated: 2, .changedSinceRead: 1, .missingRow: 1, .notEditable: 1])
            #expect(report.skipped.map(\.rowID) == [2, 3, 5])
            #expect(report.skipped.map(\.outcome) == [.changedSinceRead, .missingRow, .notEditable])

            // The CRM's edit survived; our links landed.
            #expect(try await db.raw.conteudo(2) == crmText)
            let reloaded = try await store.loadAudioMessages(scope: .all)
            let paths = Dictionary(uniqueKeysWithValues: reloaded.messages.map { ($0.rowID, $0.localPath) })
            #expect(paths[1] == Self.path && paths[13] == Self.path && paths[2] == .some(nil))

            // The same change again finds the value there.
            let again = try await store.apply([Self.link(1)], against: reloaded, run: run)
            #expect(again.counts == [.unchanged: 1])
            let summary = RunSummary(files: 9, links: 5, reviews: 1, written: 2, unchanged: 1, changedSinceRead: 1)
            try await store.finishRun(run, status: .finished, summary: summary)
            let runs = try await store.runs()
            #expect(runs.count == 1)
            #expect(runs.first?.status == .finished && runs.first?.changes == 2)
            #expect(runs.first?.mediaRoot == "/srv/media" && runs.first?.finishedAt != nil)
            // The journal's JSON: the keys it always had, and it reads back as the values written.
            #expect(
                runs.first?.summary
                    == #"{"changed_since_read":1,"files":9,"links":5,"reviews":1,"unchanged":1,"written":2}"#)
            #expect(try JournalText.decode(RunSummary.self, runs.first?.summary) == summary)
            #expect(
                runs.first?.options
                    == #"{"media_root":"\/srv\/media","profile":"test","repair":false,"url_template":"\/api\/audio\/hash-mapping\/{id}\/"}"#
            )
            #expect(try JournalText.decode(RunOptions.self, runs.first?.options) == Self.start.options)
            try await JournalCheck.consistent(db)
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func keepsEveryOtherKeyAndTheKeyOrder(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            let before = try #require(try await db.raw.conteudo(1))
            let run = try await store.beginRun(Self.start)
            _ = try await store.apply([Self.link(1)], against: load, run: run)
            let after = try #require(try await db.raw.conteudo(1))
            if backend.keepsText {
                let insertion = ", \"localPath\": \"\(Self.path)\", \"localUrl\": \"/api/audio/hash-mapping/1/\""
                let anchor = try #require(before.range(of: "}, \"messageTimestamp\""))
                #expect(after == before.replacingCharacters(in: anchor.lowerBound..<anchor.lowerBound, with: insertion))
            }
            var old = try JSONSerialization.jsonObject(with: Data(before.utf8)) as! [String: Any]
            var new = try JSONSerialization.jsonObject(with: Data(after.utf8)) as! [String: Any]
            var newAudio = new["audioMessage"] as! [String: Any]
            #expect(newAudio["localPath"] as? String == Self.path)
            #expect(newAudio["localUrl"] as? String == "/api/audio/hash-mapping/1/")
            newAudio["localPath"] = nil
            newAudio["localUrl"] = nil
            new["audioMessage"] = newAudio
            #expect(try JSONCanonical.text(old) == JSONCanonical.text(new))
            old = [:]
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func undoRestoresEveryRowExactly(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let original = try await db.raw.allConteudo()
            let load = try await store.loadAudioMessages(scope: .all)
            var changes = load.messages.filter { $0.localPath == nil }.map { Self.link($0.rowID) }
            changes.append(ChangeSet.Change(messageRowID: 10, action: .unlink, reason: .repair))
            let run = try await store.beginRun(Self.start)
            // Every loaded row without a link (the legacy captions 4 and 8 included) and one unlink.
            let count = backend == .postgresJSONB ? 9 : 10
            #expect(changes.count == count)
            let report = try await store.apply(changes, against: load, run: run)
            #expect(report[.updated] == count)
            try await store.finishRun(run, status: .finished, summary: Self.finished)
            #expect(try await db.raw.allConteudo() != original)
            try await JournalCheck.consistent(db)
            // A caption became an object that keeps it, and loads as a linked message.
            let relinked = try await store.loadAudioMessages(scope: .all)
            #expect(relinked.messages.first { $0.rowID == 8 }?.localPath == Self.path)
            if backend.keepsText {
                #expect(
                    try await db.raw.conteudo(4)
                        == #"{"audioMessage": {"localPath": "\#(Self.path)", "localUrl": "/api/audio/hash-mapping/4/"}, "#
                        + #""legacyText": "[Áudio]"}"#)
            }

            let undo = try await store.undo(run: run)
            #expect(undo.restored == count && undo.changedSince.isEmpty && undo.status == .undone)
            #expect(try await db.raw.allConteudo() == original)
            let twice = try await store.undo(run: run)
            #expect(twice.restored == 0 && twice.alreadyUndone == count && twice.status == .undone)
            #expect(try await db.raw.allConteudo() == original)
            let record = try #require(try await store.runs().first)
            #expect(record.status == .undone && record.changes == count && record.undone == count)
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func undoLeavesRowsChangedSince(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            let original13 = try await db.raw.conteudo(13)
            let run = try await store.beginRun(Self.start)
            _ = try await store.apply([Self.link(1), Self.link(13)], against: load, run: run)
            try await store.finishRun(run, status: .finished, summary: Self.finished)
            try await db.raw.execute(
                backend == .postgresJSONB
                    ? "UPDATE core_mensagem SET conteudo = conteudo || '{\"crm\": 2}'::jsonb WHERE id = 1"
                    : "UPDATE core_mensagem SET conteudo = replace(conteudo, '\"ptt\": true', '\"ptt\": false') WHERE id = 1"
            )
            let crmText = try await db.raw.conteudo(1)
            // The dry run of the undo: what it would restore and leave, writing nothing.
            let before = try await db.snapshot()
            let preview = try await store.undoPreview(run: run)
            #expect(preview.restore.map(\.messageID) == [13] && preview.changedSince == [1])
            #expect(
                preview.restore.first?.localPathNow == Self.path && preview.restore.first?.localPathAfter != Self.path)
            #expect(try await db.snapshot() == before)
            await #expect(throws: MessageStoreError.unknownRun(RunID(42))) {
                try await store.undoPreview(run: RunID(42))
            }
            let undo = try await store.undo(run: run)
            #expect(undo.restored == 1 && undo.changedSince == [1] && undo.status == .partiallyUndone)
            #expect(try await db.raw.conteudo(1) == crmText)
            #expect(try await db.raw.conteudo(13) == original13)
            #expect(try await store.runs().first?.status == .partiallyUndone)
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func refusesUnknownRunsAndBadListsWithoutWriting(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            let before = try await db.snapshot()
            await #expect(throws: MessageStoreError.unknownRun(RunID(42))) { try await store.undo(run: RunID(42)) }
            await #expect(throws: MessageStoreError.unknownRun(RunID(42))) {
                try await store.apply([Self.link(1)], against: load, run: RunID(42))
            }
            await #expect(throws: MessageStoreError.unknownRun(RunID(42))) {
                try await store.apply([], against: load, run: RunID(42))
            }
            await #expect(throws: MessageStoreError.unknownRun(RunID(42))) {
                try await store.finishRun(RunID(42), status: .finished, summary: Self.finished)
            }
            #expect(try await store.runs().isEmpty)
            await #expect(throws: MessageStoreError.self) {
                try await store.preview([Self.link(1), Self.link(1)], against: load)
            }
            // Nothing above created the journal or changed a row.
            #expect(try await db.snapshot() == before)

            let run = try await store.beginRun(Self.start)
            await #expect(throws: MessageStoreError.invalidChanges("row 1 appears more than once")) {
                try await store.apply([Self.link(1), Self.link(1)], against: load, run: run)
            }
            await #expect(throws: MessageStoreError.self) {
                try await store.apply([Self.link(1, path: "/abs/path.ogg")], against: load, run: run)
            }
            // Row 7 is cut-off JSON, so the load has no text to compare it with: no change can be made to it.
            await #expect(
                throws: MessageStoreError.invalidChanges(
                    "row 7 is not among the loaded messages the changes were planned from")
            ) {
                try await store.apply([Self.link(7)], against: load, run: run)
            }
            #expect(try await store.runs().first?.changes == 0)
            #expect(try await db.raw.conteudo(1) == Fixture.messages[0].conteudo || !backend.keepsText)
            try await store.finishRun(run, status: .finished, summary: Self.finished)
            await #expect(throws: MessageStoreError.runNotRunning(run, status: .finished)) {
                try await store.apply([Self.link(1)], against: load, run: run)
            }
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func dryRunChangesNothing(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let before = try await db.snapshot()
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            let preview = try await store.preview(load.messages.map { Self.link($0.rowID) }, against: load)
            #expect(preview[.updated] == (backend == .postgresJSONB ? 9 : 10))
            _ = try await store.status(scope: MessageScope(client: .id(1)))
            _ = try await store.runs()
            _ = try await store.clients()
            try await store.close()
            #expect(try await db.snapshot() == before)
        }
    }

    /// `watch` polls the highest row id to notice new messages: any row counts (audio or not), and
    /// an insert moves it.
    @Test(arguments: Backend.testable)
    func highestMessageRowIDFollowsInserts(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let store = try await db.open()
            let before = try await store.highestMessageRowID()
            #expect(before == (try await db.raw.integer("SELECT max(id) FROM core_mensagem")))
            let writer = try await db.writer()
            try await writer.insert(messages: Fixture.bulk(from: 5000, count: 3))
            try await writer.close()
            #expect(try await store.highestMessageRowID() == 5002)
            try await store.close()
        }
    }

    // MARK: Crashes and concurrency

    @Test(arguments: Backend.testable)
    func aFailedBatchLeavesRowsAndJournalConsistent(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let writer = try await db.writer()
            try await writer.insert(messages: Fixture.bulk(from: 1000, count: 400))
            try await writer.close()
            let original = try await db.raw.allConteudo()
            // A failure in the middle of the fifth batch stands in for a crash: its transaction never commits.
            try await FailureTrigger.install(on: 1220, db)
            let store = try await db.open(MessageStoreOptions(batchSize: 50))
            let load = try await store.loadAudioMessages(scope: .all)
            let changes = (1000..<1400).map { Self.link(Int64($0)) }
            let run = try await store.beginRun(Self.start)
            await #expect(throws: MessageStoreError.self) { try await store.apply(changes, against: load, run: run) }

            let now = try await db.raw.allConteudo()
            for id in Int64(1000)..<1400 {
                if id < 1200 {
                    #expect(now[id] != original[id], "row \(id) of a committed batch")
                } else {
                    #expect(now[id] == original[id], "row \(id) of the failed or later batches")
                }
            }
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_change") == 200)
            try await JournalCheck.consistent(db)

            // A later run completes the work.
            try await FailureTrigger.remove(db)
            let reload = try await store.loadAudioMessages(scope: .all)
            let retry = try await store.beginRun(Self.start)
            let report = try await store.apply(changes, against: reload, run: retry)
            #expect(report.counts == [.updated: 200, .unchanged: 200])
            try await JournalCheck.consistent(db)
            try await store.close()
        }
    }

    @Test(arguments: Backend.testable)
    func aConcurrentWriterLosesNothing(backend: Backend) async throws {
        try await TestDatabase.with(backend) { db in
            let seed = try await db.writer()
            try await seed.insert(messages: Fixture.bulk(from: 5000, count: 1500))
            try await seed.close()
            let original = try await db.raw.allConteudo()
            let rows = (Int64(5000)..<6500).map { $0 }
            let crm = CRMBetweenBatches(backend: db.backend, raw: db.raw, rows: rows, batchSize: 25)
            var options = MessageStoreOptions(batchSize: 25)
            options.afterBatch = { committed in try await crm.write(afterBatch: committed) }
            let store = try await db.open(options)
            let load = try await store.loadAudioMessages(scope: .all)
            let run = try await store.beginRun(Self.start)
            let report = try await store.apply(rows.map { Self.link($0) }, against: load, run: run)
            try await store.finishRun(run, status: .finished, summary: Self.finished)
            let edits = await crm.edits

            // The CRM wrote between the run's first and its last batch: the journal held some of the
            // run's changes and not yet all when it did, also to rows the run had yet to write.
            let written = Int64(report[.updated])
            let during = edits.filter { $0.journalled > 0 && $0.journalled < written }
            #expect(report.batches == 60 && edits.count == 119)
            #expect(during.contains { $0.beforeOurWrite } && during.contains { !$0.beforeOurWrite })

            let now = try await db.raw.allConteudo()
            let skipped = Set(report.skipped.map(\.rowID))
            let latest = Dictionary(edits.map { ($0.row, $0.mark) }, uniquingKeysWith: { max($0, $1) })
            #expect(skipped == Set(edits.filter(\.beforeOurWrite).map(\.row)), "skipped exactly the rows changed since")
            #expect(report.skipped.allSatisfy { $0.outcome == .changedSinceRead })
            #expect(report[.updated] == rows.count - skipped.count)
            for id in rows {
                let text = try #require(now[id] ?? nil)
                if let mark = latest[id] {
                    #expect(text.contains("\"crm\": \(mark)"), "the CRM's write to row \(id) survived")
                }
                if skipped.contains(id) {
                    #expect(!text.contains("localPath"), "row \(id) skipped yet linked")
                } else {
                    #expect(text.contains("localPath"), "row \(id) updated yet not linked")
                    if latest[id] == nil, backend.keepsText {
                        #expect(text.hasPrefix(String(original[id]!!.prefix(40))))
                    }
                }
            }
            #expect(try await db.raw.integer("SELECT count(*) FROM core_mensagem WHERE id > 20000") == 60)
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_change") == written)
            try await store.close()
        }
    }

    // MARK: The bulk writer

    @Test(arguments: Backend.testable)
    func bulkWriterInsertsEveryRowAsGiven(backend: Backend) async throws {
        try await TestDatabase.with(backend, fixture: false) { db in
            let writer = try await db.writer()
            try await writer.insert(clients: Fixture.clients)
            try await writer.insert(instances: Fixture.instances)
            try await writer.insert(chats: Fixture.chats)
            let odd = SpecMessage(
                id: 1, chatRowID: 100, messageID: "tab\there\\back\nline", sender: nil, kind: "audio",
                conteudo: Fixture.conteudo(extra: #", "note": "tab\there, é😀""#), dataEnvio: "2025-08-11 11:03:17",
                fromMe: true)
            try await writer.insert(messages: [odd] + Fixture.bulk(from: 2, count: 5000))
            try await writer.close()
            #expect(try await db.raw.integer("SELECT count(*) FROM core_mensagem") == 5001)
            let store = try await db.open()
            let load = try await store.loadAudioMessages(scope: .all)
            #expect(load.messages.count == 5001)
            #expect(load.messages[0].whatsappID == "tab\there\\back\nline" && load.messages[0].fromMe)
            #expect(load.messages[0].insertTime == Fixture.time)
            if backend.keepsText { #expect(try await db.raw.conteudo(1) == odd.conteudo) }
            try await store.close()
        }
    }
}

extension ApplyReport {
    /// The report without its transaction count (a preview commits none).
    var withoutBatches: ApplyReport {
        var copy = self
        copy.batches = 0
        return copy
    }
}

/// Unix seconds of a `data_envio` text, for expectations.
enum DataEnvioText {
    static func unix(_ text: String) -> Int64 {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
        return LocalTime(
            year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])!
            .secondsSinceEpoch
    }
}

/// One canonical text per JSON value.
enum JSONCanonical {
    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
