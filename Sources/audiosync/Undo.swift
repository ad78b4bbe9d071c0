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
                    try Terminal.printJSON(UndoDocument(run: run, report: report))
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

/// `undo --json`: the undo report, snake_case.
struct UndoDocument: Encodable {
    var run: Int64
    var status: String
    var restored: Int
    var alreadyUndone: Int
    var changedSince: [Int64]
    var missingRows: [Int64]

    init(run: Int64, report: UndoReport) {
        self.run = run
        status = report.status.rawValue
        restored = report.restored
        alreadyUndone = report.alreadyUndone
        changedSince = report.changedSince
        missingRows = report.missingRows
    }

    enum CodingKeys: String, CodingKey {
        case run, status, restored
        case alreadyUndone = "already_undone"
        case changedSince = "changed_since"
        case missingRows = "missing_rows"
    }
}
