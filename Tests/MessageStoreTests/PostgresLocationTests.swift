import Foundation
import Testing

@testable import MessageStore

/// A PostgreSQL URL completed as libpq completes it: the user, the password and `sslmode` from
/// where libpq takes them when the URL leaves them out. No server needed.
struct PostgresLocationTests {
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "audiosync-pgpass-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes a password file with `mode`.
    static func passFile(_ text: String, mode: Int = 0o600, in folder: String, name: String = "pgpass") throws
        -> String
    {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("The user from the URL, else PGUSER, else the system's user (a socket URL needs none)")
    func theUser() throws {
        let home = ["HOME": "/nonexistent"]
        #expect(try PostgresLocation(url: "postgres://crm@db/crm", environment: home).user == "crm")
        #expect(try PostgresLocation(url: "postgres://db/crm?user=crm", environment: home).user == "crm")
        #expect(try PostgresLocation(url: "postgres://db/crm", environment: ["PGUSER": "ops"]).user == "ops")
        let socket = try PostgresLocation(url: "postgresql:///crm?host=/run/postgresql", environment: home)
        #expect(socket.user == ProcessInfo.processInfo.userName && !socket.user.isEmpty)
        #expect(socket.socketDirectory == "/run/postgresql")
    }

    @Test("sslmode: prefer unless the URL or PGSSLMODE says otherwise; an unknown mode is refused")
    func theSSLMode() throws {
        let home = ["HOME": "/nonexistent"]
        #expect(try PostgresLocation(url: "postgres://u@db/crm", environment: home).sslMode == .prefer)
        #expect(try PostgresLocation(url: "postgres://u@db/crm?sslmode=require", environment: home).sslMode == .require)
        #expect(
            try PostgresLocation(url: "postgres://u@db/crm?sslmode=verify-full", environment: home).sslMode
                == .verifyFull)
        #expect(
            try PostgresLocation(url: "postgres://u@db/crm", environment: ["PGSSLMODE": "disable"]).sslMode == .disable)
        #expect(throws: MessageStoreError.self) {
            try PostgresLocation(url: "postgres://u:secret@db/crm?sslmode=always", environment: home)
        }
        do {
            _ = try PostgresLocation(url: "postgres://u:secret@db/crm?sslmode=always", environment: home)
        } catch {
            #expect(!"\(error)".contains("secret") && "\(error)".contains("verify-full"), "\(error)")
        }
        // Each mode gives a configuration (verify-full with the system's trust roots).
        for mode in PostgresLocation.SSLMode.allCases {
            _ = try PostgresLocation(url: "postgres://u@db/crm?sslmode=\(mode.rawValue)", environment: home)
                .configuration()
        }
    }

    @Test("The password: the URL's, else PGPASSWORD, else the password file's first matching line")
    func thePasswordsOrder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try Self.passFile(
            """
            # comment line
            db:5432:other:crm:not-this-database
            db:*:crm:ops:not-this-user
            db:5432:crm:crm:from\\:the\\\\file
            *:*:*:*:too-late
            """, in: folder)
        let fromFile = ["PGPASSFILE": file]
        #expect(try PostgresLocation(url: "postgres://crm:given@db/crm", environment: fromFile).password == "given")
        #expect(
            try PostgresLocation(
                url: "postgres://crm@db/crm",
                environment: fromFile.merging(["PGPASSWORD": "env"]) {
                    $1
                }
            ).password == "env")
        #expect(try PostgresLocation(url: "postgres://crm@db/crm", environment: fromFile).password == "from:the\\file")
        #expect(try PostgresLocation(url: "postgres://crm@db:6543/crm", environment: fromFile).password == "too-late")
        // An empty PGPASSWORD is no password: the file is read.
        #expect(
            try PostgresLocation(
                url: "postgres://crm@db/crm",
                environment: fromFile.merging(["PGPASSWORD": ""]) {
                    $1
                }
            ).password == "from:the\\file")
    }

    @Test("~/.pgpass when PGPASSFILE is unset; a socket matches its folder or localhost")
    func theHomeFile() throws {
        let home = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try Self.passFile("localhost:5432:crm:crm:by-socket\n", in: home, name: ".pgpass")
        let environment = ["HOME": home]
        let socket = try PostgresLocation(url: "postgres://crm@/crm?host=/run/postgresql", environment: environment)
        #expect(socket.password == "by-socket")
        #expect(try PostgresLocation(url: "postgres://crm@db/crm", environment: environment).password == nil)
    }

    @Test("A password file others can read is ignored, with libpq's warning kept for the error")
    func anExposedFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try Self.passFile("*:*:*:*:secret\n", mode: 0o644, in: folder)
        let location = try PostgresLocation(url: "postgres://crm@db/crm", environment: ["PGPASSFILE": file])
        #expect(location.password == nil)
        let warning = try #require(location.passwordFileWarning)
        #expect(warning.contains("group or world access") && warning.contains(file))
        let error = MessageStoreError.passwordMissing(user: "crm", host: "db:5432", note: warning)
        #expect(error.description.contains("group or world access") && !error.description.contains("secret"))
    }

    @Test("sqlite:/// URLs (Django's DATABASE_URL) name a path; other schemes are refused without their secrets")
    func sqliteURLs() throws {
        #expect(try sqlitePath("sqlite:////srv/crm/db.sqlite3") == "/srv/crm/db.sqlite3")
        #expect(try sqlitePath("sqlite:///db.sqlite3") == "db.sqlite3")
        #expect(try sqlitePath("/srv/crm/db.sqlite3") == "/srv/crm/db.sqlite3")
        #expect(try sqlitePath("./odd://name.sqlite3") == "./odd://name.sqlite3")
        for url in ["mysql://crm:secret@db/crm", "postgress://crm:secret@db/crm", "sqlite://crm:secret@host/x"] {
            do {
                _ = try sqlitePath(url)
                Issue.record("\(url) was read as a path")
            } catch {
                let scheme = String(url.prefix { $0 != ":" })
                #expect(!"\(error)".contains("secret") && "\(error)".contains("`\(scheme)://`"), "\(error)")
            }
        }
    }
}
