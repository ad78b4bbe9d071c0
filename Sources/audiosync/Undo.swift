import ArgumentParser
import MessageStore
import Sync

extension AudioSync {
    /// `audiosync undo RUN`.
    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give back the old conteudo of every row a run changed.",
            discussion: """
                A row is restored only where it still holds exactly what the run wrote; rows changed \
                since are left alone and listed. Undoing twice is harmless. `audiosync status` lists \
                the runs.
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: ArgumentHelp("The run to undo (its id in the journal).", valueName: "run"))
        var run: Int64

        @OptionGroup(title: "Output") var output: OutputOptions

        func run() async throws {
            try await CommandContext.run("undo") { context in
                let summary = try await UndoRunner(database: database.location(), logger: context.logger)
                    .run(RunID(run))
                try context.print(summary, as: output) { summary.text }
            }
        }
    }
}
