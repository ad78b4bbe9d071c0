import ArgumentParser
import Foundation
import MediaStore
import Sync

extension AudioSync {
    /// `audiosync cache`: the probe caches.
    struct CacheCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cache",
            abstract: "Look after the probe caches (one per media store, under $XDG_CACHE_HOME/audiosync/).",
            subcommands: [Prune.self]
        )

        /// `audiosync cache prune`.
        struct Prune: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove the probe caches of media stores that are gone or unused for a while.",
                discussion: CommandHelp.discussion(
                    """
                    A probe cache remembers each file's probe, so a re-scan reads no audio bytes; \
                    one is kept per media root. This removes those whose media root no longer \
                    exists, or that no scan used for --older-than days. A cache is only a \
                    speed-up: a removed one is rebuilt by the next scan. Caches given with \
                    --probe-cache are never touched.
                    """,
                    examples: [
                        ("What would go", "audiosync cache prune -n"),
                        ("Remove caches unused for 90 days", "audiosync cache prune --older-than 90"),
                    ],
                    exitCodes: [.success, .runtimeFailure, .validationFailure])
            )

            @Option(name: .customLong("older-than"), help: ArgumentHelp("Days without use.", valueName: "days"))
            var olderThan = 30

            @Flag(name: [.customShort("n"), .customLong("dry-run")], help: "Remove nothing; list what would go.")
            var dryRun = false

            @OptionGroup(title: "Output") var output: OutputOptions
            @OptionGroup(title: "General") var general: GeneralOptions

            func validate() throws {
                guard olderThan >= 0 else { throw ValidationError("--older-than takes a number of days, 0 or more.") }
            }

            func run() async throws {
                try await CommandContext.run("cache prune", general) { context in
                    let pruner = ProbeCachePruner(
                        folder: ProbeCache.standardFolder(), maximumAge: Int64(olderThan) * 86_400)
                    let report = CachePruneReport(
                        folder: pruner.folder, dryRun: dryRun, olderThanDays: olderThan,
                        verdicts: try pruner.prune(remove: !dryRun))
                    try context.print(report, as: output) { report.text }
                }
            }
        }
    }
}
