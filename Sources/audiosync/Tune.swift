import ArgumentParser
import Evaluation
import Foundation
import Sync

extension AudioSync {
    /// `audiosync tune`.
    struct Tune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estimate each strategy level's weight from the data and write a profile.",
            discussion: """
                With --truth: m and u from labelled candidate pairs of half the files, floor and \
                margin chosen for the target precision, figures on the held-out half. Without: u \
                from random pairs, m from pairs anchored by an identifier, the prior from the \
                expected number of links. The profile says where each number came from; check it \
                on other data with `audiosync evaluate --profile`.
                """
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: OutputOptions

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
            try await CommandContext.run("tune") { context in
                let tuner = Tuner(
                    database: store.databaseOptions.location(),
                    media: store.media.location(cache: cache),
                    profile: try profile.load(),
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
