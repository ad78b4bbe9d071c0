import ArgumentParser
import Evaluation

extension AudioSync {
    /// `audiosync evaluate`.
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the engine (and the legacy script, side by side) against a truth file.",
            discussion: """
                Precision, recall, F1, wrong links (across chats and clients too), review size, \
                broken down per defect and per tier that carried the link. Writes nothing. With \
                --against a report saved by `evaluate --json`, lists what improved and what \
                regressed, and exits with 2 on a regression.
                """
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Option(
            help: ArgumentHelp(
                "The truth file: CSV file,message_id[,defects] (docs/truth-format.md).", valueName: "file"))
        var truth: String

        @Option(help: ArgumentHelp("A report saved earlier with --json, to compare against.", valueName: "report"))
        var against: String?

        func run() async throws {
            try await CommandContext.run("evaluate") { context in
                let runner = EvaluationRunner(
                    database: store.databaseOptions.location(),
                    media: store.media.location(cache: cache),
                    profile: try profile.load(),
                    truthPath: truth,
                    logger: context.logger
                )
                let baseline = try against.map { try EvaluationRunner.Document(contentsOf: $0) }
                let document = try await runner.run(progress: context.progress)
                let comparison = baseline.map { ReportComparison(before: $0.audiosync, after: document.audiosync) }
                try context.print(document, as: output) { document.text + (comparison?.text ?? "") }
                if let comparison, comparison.hasRegression {
                    if output.json {
                        Terminal.error(
                            "audiosync evaluate: regression against \(against!): "
                                + comparison.regressed.map(\.measure).joined(separator: ", "))
                    }
                    throw ExitCode.regression
                }
            }
        }
    }
}
