import ArgumentParser
import MatchEngine
import Sync

extension AudioSync {
    /// `audiosync explain`.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show why a file or a message was (or was not) linked: every candidate and its waterfall.",
            discussion: """
                Each candidate pair is shown as a waterfall: the prior, then each strategy's level, \
                bits and weight, the total, and any identifier floor, cap or veto.
                """
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Option(help: ArgumentHelp("Explain this message (core_mensagem.id).", valueName: "id"))
        var message: Int64?

        @Option(help: ArgumentHelp("Explain this file (its path relative to the media root).", valueName: "path"))
        var file: String?

        func validate() throws {
            guard (message == nil) != (file == nil) else {
                throw ValidationError("Give exactly one of --message ID or --file PATH.")
            }
        }

        func run() async throws {
            try await CommandContext.run("explain") { context in
                let runner = ExplainRunner(
                    database: store.databaseOptions.location(),
                    media: store.media.location(cache: cache),
                    profile: try profile.load(),
                    logger: context.logger
                )
                let subject: Matcher.Subject =
                    message.map { .message(rowID: $0) } ?? .file(path: normalisedLocalPath(file!))
                let explanation = try await runner.run(subject, progress: context.progress)
                try context.print(explanation, as: output) { explanation.text }
            }
        }
    }
}
