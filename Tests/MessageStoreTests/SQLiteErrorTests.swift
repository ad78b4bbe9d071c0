import Foundation
import GRDB
import Logging
import MessageStore
import StoreFixtures
import Testing

/// Each way a SQLite location can be wrong gives one clear error and changes nothing.
@Suite struct SQLiteErrorTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "audiosync-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func open(_ path: String, _ options: MessageStoreOptions = MessageStoreOptions()) async throws
        -> any MessageDatabase
    {
        try await openMessageStore(location: path, options: options, logger: TestDatabase.logger)
    }

    /// SQLite may fail a waiting write's own I/O on a file deleted under it before it says the
    /// file moved (seen on a busy machine in `FaultTests`): the error says the file was deleted.
    @Test func aDiskErrorOnADeletedFileSaysItWasDeleted() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("gone.sqlite3").path
        let options = MessageStoreOptions()
        let gone = SQLiteMessageStore.mapError(DatabaseError(resultCode: .SQLITE_IOERR), path: path, options: options)
        #expect(gone as? MessageStoreError == .databaseMoved(database: path, replaced: false))
        // With the file in place, a disk error is one, as SQLite says it.
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let present = SQLiteMessageStore.mapError(
            DatabaseError(resultCode: .SQLITE_IOERR), path: path, options: options)
        guard case .database(let text) = present as? MessageStoreError else {
            Issue.record("\(present)")
            return
        }
        #expect(text.contains("I/O"), "\(text)")
    }

    @Test func aMissingFileIsReportedAndNotCreated() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("typo.sqlite3").path
        await #expect(throws: MessageStoreError.fileNotFound(path: path)) { try await Self.open(path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func aFolderOrAnotherFileIsNotADatabase() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(throws: MessageStoreError.notADatabase(path: folder.path)) { try await Self.open(folder.path) }
        let text = folder.appendingPathComponent("notes.txt")
        let bytes = Data(String(repeating: "not a database at all\n", count: 100).utf8)
        try bytes.write(to: text)
        await #expect(throws: MessageStoreError.notADatabase(path: text.path)) { try await Self.open(text.path) }
        #expect(try Data(contentsOf: text) == bytes)
    }

    @Test func aMissingTableOrColumnIsNamed() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("other.sqlite3").path
        let writer = try SQLiteSpecWriter.create(path: path)
        try await writer.close()
        let raw = try SQLiteRawConnection(path: path)
        try await raw.execute("DROP TABLE core_mensagem")
        await #expect(throws: MessageStoreError.missingTable("core_mensagem", database: path)) {
            try await Self.open(path)
        }
        try await raw.execute("CREATE TABLE core_mensagem (id INTEGER PRIMARY KEY, chat_id INTEGER, tipo TEXT)")
        await #expect(throws: MessageStoreError.missingColumn("message_id", table: "core_mensagem", database: path)) {
            try await Self.open(path)
        }
        try await raw.close()
    }

    @Test func aLockHeldLongerThanTheBusyTimeoutIsAClearError() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let path = try #require(db.path)
            let store = try await Self.open(path, MessageStoreOptions(busyTimeoutMilliseconds: 200))
            let load = try await store.loadAudioMessages(scope: .all)
            let run = try await store.beginRun(MessageStoreCompatTests.start)

            // The CRM in the middle of a long write transaction.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let crm = try DatabaseQueue(path: path, configuration: configuration)
            try await crm.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
            // The outcome, not the time it took: a busy machine stretches any wait.
            await #expect(throws: MessageStoreError.databaseLocked(database: path, timeoutMilliseconds: 200)) {
                try await store.apply([MessageStoreCompatTests.link(1)], against: load, run: run)
            }
            // A reader still gets through a RESERVED lock; an EXCLUSIVE one stops it too.
            _ = try await store.loadAudioMessages(scope: .all)
            try await crm.writeWithoutTransaction {
                try $0.execute(sql: "UPDATE core_mensagem SET remetente = 'x' WHERE id = 1")
            }
            try await crm.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
            try await crm.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
            await #expect(throws: MessageStoreError.databaseLocked(database: path, timeoutMilliseconds: 200)) {
                try await store.loadAudioMessages(scope: .all)
            }
            try await crm.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            try crm.close()

            // Nothing was written, and the store works once the lock is gone.
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_change") == 0)
            let report = try await store.apply([MessageStoreCompatTests.link(2)], against: load, run: run)
            #expect(report[.updated] == 1)
            try await store.close()
        }
    }

    @Test func writingToAReadOnlyStoreIsAClearErrorAndWritesNothing() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let path = try #require(db.path)
            let before = try await db.snapshot()
            let store = try await Self.open(path, MessageStoreOptions(readOnly: true))
            let load = try await store.loadAudioMessages(scope: .all)
            #expect(load.messages.count == 10, "8 JSON rows and 2 legacy captions")
            await #expect(throws: MessageStoreError.readOnly(database: path)) {
                try await store.beginRun(MessageStoreCompatTests.start)
            }
            await #expect(throws: MessageStoreError.readOnly(database: path)) {
                try await store.apply([MessageStoreCompatTests.link(1)], against: load, run: RunID(1))
            }
            try await store.close()
            #expect(try await db.snapshot() == before)
        }
    }

    @Test(
        .enabled(
            if: geteuid() != 0, "root writes through file permissions; the readOnly option test covers the mapping"))
    func aReadOnlyFileIsAClearError() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let path = try #require(db.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
            let store = try await Self.open(path)
            await #expect(throws: MessageStoreError.readOnly(database: path)) {
                try await store.beginRun(MessageStoreCompatTests.start)
            }
            try await store.close()
        }
    }

    @Test func everyDescriptionIsOneLineThatSaysWhatToDo() {
        let errors: [MessageStoreError] = [
            .fileNotFound(path: "/x.sqlite3"), .notADatabase(path: "/x"), .missingTable("core_chat", database: "/x"),
            .missingColumn("conteudo", table: "core_mensagem", database: "/x"),
            .databaseLocked(database: "/x", timeoutMilliseconds: 5000), .readOnly(database: "/x"),
            .invalidLocation("postgres://h/db", reason: "the URL names no user"),
            .connectionRefused(host: "127.0.0.1", port: 1), .authenticationFailed(user: "u", host: "h:1"),
            .passwordMissing(user: "u", host: "h:1", note: "password file \"/h/.pgpass\" has group or world access"),
            .tlsUnavailable(host: "h:1", sslMode: "require"),
            .tlsFailed(host: "h:1", sslMode: "verify-full", reason: "handshakeFailed"),
            .syncLocked(database: "/x", holder: "sync, pid 12 on web1, since 2026-12-02 01:00:00 UTC"),
            .databaseMissing(name: "crm", host: "h:1"), .unknownRun(RunID(7)),
            .runNotRunning(RunID(7), status: .undone),
            .unknownClient("Ana"), .ambiguousClient("Jose", ids: [2, 3]), .unknownInstance("I"),
            .invalidChanges("row 1 appears more than once"), .database("disk I/O error\nsecond line"),
        ]
        for error in errors {
            let text = error.description
            #expect(!text.isEmpty && !text.contains("\n"), "\(text)")
            #expect(text.contains(":"), "says what to do: \(text)")
        }
    }
}
