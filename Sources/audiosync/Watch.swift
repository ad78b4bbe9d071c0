import ArgumentParser
import Foundation
import Logging
import MatchEngine
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync watch`: links new downloads as they arrive.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link new voice notes as they arrive: a sync whenever files or message rows come in.",
            discussion: CommandHelp.discussion(
                """
                Runs until stopped. A batch is one `audiosync sync` run (the same decisions, \
                compare-and-swap writes and journal; one run per batch that writes), started when \
                files arrive under the media root (inotify on Linux; elsewhere a poll of the folders) \
                or when new message rows appear (the highest core_mensagem.id, read every \
                --poll-interval). The first batch catches up with what arrived while nothing watched; \
                when a sync left its last whole plan in the same probe cache and only new notes and \
                rows came since, it starts from that plan instead of planning the store again. \
                A batch syncs one Client/instance_ID/ folder's client and instance, as --client and \
                --instance would (files of several instances: one a batch, in turn); the first batch \
                and files outside such folders sync the whole store.

                A file is synced only once it has settled: closed, and its size and mtime unchanged \
                for --settle; names ending .part, .tmp or .crdownload are left until renamed. Files \
                still arriving are left out of a batch (and counted) for a later one. A file \
                that lands before its message row matches nothing; each new row starts a batch again, \
                for --wait-for-row. When another sync holds the write lock, the batch waits for it.

                Before a batch plans an instance, a file whose SHA-256 is the fileSha256 of exactly \
                one row of its instance, a row with no localPath, is linked by its content alone: \
                the pair is planned on its own with the instance's calibration and written only if \
                that plan links it (a forwarded note, a second download or a rejected pair is left \
                to the batch). A file whose bytes no row declares (an older gateway declares none, a \
                transcoding one other bytes) is found the same way by its name: the token its \
                instance's calibrated derivation gives the row's id (or the whole id of a wapi_ \
                name), given by exactly one row of the instance. Such a batch's line says "by \
                content" (and how many "by name").

                Logs one line per link (file, message_id, run) and a line per batch on stderr (with \
                --json, one JSON line per batch on stdout, schema in docs/json-output.md); \
                SIGTERM or SIGINT stops it (a batch being written commits and its run is marked \
                interrupted) with exit 0. docs/watch.md has a systemd unit and a cron line.
                """,
                examples: [
                    ("Watch a store", "audiosync watch --media-root /srv/media --database crm.sqlite3"),
                    (
                        "One client, PostgreSQL (password from ~/.pgpass)",
                        "audiosync watch --database postgres://crm@db/crm --client 12"
                    ),
                    ("From cron: one batch, then exit (exit codes as sync's)", "audiosync watch --once -q"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .busy, .configuration])
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Writing") var writing: WriteOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Flag(
            name: [.customShort("n"), .customLong("dry-run")], help: "Write nothing; log what each batch would link.")
        var dryRun = false

        @Flag(help: "Replace or remove existing localPath values the evidence contradicts (journalled).")
        var repair = false

        @OptionGroup var urlTemplate: URLTemplateOptions

        @Flag(
            help:
                "Print one JSON line per batch on stdout (schema: docs/json-output.md) instead of the batch line on stderr."
        )
        var json = false

        @Flag(help: "Run one batch now and exit (for cron); exit codes as sync's.")
        var once = false

        @Flag(
            name: .customLong("install-trigger"),
            help: "PostgreSQL: install a trigger that announces audio rows inserted or edited, and listen to it.")
        var installTrigger = false

        @Option(
            name: .customLong("poll-interval"),
            help: ArgumentHelp("Seconds between looks for new message rows.", valueName: "s"))
        var pollInterval = 2.0

        @Option(help: ArgumentHelp("Seconds a written file must stay unchanged before it is synced.", valueName: "s"))
        var settle = 1.0

        @Option(
            name: .customLong("wait-for-row"),
            help: ArgumentHelp(
                "Seconds a file that matched nothing keeps new message rows a reason to sync again.", valueName: "s"))
        var waitForRow = 600.0

        @Flag(
            name: .customLong("warm"), inversion: .prefixedNo,
            help: ArgumentHelp(
                "Keep each instance's last plan in memory and plan arrivals against it; plan every instance"
                    + " once after the start to warm it. --no-warm plans an instance again for each such batch."))
        var warm = true

        func validate() throws {
            guard pollInterval > 0 else { throw ValidationError("--poll-interval takes seconds, more than 0.") }
            guard settle >= 0 else { throw ValidationError("--settle takes seconds, 0 or more.") }
            guard waitForRow >= 0 else { throw ValidationError("--wait-for-row takes seconds, 0 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("watch", general, stoppable: true, stopIsSuccess: !once) { context in
                let settings = try context.settings(
                    Settings.Flags(store: store, scope: scope, profile: profile, urlTemplate: urlTemplate.urlTemplate))
                var options = WatchOptions()
                options.sync = SyncOptions(dryRun: dryRun, repair: repair)
                options.sync.urlTemplate = try settings.required(.urlTemplate)
                do {
                    try URLTemplateOptions.validate(options.sync.urlTemplate)
                } catch let error as ValidationError {
                    throw CommandFailure(
                        "url_template in \(settings.configFile ?? "the config"): \(error.message)", code: .configuration
                    )
                }
                options.sync.explainLinks = false
                options.sync.stop = context.stop
                options.pollInterval = .milliseconds(Int(pollInterval * 1000))
                options.settle = .milliseconds(Int(settle * 1000))
                options.waitForRow = .milliseconds(Int(waitForRow * 1000))
                options.once = once
                options.installTrigger = installTrigger
                options.warm = warm
                let (logger, syncLogger) = Self.loggers()
                let runner = WatchRunner(
                    database: try settings.database(options: writing.storeOptions),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
                    options: options,
                    logger: logger,
                    syncLogger: syncLogger
                )
                let quiet = context.quiet
                if !quiet && !once {
                    Terminal.error("audiosync watch: watching \(runner.media.root) (stop with Ctrl-C or SIGTERM)")
                }
                let json = json
                try await runner.run { batch in
                    if json {
                        // A line that cannot be encoded is a bug; the batch is written and logged anyway.
                        try? Terminal.printJSONLines(CollectionOfOne(batch.line))
                    } else if !quiet {
                        Terminal.error("audiosync watch: " + Self.summary(batch, dryRun: dryRun))
                    }
                }
            }
        }

        /// The watch's own lines (pending, linked) are its product: logged at info unless `-q`, `-v`
        /// or `AUDIOSYNC_LOG_LEVEL` chose a level. Each batch's sync logs at the chosen level, so by
        /// default a batch's scan and plan stay as quiet as a sync's.
        static func loggers() -> (watch: Logger, sync: Logger) {
            var watch = Logger(label: "audiosync.watch")
            let sync = Logger(label: "audiosync.sync")
            if case .builtIn = LogLevel.current.source { watch.logLevel = .info }
            return (watch, sync)
        }

        /// One line per batch: what it linked, what went to review, what waits for its message row.
        static func summary(_ batch: WatchBatch, dryRun: Bool) -> String {
            let report = batch.report
            var parts = [
                dryRun ? "\(report.changes.links) would be linked" : "\(batch.linked.count) linked",
                "\(report.plan.reviews.count) for review",
                "\(batch.waitingForRow) waiting for a message row",
            ]
            if batch.stillArriving > 0 { parts.append("\(batch.stillArriving) still arriving") }
            if let run = report.run { parts.append("run \(run.rawValue)") }
            let seconds =
                report.timings.scan + report.timings.load + report.timings.hash + report.timings.match
                + report.timings.write
            // The folders a batch synced, when not the whole store.
            var scope = batch.scope.map { "\($0.client)/\($0.instance), " } ?? ""
            if batch.byContent {
                scope += batch.linkedByName > 0 ? "by content, \(batch.linkedByName) by name, " : "by content, "
            }
            if batch.fromLastPlan { scope += "from the last whole plan, " }
            if batch.byWarmPlan { scope += "warm plan, " }
            return "batch \(batch.number): " + parts.joined(separator: ", ")
                + " (\(scope)\(String(format: "%.1f", seconds)) s)"
        }
    }
}
