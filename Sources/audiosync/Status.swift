import ArgumentParser
import Strategies
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
            try await reportingFailures("status") {
                var options = SyncOptions(
                    mediaRoot: store.mediaRoot, database: store.database, profile: .builtInDefault, profileSource: "")
                options.client = scope.client
                options.instance = scope.instance
                options.probeCache = cache.location
                let progress = ProgressLine.ifTerminal()
                let report = try await StatusRunner(options: options).run { stage, done, total in
                    progress?.show(stage: stage, done: done, total: total)
                }
                progress?.clear()
                if output.json { try Terminal.printJSON(report) } else { Terminal.print(report.text) }
            }
        }
    }
}
