import ArgumentParser
import Sync

extension AudioSync {
    /// `audiosync runs`: the journal, from the database alone.
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs the journal of a database holds, newest first.",
            discussion: CommandHelp.discussion(
                """
                Reads the database only (no media root needed). Each run: its id (for `audiosync \
                undo`), status, command, rows written and undone, and when it started.
                """,
                examples: [
                    ("The runs of a database", "audiosync runs --database crm.sqlite3"),
                    ("The last three, as JSON", "audiosync runs --last 3 --json"),
                ],
                exitCodes: CommandHelp.storeCodes)
        )

        @OptionGroup(title: "Store") var database: DatabaseOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Option(help: ArgumentHelp("Only the newest n runs.", valueName: "n"))
        var last: Int?

        func validate() throws {
            if let last, last < 1 { throw ValidationError("--last takes a count of 1 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("runs", general) { context in
                let settings = try context.settings(Settings.Flags(database: database))
                let report = try await RunsReport.read(
                    try settings.database(scoped: false), limit: last, logger: context.logger)
                try context.print(report, as: output) { report.text }
            }
        }
    }
}
