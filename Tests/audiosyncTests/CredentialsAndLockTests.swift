import Evaluation
import Foundation
import GRDB
import Logging
import MessageStore
import PostgresNIO
import Testing

/// Through the built binary: the database from the environment (`AUDIOSYNC_DATABASE`,
/// `DATABASE_URL`), and one writer at a time (the write lock), on SQLite. The PostgreSQL half is
/// ``PostgresCredentialsAndLockTests``.
@Suite(.serialized)
struct CredentialsAndLockTests {
    static let logger = Logger(label: "audiosync.CredentialsAndLockTests")

    /// The variables that would otherwise leak in from the machine running the tests.
    static let clean: [String: String?] = [
        "AUDIOSYNC_DATABASE": nil, "DATABASE_URL": nil, "PGPASSWORD": nil, "PGPASSFILE": nil, "PGUSER": nil,
        "PGSSLMODE": nil,
    ]

    static func with(_ variables: [String: String?]) -> [String: String?] {
        clean.merging(variables) { $1 }
    }

    @Test(
        "--database from AUDIOSYNC_DATABASE, then DATABASE_URL (sqlite:/// too); the flag wins; config show says which")
    func theDatabaseFromTheEnvironment() async throws {
        let store = try await TestStore(messages: 60, files: 20, chats: 3, seed: 71, defects: [])
        let status = ["status", "--json", "--media-root", store.mediaRoot, "--no-probe-cache"]
        func database(_ outcome: BinaryTests.Outcome) throws -> String? {
            try OperatorTests.json(outcome.stdout)["database"] as? String
        }

        let own = try BinaryTests.run(status, environment: Self.with(["AUDIOSYNC_DATABASE": store.database]))
        #expect(own.status == 0, "\(own.stderr)")
        #expect(try database(own) == store.database)

        let django = try BinaryTests.run(
            status, environment: Self.with(["DATABASE_URL": "sqlite:///" + store.database]))
        #expect(django.status == 0, "\(django.stderr)")
        #expect(try database(django) == store.database)

        let both = try BinaryTests.run(
            status,
            environment: Self.with(["AUDIOSYNC_DATABASE": store.database, "DATABASE_URL": "/nowhere.sqlite3"]))
        #expect(both.status == 0, "AUDIOSYNC_DATABASE comes first: \(both.stderr)")

        let flag = try BinaryTests.run(
            status + ["--database", store.database], environment: Self.with(["AUDIOSYNC_DATABASE": "/nowhere.sqlite3"]))
        #expect(flag.status == 0, "the flag wins: \(flag.stderr)")

        let shown = try BinaryTests.run(
            ["config", "show", "--json"], environment: Self.with(["DATABASE_URL": "sqlite:///" + store.database]))
        let settings = try #require(try OperatorTests.json(shown.stdout)["settings"] as? [[String: Any]])
        let setting = try #require(settings.first { $0["name"] as? String == "database" })
        let source = try #require(setting["source"] as? [String: Any])
        #expect(source["kind"] as? String == "environment" && source["origin"] as? String == "DATABASE_URL")

        let none = try BinaryTests.run(status, environment: Self.clean)
        #expect(none.status == 64)
        #expect(none.stderr.contains("set AUDIOSYNC_DATABASE, set DATABASE_URL"), "\(none.stderr)")

        // An empty variable is no setting (as `VAR= audiosync …` means), not an empty path.
        let empty = try BinaryTests.run(status, environment: Self.with(["AUDIOSYNC_DATABASE": ""]))
        #expect(empty.status == 64, "\(empty.stderr)")
    }

    /// A lock row written by `holder` as a sync would, through the store itself.
    static func hold(_ database: String, as holder: WriteLockHolder) async throws -> any MessageDatabase {
        let store = try await openMessageStore(location: database, logger: logger)
        try await store.lockForWriting(holder)
        return store
    }

    @Test("SQLite: while one writer holds the lock, sync and undo exit 75 naming it and write nothing; dry runs go on")
    func oneWriterAtATimeOnSQLite() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 73, defects: [])
        let arguments = ["--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache"]
        let first = try BinaryTests.run(["sync", "--json"] + arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let run = try #require(try OperatorTests.json(first.stdout)["run"] as? Int)

        // Another sync, still running (this test's own process, so its pid is alive).
        let holder = WriteLockHolder(command: "sync", host: ProcessInfo.processInfo.hostName)
        let held = try await Self.hold(store.database, as: holder)
        let rows = try store.conteudos()
        let second = try BinaryTests.run(["sync"] + arguments)
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("another audiosync is writing to \(store.database)"), "\(second.stderr)")
        #expect(second.stderr.contains("sync, pid \(holder.pid) on \(holder.host), since "), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1)
        let undo = try BinaryTests.run(["undo", String(run), "--database", store.database])
        #expect(undo.status == 75, "\(undo.stderr)")
        let dryRun = try BinaryTests.run(["sync", "-n", "-q"] + arguments)
        #expect(dryRun.status == 0, "a dry run takes no lock: \(dryRun.stderr)")
        #expect(try store.conteudos() == rows)

        try await held.unlockForWriting()
        try await held.close()
        let after = try BinaryTests.run(["undo", String(run), "--database", store.database, "--json"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try Self.lockRows(store.database) == 0, "the lock is given back")
    }

    @Test("SQLite: a lock left by a process that is gone (a killed sync) is taken over")
    func aStaleLockIsTakenOver() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 74, defects: [])
        // A pid of this machine that no longer runs: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let gone = WriteLockHolder(
            command: "sync", pid: child.processIdentifier, host: ProcessInfo.processInfo.hostName)
        let held = try await Self.hold(store.database, as: gone)
        try await held.close()
        #expect(try Self.lockRows(store.database) == 1)
        let sync = try BinaryTests.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache", "-q",
        ])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(try Self.lockRows(store.database) == 0)
        // A holder on another machine cannot be checked, so it is never taken over.
        let remote = try await Self.hold(
            store.database, as: WriteLockHolder(command: "sync", host: "elsewhere.invalid"))
        try await remote.close()
        let refused = try BinaryTests.run(["sync", "--media-root", store.mediaRoot, "--database", store.database])
        #expect(refused.status == 75 && refused.stderr.contains("on elsewhere.invalid"), "\(refused.stderr)")
    }

    static func lockRows(_ database: String) throws -> Int {
        try DatabaseQueue(path: database).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audiosync_lock") ?? 0
        }
    }
}

/// Through the built binary against the real test server (which requires a password): the
/// password from where libpq takes it, `sslmode` honoured, and the advisory lock.
@Suite(
    .serialized,
    .enabled(
        if: PostgresTestEnvironment.server != nil || PostgresTestEnvironment.isCI,
        "needs a PostgreSQL server: run the tests through scripts/with-postgres.sh (make test does)"
    )
)
struct PostgresCredentialsAndLockTests {
    @Test("The password from PGPASSWORD, PGPASSFILE or ~/.pgpass as libpq reads them, and never printed")
    func thePasswordFromWhereLibpqTakesIt() async throws {
        let store = try await PostgresTestStore(seed: 75, messages: 200, files: 60, defects: [])
        try await PostgresSyncTests.with(store) { store in
            var components = try #require(URLComponents(string: store.url))
            let password = try #require(components.password)
            let port = try #require(components.port)
            components.password = nil
            let bare = try #require(components.string)
            let status = ["status", "--media-root", store.summary.mediaRoot, "--database", bare, "--no-probe-cache"]
            let home = store.folder + "/home"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let clean = CredentialsAndLockTests.with(["HOME": home])

            let without = try BinaryTests.run(status, environment: clean)
            #expect(without.status == 1, "\(without.stderr)")
            #expect(without.stderr.contains("without a password: set PGPASSWORD"), "\(without.stderr)")

            let fromVariable = try BinaryTests.run(status, environment: clean.merging(["PGPASSWORD": password]) { $1 })
            #expect(fromVariable.status == 0, "\(fromVariable.stderr)")

            // A line for another database first, then one for every database of this server.
            let lines =
                "127.0.0.1:\(port):not_this_db:audiosync:wrong\n127.0.0.1:\(port):*:audiosync:"
                + password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
                + "\n"
            let file = try PostgresLocationFiles.write(lines, to: store.folder + "/pgpass", mode: 0o600)
            let fromFile = try BinaryTests.run(status, environment: clean.merging(["PGPASSFILE": file]) { $1 })
            #expect(fromFile.status == 0, "\(fromFile.stderr)")

            _ = try PostgresLocationFiles.write(lines, to: home + "/.pgpass", mode: 0o600)
            let fromHome = try BinaryTests.run(status, environment: clean)
            #expect(fromHome.status == 0, "\(fromHome.stderr)")

            // PGPASSWORD comes before the file, as in libpq: a wrong one is refused.
            let wrong = try BinaryTests.run(status, environment: clean.merging(["PGPASSWORD": "wrong"]) { $1 })
            #expect(wrong.status == 1 && wrong.stderr.contains("refused user 'audiosync'"), "\(wrong.stderr)")

            // Readable by others: ignored, and the error says so.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: home + "/.pgpass")
            let exposed = try BinaryTests.run(status, environment: clean)
            #expect(exposed.status == 1, "\(exposed.stderr)")
            #expect(exposed.stderr.contains("has group or world access"), "\(exposed.stderr)")

            // The whole location from DATABASE_URL, a Django deployment's variable.
            let fromURL = try BinaryTests.run(
                ["status", "--media-root", store.summary.mediaRoot, "--no-probe-cache"],
                environment: clean.merging(["DATABASE_URL": bare, "PGPASSWORD": password]) { $1 })
            #expect(fromURL.status == 0, "\(fromURL.stderr)")

            // sslmode is honoured: require encrypts; verify-full checks the certificate against
            // sslrootcert (the test server's is self-signed, so without it the check fails).
            func withQuery(_ query: String) throws -> BinaryTests.Outcome {
                try BinaryTests.run(
                    ["status", "--media-root", store.summary.mediaRoot, "--database", bare + query],
                    environment: clean.merging(["PGPASSWORD": password]) { $1 })
            }
            var tls = [try withQuery("?sslmode=require")]
            if let certificate = PostgresTestEnvironment.certificate {
                #expect(tls[0].status == 0, "\(tls[0].stderr)")
                tls.append(try withQuery("?sslmode=verify-full&sslrootcert=" + certificate))
                #expect(tls[1].status == 0, "\(tls[1].stderr)")
                tls.append(try withQuery("?sslmode=verify-full"))
                #expect(tls[2].status == 1, "\(tls[2].stderr)")
                #expect(tls[2].stderr.contains("failed under sslmode=verify-full"), "\(tls[2].stderr)")
                tls.append(try withQuery("?sslmode=disable"))
                #expect(tls[3].status == 0, "\(tls[3].stderr)")
            } else {
                // A server without TLS (no openssl where the tests run): require refuses it.
                #expect(tls[0].status == 1 && tls[0].stderr.contains("offers no TLS"), "\(tls[0].stderr)")
            }

            for outcome in [without, fromVariable, fromFile, fromHome, wrong, exposed, fromURL] + tls {
                #expect(!(outcome.stdout + outcome.stderr).contains(password), "the password was printed")
            }
        }
    }

    @Test("TLS is what sslmode asks for: prefer and require encrypt, disable does not (pg_stat_ssl)")
    func theConnectionIsEncryptedWhenAsked() async throws {
        guard PostgresTestEnvironment.certificate != nil else { return }
        let store = try await PostgresTestStore(seed: 77, messages: 60, files: 20, defects: [])
        try await PostgresSyncTests.with(store) { store in
            for (mode, encrypted) in [("prefer", true), ("require", true), ("disable", false), ("", true)] {
                let url = store.url + (mode.isEmpty ? "" : "?sslmode=" + mode)
                let session = try await PostgresSession.connect(
                    try PostgresLocation(url: url), options: MessageStoreOptions(),
                    logger: CredentialsAndLockTests.logger)
                let rows = try await session.connection.query(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: CredentialsAndLockTests.logger
                ).collect()
                #expect(try rows.first?.decode(Bool.self) == encrypted, "sslmode=\(mode)")
                try await session.close()
            }
        }
    }

    @Test("PostgreSQL: while a connection holds the advisory lock, sync exits 75 naming it; the lock ends with it")
    func oneWriterAtATimeOnPostgres() async throws {
        let store = try await PostgresTestStore(seed: 76, messages: 200, files: 60, defects: [])
        try await PostgresSyncTests.with(store) { store in
            let arguments = [
                "sync", "--media-root", store.summary.mediaRoot, "--database", store.url, "--no-probe-cache",
            ]
            let holder = WriteLockHolder(command: "sync --repair")
            let held = try await CredentialsAndLockTests.hold(store.url, as: holder)
            let rows = try await store.conteudos()
            let second = try BinaryTests.run(arguments)
            #expect(second.status == 75, "\(second.stderr)")
            #expect(
                second.stderr.contains("audiosync sync --repair, pid \(holder.pid) on"), "\(second.stderr)")
            #expect(second.stderr.contains("PostgreSQL backend"), "\(second.stderr)")
            #expect(!second.stderr.contains(try #require(URLComponents(string: store.url)?.password)))
            #expect(try await store.conteudos() == rows)
            #expect(try await store.tables().first?.contains("audiosync_run") != true, "the refused sync wrote a run")
            // The holder's connection ends without unlocking (a killed sync): the lock goes with it.
            try await held.close()
            let after = try BinaryTests.run(arguments + ["--json"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(try OperatorTests.json(after.stdout)["run"] as? Int != nil)
        }
    }
}

enum PostgresLocationFiles {
    /// Writes `text` to `path` with `mode`, and returns the path.
    static func write(_ text: String, to path: String, mode: Int) throws -> String {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}
