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
        discussion: CommandHelp.discussion(
            """
            audiosync scores every plausible file-message pair with a set of strategies (file name \
            hash, timestamps, chat, audio duration, content hash, size), and links only what it is \
            sure of; close calls go to review. Run `audiosync sync --dry-run` first.

            Settings come from flags, else from audiosync.yml (in the current folder, then in \
            $XDG_CONFIG_HOME/audiosync/), so `--media-root` and `--database` need not be repeated: \
            `audiosync config show` says what is read from where.
            """,
            examples: [
                (
                    "First look, writing nothing",
                    "audiosync sync --media-root /srv/media --database crm.sqlite3 --dry-run"
                ),
                (
                    "Why was this file linked?",
                    "audiosync explain --file CLIENT/instance_ID/chats/CHAT/audio/msg_HASH8_DATE_TIME.ogg"
                ),
                ("Every run this database has seen", "audiosync runs --database crm.sqlite3"),
            ],
            exitCodes: [
                .success, .runtimeFailure, .reviewPending, .regression, .validationFailure, .busy, .configuration,
            ]
        ),
        version: audiosyncVersion,
        subcommands: [
            SyncCommand.self, Watch.self, Status.self, Explain.self, Undo.self, Review.self, ServeCommand.self,
            Runs.self,
            Clients.self, Scan.self, ConfigCommand.self, ProfileCommand.self, CacheCommand.self, Generate.self,
            Evaluate.self, Tune.self, Demo.self,
        ]
    )

    /// Logging goes to stderr at the level ``LogLevel`` holds (`-q`, `-v`, `AUDIOSYNC_LOG_LEVEL`,
    /// else `warning`): reports are on stdout, so logs never mix into `--json`. Only the CLI
    /// bootstraps logging; the libraries take a `Logger`.
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = LogLevel.current.level
            return handler
        }
        await main(nil)
    }
}
