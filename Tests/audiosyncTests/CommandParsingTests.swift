import ArgumentParser
import Foundation
import MediaStore
import Testing

@testable import audiosync

/// Commands parse without running: flags land where they should, bad combinations say what to do.
struct CommandParsingTests {
    @Test("sync parses every option")
    func syncOptions() throws {
        let command = try AudioSync.parseAsRoot([
            "sync", "--media-root", "/m", "--database", "crm.sqlite", "--dry-run", "--repair", "--json",
            "--client", "Elizeu", "--instance", "3B6X", "--batch-size", "50", "--profile", "p.yml",
        ])
        let sync = try #require(command as? AudioSync.SyncCommand)
        #expect(sync.store.mediaRoot == "/m")
        #expect(!sync.strict && !sync.general.quiet && sync.general.verbose == 0)
        #expect(sync.store.database == "crm.sqlite")
        #expect(sync.dryRun && sync.repair && sync.output.json)
        #expect(sync.scope.client == "Elizeu" && sync.scope.instance == "3B6X")
        #expect(sync.writing.batchSize == 50)
        #expect(sync.profile.profile == "p.yml")
    }

    @Test("scan takes the shared media root and probe cache, and --format text|jsonl")
    func scanOptions() throws {
        let command = try AudioSync.parseAsRoot([
            "scan", "--media-root", "/m", "--format", "jsonl", "--client", "Elizeu", "--instance", "3B6X",
            "--no-probe-cache",
        ])
        let scan = try #require(command as? AudioSync.Scan)
        #expect(scan.store.mediaRoot == "/m")
        #expect(scan.output.format == .jsonl)
        #expect(scan.scope.client == "Elizeu" && scan.scope.instance == "3B6X")
        #expect(scan.cache.location == .disabled)
        let plain = try #require(try AudioSync.parseAsRoot(["scan", "--media-root", "/m"]) as? AudioSync.Scan)
        #expect(plain.output.format == nil && !plain.output.json)
        #expect(plain.cache.location == .standard)
    }

    @Test("serve and review parse their options")
    func serveAndReviewOptions() throws {
        let serve = try #require(
            try AudioSync.parseAsRoot([
                "serve", "--media-root", "/m", "--database", "crm.sqlite", "--listen", "0.0.0.0:9000",
                "--token-file", "/etc/token", "--client", "Elizeu", "--cors-origin", "https://crm.example",
            ]) as? AudioSync.ServeCommand)
        #expect(serve.listen == "0.0.0.0:9000" && serve.tokenFile == "/etc/token")
        #expect(serve.scope.client == "Elizeu" && serve.corsOrigin == "https://crm.example")
        let plain = try #require(
            try AudioSync.parseAsRoot(["serve", "--media-root", "/m", "--database", "d"]) as? AudioSync.ServeCommand)
        #expect(plain.listen == "127.0.0.1:8750" && plain.tokenFile == nil)
        let accept = try #require(
            try AudioSync.parseAsRoot([
                "review", "accept", "--media-root", "/m", "--database", "d", "--json", "a/b.ogg", "42",
            ]) as? AudioSync.Review.Accept)
        #expect(accept.pair.file == "a/b.ogg" && accept.pair.message == 42 && accept.options.output.json)
        let list = try #require(
            try AudioSync.parseAsRoot(["review", "list", "--media-root", "/m", "--database", "d", "--limit", "5"])
                as? AudioSync.Review.List)
        #expect(list.limit == 5)
    }

    @Test(
        "Bad combinations are usage errors that say what to do",
        arguments: [
            (
                ["sync", "--media-root", "/m", "--database", "d", "--url-template", "/x/"],
                "--url-template must contain {id} (the message's row id) or {path}"
            ),
            (["sync", "-q", "-v"], "-q and -v contradict each other"),
            (["scan", "--json", "--format", "jsonl"], "--json prints one document"),
            (["runs", "--last", "0"], "--last takes a count"),
            (["cache", "prune", "--older-than=-1"], "--older-than takes a number of days"),
            (
                ["sync", "--media-root", "/m", "--database", "d", "--probe-cache", "c", "--no-probe-cache"],
                "contradict each other"
            ),
            (["explain", "--media-root", "/m", "--database", "d"], "Give exactly one of --message ID or --file PATH."),
            (
                ["explain", "--media-root", "/m", "--database", "d", "--message", "1", "--file", "f"],
                "Give exactly one of"
            ),
            (["generate", "--out", "x", "--defects", "backfil"], "unknown defect `backfil`"),
            (["serve", "--media-root", "/m", "--database", "d", "--listen", "0.0.0.0:8750"], "needs --token-file"),
            (["serve", "--media-root", "/m", "--database", "d", "--listen", "nowhere"], "expected HOST:PORT"),
            (["review", "accept", "--media-root", "/m", "--database", "d", "a/b.ogg"], "Missing expected argument"),
            (["review", "reject", "--media-root", "/m", "--database", "d", "a/b.ogg", "x"], "message"),
            (["undo", "--database", "d"], "Missing expected argument '<run>'"),
            (["scan", "--media-root", "/m", "--format", "json"], "The value 'json' is invalid for '--format"),
            (["scan", "--media-root", "/m", "--probe-cache", "c", "--no-probe-cache"], "contradict each other"),
            (
                ["tune", "--media-root", "/m", "--database", "d", "--out", "p.yml", "--target-precision", "1.5"],
                "--target-precision"
            ),
        ]
    )
    func usageErrors(arguments: [String], message: String) {
        #expect {
            _ = try AudioSync.parseAsRoot(arguments)
        } throws: { error in
            AudioSync.message(for: error).contains(message) && AudioSync.exitCode(for: error) == .validationFailure
        }
    }

    static let helpFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")

    /// Whole help screens, as users see them, against the files in `Help/`. After a deliberate
    /// change, `scripts/write-help-screens.sh` rewrites those files: with `AUDIOSYNC_WRITE_HELP=1`
    /// this test writes its screen and fails, so a run that rewrites can never pass. Review the
    /// diff, then run the tests again.
    /// Every command users run, by its words (`config show`).
    static let commands = [
        "audiosync", "sync", "watch", "status", "explain", "undo", "review", "review list", "review accept",
        "review reject",
        "serve", "runs", "clients", "scan", "config show", "profile show", "cache prune", "generate", "evaluate",
        "tune", "demo",
    ]

    static func type(of command: String) -> any ParsableCommand.Type {
        var type: any ParsableCommand.Type = AudioSync.self
        for word in command.split(separator: " ") where word != "audiosync" {
            type = type.configuration.subcommands.first { $0._commandName == word }!
        }
        return type
    }

    @Test("Short flags: -n is --dry-run, -q quiet, -v (and -vv) verbose")
    func shortFlags() throws {
        let sync = try #require(try AudioSync.parseAsRoot(["sync", "-n", "-vv"]) as? AudioSync.SyncCommand)
        #expect(sync.dryRun && sync.general.verbose == 2)
        let undo = try #require(try AudioSync.parseAsRoot(["undo", "-n", "-q", "3"]) as? AudioSync.Undo)
        #expect(undo.dryRun && undo.general.quiet && undo.run == 3)
    }

    @Test("Every command's help has examples and its exit codes", arguments: commands)
    func helpHasExamplesAndExitCodes(command: String) throws {
        let help = AudioSync.helpMessage(for: Self.type(of: command), columns: 100)
        #expect(help.contains("Examples:"), "\(command)")
        #expect(help.contains("Exit codes:") && help.contains("   0  done"), "\(command)")
    }

    @Test("Help screens are what they were meant to be", arguments: commands)
    func helpScreens(command: String) throws {
        let help = AudioSync.helpMessage(for: Self.type(of: command), columns: 100)
        let file = Self.helpFolder.appendingPathComponent("\(command.replacingOccurrences(of: " ", with: "-")).txt")
        if ProcessInfo.processInfo.environment["AUDIOSYNC_WRITE_HELP"] == "1" {
            try FileManager.default.createDirectory(at: Self.helpFolder, withIntermediateDirectories: true)
            try help.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("wrote \(file.path) (AUDIOSYNC_WRITE_HELP=1); review the diff, then test without it")
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(help == expected)
    }
}
