import ArgumentParser
import Evaluation
import Sync

extension AudioSync {
    /// `audiosync evaluate`.
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score the engine (and the legacy script, side by side) against a truth file.",
            discussion: CommandHelp.discussion(
                """
                Precision, recall, F1, wrong links (across chats and clients too), review size, \
                broken down per defect and per kind of evidence that carried the link. Writes \
                nothing. With --against a report saved by `evaluate --json`, lists what improved \
                and what regressed, and exits with 2 on a regression.
                """,
                examples: [
                    (
                        "Score a generated store",
                        "audiosync evaluate --media-root /tmp/store/media --database /tmp/store/messages.sqlite --truth /tmp/store/truth.csv"
                    ),
                    (
                        "Compare a profile against a saved report",
                        "audiosync evaluate --truth truth.csv --profile new.yml --against before.json"
                    ),
                ],
                exitCodes: [.success, .runtimeFailure, .regression, .validationFailure, .configuration])
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Option(
            help: ArgumentHelp(
                "The truth file: CSV file,message_id[,defects] (docs/truth-format.md).", valueName: "file"))
        var truth: String

        @Option(help: ArgumentHelp("A report saved earlier with --json, to compare against.", valueName: "report"))
        var against: String?

        func run() async throws {
            try await CommandContext.run("evaluate", general) { context in
                let settings = try context.settings(Settings.Flags(store: store, profile: profile))
                let runner = EvaluationRunner(
                    database: try settings.database(scoped: false),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
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
