import ArgumentParser
import Foundation
import Logging
import Sync

/// The `audiosync` command: links the audio files of a multichat media store to their messages.
@main
struct AudioSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audiosync",
        abstract: "Link the audio files of a WhatsApp multichat media store to their messages, explainably.",
        discussion: """
            audiosync scores every plausible file-message pair with a set of strategies (file name \
            hash, timestamps, chat, audio duration, content hash, size), solves a one-to-one \
            assignment and links only what it is sure of. Run `audiosync sync --dry-run` first.
            """,
        version: audiosyncVersion,
        subcommands: [
            SyncCommand.self, Status.self, Explain.self, Undo.self, Review.self, ServeCommand.self, Scan.self,
            Generate.self, Evaluate.self, Tune.self, Demo.self,
        ]
    )

    /// Logging goes to stderr at `warning` unless `AUDIOSYNC_LOG_LEVEL` says otherwise (`info`,
    /// `debug`, `trace`): reports are on stdout, so logs never mix into `--json`. Only the CLI
    /// bootstraps logging; the libraries take a `Logger`.
    static func main() async {
        let name = ProcessInfo.processInfo.environment["AUDIOSYNC_LOG_LEVEL"] ?? "warning"
        let level = Logger.Level(rawValue: name.lowercased()) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        await main(nil)
    }
}
