import ArgumentParser
import Logging
import MessageStore

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

        @Option(
            help: ArgumentHelp(
                "The CRM's database: a SQLite file, or postgres://user:pass@host:port/db.", valueName: "path-or-url"))
        var database: String

        @Argument(help: ArgumentHelp("The run to undo (its id in the journal).", valueName: "run"))
        var run: Int64

        @OptionGroup(title: "Output") var output: OutputOptions

        func run() async throws {
            try await reportingFailures("undo") {
                let store = try await openMessageStore(location: database, logger: Logger(label: "audiosync.undo"))
                let report: UndoReport
                do {
                    report = try await store.undo(run: RunID(run))
                    try await store.close()
                } catch {
                    try? await store.close()
                    throw error
                }
                if output.json {
                    try Terminal.printJSON(report)
                } else {
                    var lines = [
                        "audiosync undo — run \(run) is now \(report.status.rawValue)",
                        "  rows restored                 \(report.restored)",
                        "  already undone                \(report.alreadyUndone)",
                        "  changed since, left alone     \(report.changedSince.count)",
                        "  rows gone                     \(report.missingRows.count)",
                    ]
                    if !report.changedSince.isEmpty {
                        lines.append(
                            "  changed since: "
                                + report.changedSince.prefix(20).map(String.init).joined(separator: ", "))
                    }
                    Terminal.print(lines.joined(separator: "\n"))
                }
            }
        }
    }
}
