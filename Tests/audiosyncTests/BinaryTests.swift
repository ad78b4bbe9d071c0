import Evaluation
import Foundation
import GRDB
import Testing

/// The `audiosync` binary as users run it: exit codes, one-line errors, nothing written on
/// failure, and a sync killed at any moment.
@Suite(.serialized)
struct BinaryTests {
    /// `.build/<config>/audiosync`, beside the test bundle.
    static let binary: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("audiosync").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("audiosync")
    }()

    /// Bytes one thread reads and another takes after a semaphore: the write happens before the
    /// signal, the read after the wait, so nothing is shared at once.
    final class Collected: @unchecked Sendable {
        var data = Data()
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary (`executable`, or the one built); `environment` adds to (or, with a `nil`
    /// value, removes from) the test's own environment.
    static func run(
        executable: String? = nil, _ arguments: [String], environment: [String: String?] = [:],
        in folder: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable.map(URL.init(fileURLWithPath:)) ?? binary
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        // A config file of the machine running the tests must not change what they see.
        variables["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "audiosync-no-config"
        variables["AUDIOSYNC_LOG_LEVEL"] = nil
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes at once: a child that fills one (logs at trace) while we wait on the other
        // would never end.
        let errors = Collected()
        let drained = DispatchSemaphore(value: 0)
        let errorHandle = err.fileHandleForReading
        Thread.detachNewThread {
            errors.data = errorHandle.readDataToEndOfFile()
            drained.signal()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let stderr = errors.data
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("A missing media root: one line that says what to do, exit 1, nothing written")
    func missingMediaRoot() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 21, defects: [])
        let before = try store.databaseDigest()
        let outcome = try Self.run(["sync", "--media-root", store.folder + "/nowhere", "--database", store.database])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("audiosync sync: media root not found"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(try store.databaseDigest() == before)
    }

    @Test("A missing database is not created")
    func missingDatabase() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 22, defects: [])
        let path = store.folder + "/nope.sqlite"
        let outcome = try Self.run(["sync", "--media-root", store.mediaRoot, "--database", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no SQLite database at"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("A bad profile names the file and the key, exits 78, writes nothing")
    func badProfile() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 23, defects: [])
        let profile = store.folder + "/bad.yml"
        try "review_probability: 0.5\nstrategies:\n  timestamp_distance:\n    tolerance: 3\n".write(
            toFile: profile, atomically: true, encoding: .utf8)
        let before = try store.databaseDigest()
        let outcome = try Self.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--profile", profile,
        ])
        #expect(outcome.status == 78)
        #expect(outcome.stderr.contains("bad.yml: strategies.timestamp_distance.tolerance: unknown key"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(try store.databaseDigest() == before)
    }

    @Test("A locked database: a clear error after the busy timeout, nothing written")
    func lockedDatabase() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 24, defects: [])
        let before = try store.databaseDigest()
        // The CRM in the middle of a long write: a transaction held open across accesses.
        let holder = try DatabaseQueue(
            path: store.database,
            configuration: {
                var c = Configuration()
                c.allowsUnsafeTransactions = true
                return c
            }())
        try holder.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let outcome = try Self.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--busy-timeout", "200",
        ])
        try holder.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("locked"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(try store.databaseDigest() == before)
    }

    @Test("evaluate --against exits 2 on a regression, 0 without one")
    func evaluateAgainst() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 30, seed: 27)
        let arguments = [
            "evaluate", "--media-root", store.mediaRoot, "--database", store.database, "--truth", store.truth,
            "--probe-cache", store.folder + "/cache.sqlite",
        ]
        let saved = try Self.run(arguments + ["--json"])
        #expect(saved.status == 0)
        let report = store.folder + "/report.json"
        try saved.stdout.write(toFile: report, atomically: true, encoding: .utf8)
        let same = try Self.run(arguments + ["--against", report])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("no change beyond the tolerances"))
        // A reckless profile: links at 60 % sure, hash mismatches forgiven and not re-estimated.
        let reckless = store.folder + "/reckless.yml"
        let text = """
            target_precision: 0.6
            review_probability: 0.5
            strategies:
              filename_hash_prefix:
                pin: true
                levels: {mismatch: 0, mismatch_uncalibrated: 0}
              timestamp_distance:
                pin: true
                levels: {before: 0, later: 0, within_30d: 0}

            """
        try text.write(
            toFile: reckless, atomically: true, encoding: .utf8)
        let worse = try Self.run(arguments + ["--profile", reckless, "--against", report])
        #expect(worse.status == 2, "\(worse.stdout.suffix(400))")
        #expect(worse.stdout.contains("REGRESSED"))
    }

    @Test("--json prints the documented report")
    func jsonReport() async throws {
        let store = try await TestStore(messages: 300, files: 90, chats: 6, seed: 25)
        let outcome = try Self.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--dry-run", "--json",
            "--no-probe-cache",
        ])
        #expect(outcome.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let plan = try #require(json?["plan"] as? [String: Any])
        #expect(json?["schema_version"] as? Int == 2)
        #expect((plan["links"] as? [[String: Any]])?.first?["probability"] is Double)
        #expect(json?["dry_run"] as? Bool == true)
        #expect(json?["run"] is NSNull, "a dry run has no run id, and says so")
        #expect((plan["links"] as? [[String: Any]])?.first?["waterfall"] != nil)
        #expect(plan["calibration"] != nil && json?["scan"] != nil && json?["write"] != nil)
    }

    @Test(
        "Killed at any moment, a sync leaves every row as it was or as it meant; the next sync finishes",
        arguments: [1, 25, 100, 200])
    func killedSync(afterChanges threshold: Int) async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 26)
        let original = try store.conteudos()
        // What the run means: a full sync on a copy.
        let copy = store.folder + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: store.database, toPath: copy)
        let full = try Self.run([
            "sync", "--media-root", store.mediaRoot, "--database", copy, "--probe-cache",
            store.folder + "/cache.sqlite",
        ])
        #expect(full.status == 0)
        let meant = try await DatabaseQueue(path: copy).read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem").map {
                    ($0["id"] as Int64, $0["conteudo"] as String?)
                })
        }
        // The pacing below stops the writer only while the test holds its read lock; a machine busy
        // enough to keep the test off the CPU while the sync writes every remaining batch lets the
        // sync finish first. Then the database is put back as it was and the kill tried again (what
        // is asserted does not change: the kill must land mid-write in one of the attempts).
        let pristine = store.folder + "/pristine.sqlite"
        try FileManager.default.copyItem(atPath: store.database, toPath: pristine)
        var killedMidWrite = false
        var seen = 0
        for _ in 0..<5 where !killedMidWrite {
            try? FileManager.default.removeItem(atPath: store.database)
            try FileManager.default.copyItem(atPath: pristine, toPath: store.database)
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = [
                "sync", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
                "--probe-cache",
                store.folder + "/cache.sqlite",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The test paces the sync with SQLite's own locks: holding a read transaction, it stops the
            // writer at its next commit; it counts the journal, and either kills the writer there
            // (blocked, a batch in hand) or lets more batches through.
            let watcher = try DatabaseQueue(
                path: store.database,
                configuration: {
                    var c = Configuration()
                    c.allowsUnsafeTransactions = true
                    c.busyMode = .timeout(30)
                    return c
                }())
            seen = 0
            while process.isRunning {
                let held = try? watcher.inDatabase { db -> Int in
                    try db.execute(sql: "BEGIN")
                    // A plain query, not tableExists: GRDB caches the schema, and the table appears mid-run.
                    return (try? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audiosync_change")) ?? 0
                }
                seen = held ?? seen
                if seen >= threshold { break }
                try? watcher.inDatabase { db in try db.execute(sql: "ROLLBACK") }
                usleep(200)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? watcher.inDatabase { db in try db.execute(sql: "ROLLBACK") }
            killedMidWrite = process.terminationReason == .uncaughtSignal
            try watcher.close()
        }
        #expect(killedMidWrite, "the sync ended before it could be killed mid-write, five times")
        #expect(seen >= threshold)

        let queue = try DatabaseQueue(path: store.database)
        let check = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
        let rows = try store.conteudos()
        var changed = 0
        for (id, text) in rows {
            #expect(text == original[id]! || text == meant[id]!, "row \(id) is neither as it was nor as the run meant")
            if text != original[id]! { changed += 1 }
        }
        // The journal holds exactly the rows that changed.
        let journalled = try await queue.read { db in
            try db.tableExists("audiosync_change")
                ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audiosync_change") ?? 0 : 0
        }
        #expect(journalled == changed)
        try queue.close()
        // A later sync finishes the work.
        let again = try Self.run([
            "sync", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache",
            store.folder + "/cache.sqlite",
        ])
        #expect(again.status == 0)
        #expect(try store.conteudos() == meant.mapValues { $0 })
    }
}
