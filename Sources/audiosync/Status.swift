import ArgumentParser
import Sync

extension AudioSync {
    /// `audiosync status`: how linked the store is.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count linked messages, links that point at missing files, and files not linked.",
            discussion: CommandHelp.discussion(
                """
                Reads only. Without a media root, gives the database's figures and its latest runs.
                """,
                examples: [
                    ("How linked is the store?", "audiosync status --media-root /srv/media --database crm.sqlite3"),
                    ("The database alone", "audiosync status --database crm.sqlite3"),
                ],
                exitCodes: CommandHelp.storeCodes)
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        func run() async throws {
            try await CommandContext.run("status", general) { context in
                let settings = try context.settings(Settings.Flags(store: store, scope: scope))
                let media = settings[.mediaRoot] == nil ? nil : settings
                let runner = StatusRunner(
                    database: try settings.database(),
                    media: try media?.media(cache: cache),
                    logger: context.logger
                )
                let report = try await runner.run(progress: context.progress)
                try context.print(report, as: output) { report.text }
            }
        }
    }
}
