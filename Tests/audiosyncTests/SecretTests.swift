import Foundation
import Testing

/// Issue 14's finding 4: no password in any output. Every command and every error path is run with a
/// known password, in text and JSON, with logs at `trace`; standard output, standard error and every
/// file the commands write are searched for it.
@Suite(.serialized)
struct SecretTests {
    static let password = "Pw-9f3Kq7-Secret-Zz"

    /// Runs the binary and fails the test if the password shows anywhere in what it printed.
    @discardableResult
    static func runClean(_ arguments: [String], password: String, environment: [String: String] = [:]) throws
        -> BinaryTests.Outcome
    {
        let outcome = try BinaryTests.run(
            arguments, environment: ["AUDIOSYNC_LOG_LEVEL": "trace"].merging(environment) { $1 })
        let printed = outcome.stdout + outcome.stderr
        #expect(
            !printed.contains(password), "\(arguments.first ?? ""): the password was printed: \(printed.suffix(600))")
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        #expect(!printed.contains(encoded), "\(arguments.first ?? ""): the password was printed percent-encoded")
        return outcome
    }

    /// Every file under `folder`, searched for `password` as bytes.
    static func filesHolding(_ password: String, under folder: String) -> [String] {
        let needle = Data(password.utf8)
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let name = enumerator?.nextObject() as? String {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            if data.range(of: needle) != nil { found.append(name) }
        }
        return found
    }

    /// Locations that cannot be used, each with the password in it somewhere.
    static let malformed: [String] = [
        "postgres://audiosync:\(password)@127.0.0.1:99999/crm",  // a port out of range
        "postgres://audiosync:\(password)@[::1/crm",  // a broken IPv6 host
        "postgres://audiosync@127.0.0.1/crm?password=\(password)",  // libpq's password parameter…
        "postgres://audiosync:\(password)@127.0.0.1:1/crm",  // …and a server that is not there
        "postgress://audiosync:\(password)@127.0.0.1/crm",  // a mistyped scheme, read as a file path
        "postgresql:/audiosync:\(password)@127.0.0.1/crm",  // one slash short
        "host=127.0.0.1 user=audiosync password=\(password) dbname=crm",  // libpq's keyword form
        "postgres://audiosync:\(password)@127.0.0.1/",  // no database
        "postgres://:\(password)@127.0.0.1/crm",  // no user
    ]

    @Test("Malformed and unreachable locations: every command's error is redacted", arguments: malformed)
    func malformedLocations(location: String) async throws {
        let store = try await TestStore(messages: 60, files: 20, chats: 3, seed: 51, defects: [])
        let common = ["--media-root", store.mediaRoot, "--database", location]
        let commands: [[String]] = [
            ["sync"] + common, ["sync", "--dry-run", "--json"] + common, ["status"] + common,
            ["status", "--json"] + common, ["explain", "--message", "1"] + common,
            ["undo", "--database", location, "1"],
            ["undo", "--json", "--database", location, "1"], ["evaluate", "--truth", store.truth] + common,
            ["tune", "--out", store.folder + "/tuned.yml"] + common,
            [
                "generate", "--out", store.folder + "/generated", "--messages", "20", "--files", "5", "--database",
                location,
            ],
        ]
        for command in commands {
            let outcome = try Self.runClean(command, password: Self.password)
            #expect(outcome.status != 0, "\(command)")
            if outcome.status == 1 {
                #expect(outcome.stderr.split(separator: "\n").count == 1, "\(command): \(outcome.stderr)")
            }
        }
        #expect(Self.filesHolding(Self.password, under: store.folder).isEmpty)
    }

    @Test("Against a real server: every command, its text, JSON, logs, profile, journal and generated files")
    func everyCommandAgainstAServer() async throws {
        guard let server = PostgresTestEnvironment.server else {
            if PostgresTestEnvironment.isCI { Issue.record("AUDIOSYNC_TEST_POSTGRES_URL is not set under CI=true") }
            return
        }
        let password = try #require(URLComponents(string: server)?.password)
        let name = "audiosync_secret_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await Admin.execute("CREATE DATABASE \(name)", server: server)
        defer { Task { try? await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", server: server) } }
        var components = URLComponents(string: server)!
        components.path = "/\(name)"
        let url = components.string!
        let folder = NSTemporaryDirectory() + "audiosync-secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let generated = try Self.runClean(
            ["generate", "--out", folder, "--messages", "300", "--files", "90", "--database", url], password: password)
        #expect(generated.status == 0, "\(generated.stderr)")
        let media = folder + "/media"
        let cache = ["--probe-cache", folder + "/cache.sqlite"]
        let store = ["--media-root", media, "--database", url]
        let runs: [[String]] = [
            ["sync", "--dry-run"] + store + cache, ["sync", "--dry-run", "--json"] + store + cache,
            ["sync"] + store + cache, ["sync", "--json"] + store + cache, ["status"] + store + cache,
            ["status", "--json"] + store + cache, ["explain", "--message", "1"] + store + cache,
            ["explain", "--json", "--message", "1"] + store + cache,
            ["evaluate", "--truth", folder + "/truth.csv"] + store + cache,
            ["evaluate", "--json", "--truth", folder + "/truth.csv"] + store + cache,
            ["tune", "--out", folder + "/tuned.yml"] + store + cache,
            ["tune", "--json", "--out", folder + "/tuned-json.yml"] + store + cache,
            ["undo", "--database", url, "1"], ["undo", "--json", "--database", url, "1"],
        ]
        for command in runs {
            let outcome = try Self.runClean(command, password: password)
            #expect(outcome.status == 0, "\(command): \(outcome.stderr)")
        }
        // Errors with a real server: a wrong password, a database that does not exist.
        components.password = password + "-wrong"
        let wrong = try Self.runClean(
            ["status", "--media-root", media, "--database", components.string!], password: password)
        #expect(wrong.status == 1 && wrong.stderr.contains("refused"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains(password + "-wrong"))
        components.password = password
        components.path = "/no_such_database"
        let missing = try Self.runClean(
            ["status", "--media-root", media, "--database", components.string!], password: password)
        #expect(missing.status == 1, "\(missing.stderr)")

        #expect(Self.filesHolding(password, under: folder).isEmpty)
        let journal = try await Admin.rows(
            "SELECT id::int8, concat_ws(' ', command, media_root, options, summary) FROM audiosync_run", url: url)
        #expect(!journal.isEmpty)
        #expect(journal.values.allSatisfy { !$0.contains(password) }, "\(journal)")
    }
}
