import ArgumentParser
import Sync

extension AudioSync {
    /// `audiosync status`: how linked the store is.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count linked messages, links that point at missing files, and files no message claims.",
            discussion: "Reads only. Also lists the journal's latest runs, for undo."
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        func run() async throws {
            try await CommandContext.run("status") { context in
                let runner = StatusRunner(
                    database: store.databaseOptions.location(scope: scope),
                    media: store.media.location(cache: cache),
                    logger: context.logger
                )
                let report = try await runner.run(progress: context.progress)
                try context.print(report, as: output) { report.text }
            }
        }
    }
}
