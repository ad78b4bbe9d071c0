import ArgumentParser
import Evaluation
import Foundation
import MatchEngine
import MediaStore
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync demo`: what `make demo` runs.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a small demo store, sync it, and show the legacy script's result beside ours.",
            discussion: CommandHelp.discussion(
                """
                Writes the store (real Ogg Opus and MP3 voice notes, a SQLite database, a truth \
                file) into --out, runs a sync with the built-in profile, prints the report, then \
                scores both the sync and the first script written for this job against the truth.
                """,
                examples: [("What make demo runs", "audiosync demo --out demo-output")],
                exitCodes: [.success, .runtimeFailure, .validationFailure])
        )

        @Option(
            help: ArgumentHelp(
                "A new folder for the demo store (removed first if it holds an earlier demo).", valueName: "dir"))
        var out = "demo-output"

        @OptionGroup(title: "General") var general: GeneralOptions

        func run() async throws {
            try await CommandContext.run("demo", general) { context in
                let marker = out + "/.audiosync-demo"
                if FileManager.default.fileExists(atPath: marker) { try FileManager.default.removeItem(atPath: out) }
                var generatorOptions = GeneratorOptions(outputFolder: out)
                generatorOptions.seed = 4
                let summary = try await StoreGenerator(options: generatorOptions).generateSpecDemo()
                // Without the marker the next demo makes the store again: slower, not wrong.
                _ = FileManager.default.createFile(atPath: marker, contents: Data())
                Terminal.print(
                    "demo store: \(summary.files) files in \(summary.chats) chats, \(summary.audioMessages) audio messages → \(summary.mediaRoot), \(summary.database)\n"
                )
                let database = DatabaseLocation(database: summary.database)
                let media = MediaLocation(root: summary.mediaRoot, probeCache: .file(out + "/probe-cache.sqlite"))
                // Scored before the sync writes: the legacy script writes only rows without a
                // localPath, so it must see the store as it came.
                let evaluation = try await EvaluationRunner(
                    database: database, media: media, profile: .builtInDefault, truthPath: summary.truth,
                    logger: context.logger
                )
                .run()
                let report = try await SyncRunner(
                    database: database, media: media, profile: .builtInDefault, logger: context.logger
                )
                .run()
                Terminal.print(report.text(links: 20, details: true))
                Terminal.print(
                    "\nthe same store, scored against its truth file, beside the approach it replaces: the first "
                        + "sync script (nearest message inserted on the file's day) and the CRM's audio endpoint (a "
                        + "guess for every message the script left without a file)\n"
                )
                Terminal.print(evaluation.text)
                Terminal.print(
                    "\nnext: audiosync explain --media-root \(summary.mediaRoot) --database \(summary.database) --message \(report.plan.links.first?.messageRowID ?? 1)"
                        + "\n      audiosync undo --database \(summary.database) \(report.run.map { String($0.rawValue) } ?? "RUN")"
                )
            }
        }
    }
}
