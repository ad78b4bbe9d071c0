import Foundation
import MessageStore
import Testing

/// Each way a PostgreSQL location can be wrong gives one clear error. Needs the test server (see
/// `scripts/with-postgres.sh`), except for what needs no server at all.
@Suite struct PostgresErrorTests {
    static func open(_ url: String, _ options: MessageStoreOptions = MessageStoreOptions()) async throws
        -> any MessageDatabase
    {
        try await openMessageStore(location: url, options: options, logger: TestDatabase.logger)
    }

    static func server(password: String? = nil, database: String? = nil) throws -> (String, URLComponents) {
        let server = try #require(Backend.postgresURL)
        var components = try #require(URLComponents(string: server))
        if let password { components.password = password }
        if let database { components.path = "/" + database }
        return (components.string!, components)
    }

    @Test func nothingListeningIsConnectionRefused() async throws {
        await #expect(throws: MessageStoreError.connectionRefused(host: "127.0.0.1", port: 1)) {
            try await Self.open("postgres://audiosync:secret@127.0.0.1:1/crm")
        }
    }

    @Test func aURLWithoutUserOrDatabaseIsInvalid() async throws {
        await #expect(throws: MessageStoreError.self) { try await Self.open("postgres://127.0.0.1:5432/crm") }
        await #expect(throws: MessageStoreError.self) { try await Self.open("postgres://u:p@127.0.0.1:5432/") }
    }

    @Test func aMistypedSchemeIsNamedNotTakenForAMissingFile() async throws {
        do {
            _ = try await Self.open("postgress://u:secret@127.0.0.1/crm")
            Issue.record("opened")
        } catch let error as MessageStoreError {
            guard case .invalidLocation(let shown, let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(shown == "postgress://u:***@127.0.0.1/crm")
            #expect(reason.contains("postgress"))
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func aWrongPasswordIsAuthenticationFailed() async throws {
        let (url, components) = try Self.server(password: "wrong")
        await #expect(
            throws: MessageStoreError.authenticationFailed(
                user: components.user!, host: "\(components.host!):\(components.port!)")
        ) { try await Self.open(url) }
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func anUnknownDatabaseIsDatabaseMissing() async throws {
        let (url, components) = try Self.server(database: "no_such_crm")
        await #expect(
            throws: MessageStoreError.databaseMissing(
                name: "no_such_crm", host: "\(components.host!):\(components.port!)")
        ) { try await Self.open(url) }
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func aDatabaseWithoutTheTablesIsNamed() async throws {
        try await TestDatabase.with(.postgres) { db in
            try await db.raw.execute("DROP TABLE core_mensagem")
            await #expect(throws: MessageStoreError.self) { try await db.open() }
            do {
                _ = try await db.open()
            } catch let error as MessageStoreError {
                guard case .missingTable("core_mensagem", _) = error else {
                    Issue.record("expected missingTable, got \(error)")
                    return
                }
            }
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func aRowLockedLongerThanTheTimeoutIsAClearError() async throws {
        try await TestDatabase.with(.postgres) { db in
            let store = try await db.open(MessageStoreOptions(busyTimeoutMilliseconds: 200))
            let load = try await store.loadAudioMessages(scope: .all)
            let run = try await store.beginRun(MessageStoreCompatTests.start)
            try await db.raw.execute("BEGIN")
            try await db.raw.execute("SELECT id FROM core_mensagem WHERE id = 1 FOR UPDATE")
            await #expect(
                throws: MessageStoreError.databaseLocked(database: store.displayLocation, timeoutMilliseconds: 200)
            ) {
                try await store.apply([MessageStoreCompatTests.link(1)], against: load, run: run)
            }
            try await db.raw.execute("ROLLBACK")
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_change") == 0)
            let report = try await store.apply([MessageStoreCompatTests.link(1)], against: load, run: run)
            #expect(report[.updated] == 1)
            try await store.close()
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, Comment(rawValue: Backend.skipMessage)))
    func writingToAReadOnlyStoreIsAClearError() async throws {
        try await TestDatabase.with(.postgres) { db in
            let before = try await db.snapshot()
            let store = try await db.open(MessageStoreOptions(readOnly: true))
            let loaded = try await store.loadAudioMessages(scope: .all).messages.count
            #expect(loaded == 10, "8 JSON rows and 2 legacy captions")
            await #expect(throws: MessageStoreError.readOnly(database: store.displayLocation)) {
                try await store.beginRun(MessageStoreCompatTests.start)
            }
            try await store.close()
            #expect(try await db.snapshot() == before)
        }
    }
}
