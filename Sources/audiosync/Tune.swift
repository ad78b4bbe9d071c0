import ArgumentParser
import Evaluation
import Foundation
import Sync

extension AudioSync {
    /// `audiosync tune`.
    struct Tune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estimate each strategy level's weight from the data and write a profile.",
            discussion: CommandHelp.discussion(
                """
                With --truth: each level's weight from labelled candidate pairs of half the files, \
                figures on the held-out half. Without: from random pairs and pairs anchored by an \
                identifier. The profile says where each number came from; check it on other data \
                with `audiosync evaluate --profile`, then use it with `audiosync sync --profile`.
                """,
                examples: [
                    ("Weights from this store's own data", "audiosync tune --out tuned.yml"),
                    ("From a labelled store", "audiosync tune --truth truth.csv --out tuned.yml"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .configuration])
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Option(help: ArgumentHelp("A truth file, for labelled tuning.", valueName: "file"))
        var truth: String?

        @Option(help: ArgumentHelp("Where to write the profile.", valueName: "profile.yml"))
        var out: String

        @Option(
            name: .customLong("target-precision"), help: "The precision floor and margin must keep (labelled tuning).")
        var targetPrecision = 0.999

        func validate() throws {
            guard (0.5..<1).contains(targetPrecision) else {
                throw ValidationError("--target-precision must be in [0.5, 1).")
            }
        }

        func run() async throws {
            try await CommandContext.run("tune", general) { context in
                let settings = try context.settings(Settings.Flags(store: store, profile: profile))
                let tuner = Tuner(
                    database: try settings.database(scoped: false),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
                    truthPath: truth,
                    targetPrecision: targetPrecision,
                    logger: context.logger
                )
                // Before minutes of work: the profile must not land on the database.
                try tuner.database.refuseWriting(out, as: "--out")
                let result = try await tuner.run(progress: context.progress)
                do {
                    try result.yaml.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandFailure("cannot write \(out): \(error.localizedDescription)")
                }
                try context.print(result, as: output) { result.text(writtenTo: out) }
            }
        }
    }
}
