import ArgumentParser
import MatchEngine
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync sync`: the main job.
    /// Named `SyncCommand`, not `Sync`, so it does not shadow the `Sync` module here.
    struct SyncCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Link the audio files of a media store to their messages in the database.",
            discussion: """
                Scans the media root, reads the audio messages, detects how this deployment names \
                its files (the HASH8 derivation, the clock offset), scores candidate pairs, and \
                writes audioMessage.localPath and localUrl for the links it is sure of. Each row is \
                written only if it is still what was read, in short transactions, journalled: \
                `audiosync undo RUN` gives the old values back. Existing localPath values are \
                checked; contradicted ones are only replaced or removed with --repair.

                Start with --dry-run: it writes nothing at all and prints the same report.

                Exit codes: 0 done, 1 could not run (the message says why), 64 bad arguments, \
                78 bad profile.
                """
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Flag(name: .customLong("dry-run"), help: "Write nothing; print what would be written.")
        var dryRun = false

        @Flag(help: "Replace or remove existing localPath values the evidence contradicts (journalled).")
        var repair = false

        @Option(
            name: .customLong("url-template"),
            help: ArgumentHelp("The localUrl to write; {id} is core_mensagem.id.", valueName: "template")
        )
        var urlTemplate = MatchPlan.defaultURLTemplate

        @Option(help: ArgumentHelp("Links listed in the text report (all of them with --json).", valueName: "n"))
        var show = 20

        @Option(
            name: .customLong("batch-size"),
            help: ArgumentHelp(
                "Rows per write transaction: small enough that the CRM never waits long.", valueName: "n")
        )
        var batchSize = 200

        @Option(
            name: .customLong("busy-timeout"),
            help: ArgumentHelp("How long to wait for another connection's lock (SQLite), in ms.", valueName: "ms")
        )
        var busyTimeout = 5_000

        func validate() throws {
            guard urlTemplate.contains("{id}") else {
                throw ValidationError("--url-template must contain {id}, for the message's row id.")
            }
            guard show >= 0 else { throw ValidationError("--show takes a count of 0 or more.") }
            guard batchSize > 0 else { throw ValidationError("--batch-size takes a count of 1 or more.") }
            guard busyTimeout >= 0 else { throw ValidationError("--busy-timeout takes milliseconds, 0 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("sync", stoppable: true) { context in
                var options = SyncOptions(dryRun: dryRun, repair: repair)
                options.urlTemplate = urlTemplate
                options.explainLinks = output.json
                options.stop = context.stop
                let runner = SyncRunner(
                    database: store.databaseOptions.location(
                        scope: scope,
                        options: MessageStoreOptions(busyTimeoutMilliseconds: busyTimeout, batchSize: batchSize)),
                    media: store.media.location(cache: cache),
                    profile: try profile.load(),
                    options: options,
                    logger: context.logger
                )
                let report = try await runner.run(progress: context.progress)
                try context.print(report, as: output) { report.text(links: show) }
            }
        }
    }
}
