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
            discussion: CommandHelp.discussion(
                """
                Scans the media root, reads the audio messages, detects how this deployment names \
                its files (the HASH8 derivation, the clock offset), scores candidate pairs, and \
                writes audioMessage.localPath and localUrl for the links it is sure of. Each row is \
                written only if it is still what was read, in short transactions, journalled: \
                `audiosync undo RUN` gives the old values back. Existing localPath values are \
                checked; contradicted ones are only replaced or removed with --repair.

                Start with --dry-run (-n): it writes nothing at all and prints the same report.

                A run whose files, rows, chats, clients, rejections, profile and options are all \
                as they were when a plan had nothing to write skips the work and says so: it walks \
                the store and fingerprints the rows, nothing more (remembered in the probe cache). \
                A run that finds only additions since then (new files, new rows) links them by \
                their content or name, as `audiosync watch` links arrivals, and makes the whole \
                run only for what that does not settle. --full does the whole work regardless.
                """,
                examples: [
                    ("See what a sync would do, writing nothing", "audiosync sync -n"),
                    ("Link, with the settings of audiosync.yml", "audiosync sync"),
                    (
                        "One client, a PostgreSQL database (password from ~/.pgpass)",
                        "audiosync sync --database postgres://crm@db/crm --client 12"
                    ),
                    ("From cron: quiet, and exit 3 when files went to review", "audiosync sync -q --strict"),
                    ("Redo the whole work though nothing changed", "audiosync sync --full"),
                ],
                exitCodes: [.success, .runtimeFailure, .reviewPending, .validationFailure, .busy, .configuration])
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Writing") var writing: WriteOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Write nothing; print what would be written.")
        var dryRun = false

        @Flag(help: "Replace or remove existing localPath values the evidence contradicts (journalled).")
        var repair = false

        @Flag(help: "Exit with 3 when files went to review (for cron and CI).")
        var strict = false

        @Flag(
            help: "Do the whole work, even when nothing changed (or only additions) since a run with nothing to write."
        )
        var full = false

        @OptionGroup var urlTemplate: URLTemplateOptions

        @Option(help: ArgumentHelp("Links listed in the text report (all of them with --json).", valueName: "n"))
        var show = 20

        func validate() throws {
            guard show >= 0 else { throw ValidationError("--show takes a count of 0 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("sync", general, stoppable: true) { context in
                let settings = try context.settings(
                    Settings.Flags(store: store, scope: scope, profile: profile, urlTemplate: urlTemplate.urlTemplate))
                var options = SyncOptions(dryRun: dryRun, repair: repair)
                options.urlTemplate = try settings.required(.urlTemplate)
                do {
                    try URLTemplateOptions.validate(options.urlTemplate)
                } catch let error as ValidationError {
                    throw CommandFailure(
                        "url_template in \(settings.configFile ?? "the config"): \(error.message)", code: .configuration
                    )
                }
                options.explainLinks = output.json
                options.reuseUnchanged = !full
                options.stop = context.stop
                let runner = SyncRunner(
                    database: try settings.database(options: writing.storeOptions),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
                    options: options,
                    logger: context.logger
                )
                let report = try await runner.run(progress: context.progress)
                try context.print(report, as: output, streaming: SyncReport.jsonStreaming) {
                    report.text(links: show, details: context.verbose)
                }
                if strict && report.counts.files.sentToReview > 0 {
                    if !output.json && !context.quiet {
                        Terminal.error(
                            "audiosync sync: \(report.counts.files.sentToReview) files went to review (exit 3, --strict)"
                        )
                    }
                    throw ExitCode.reviewPending
                }
            }
        }
    }
}
