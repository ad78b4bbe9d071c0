import ArgumentParser
import Evaluation
import Sync

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
            try await reportingFailures("evaluate") {
                let (loaded, source) = try profile.load()
                var options = SyncOptions(
                    mediaRoot: store.mediaRoot, database: store.database, profile: loaded, profileSource: source)
                options.probeCache = cache.location
                let baseline = try against.map { try EvaluationRunner.Document(contentsOf: $0) }
                let progress = ProgressLine.ifTerminal()
                let document = try await EvaluationRunner(options: options, truthPath: truth).run {
                    stage, done, total in
                    progress?.show(stage: stage, done: done, total: total)
                }
                progress?.clear()
                let comparison = baseline.map { ReportComparison(before: $0.audiosync, after: document.audiosync) }
                if output.json {
                    try Terminal.printJSON(document)
                } else {
                    Terminal.print(document.text + (comparison?.text ?? ""))
                }
                if comparison?.hasRegression == true {
                    if output.json {
                        Terminal.error(
                            "audiosync evaluate: regression against \(against!): "
                                + comparison!.regressed.map(\.measure).joined(separator: ", "))
                    }
                    throw ExitCode.regression
                }
            }
        }
    }
}
