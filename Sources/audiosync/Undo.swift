import ArgumentParser
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync undo RUN`.
    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give back what a run changed: each message as it was before the run.",
            discussion: CommandHelp.discussion(
                """
                A row is restored only where it still holds exactly what the run wrote; rows changed \
                since are left alone and listed. Undoing twice is harmless. With --dry-run, lists \
                the rows it would restore (localPath now and after) and writes nothing. \
                `audiosync runs` lists the runs.
                """,
                examples: [
                    ("Which runs are there?", "audiosync runs"),
                    ("What would undoing run 7 do?", "audiosync undo -n 7"),
                    ("Undo it", "audiosync undo 7"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .busy, .configuration])
        )

        @OptionGroup(title: "Store") var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The run to undo (its id in the journal).", valueName: "run"))
        var run: Int64

        @Flag(
            name: [.customShort("n"), .customLong("dry-run")],
            help: "Write nothing; list the rows it would restore.")
        var dryRun = false

        @OptionGroup(title: "Writing") var writing: WriteOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        func run() async throws {
            try await CommandContext.run("undo", general, stoppable: true) { context in
                let settings = try context.settings(Settings.Flags(database: database))
                let runner = UndoRunner(
                    database: try settings.database(options: writing.storeOptions, scoped: false),
                    logger: context.logger)
                let summary: UndoSummary
                if dryRun {
                    summary = try await runner.preview(RunID(run))
                } else {
                    summary = try await runner.run(RunID(run), stop: context.stop)
                }
                try context.print(summary, as: output) { summary.text() }
                if summary.interrupted, let signal = context.stop?.signal {
                    Terminal.error(
                        "audiosync undo: interrupted — \(summary.restored) rows restored; `audiosync undo \(run)` again finishes the work"
                    )
                    throw ExitCode(128 + signal)
                }
            }
        }
    }
}
