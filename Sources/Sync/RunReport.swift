import Foundation
public import Logging
public import MatchEngine
public import MessageStore

/// One run of the journal as `status` and `runs` show it, its times in ISO 8601 (UTC).
public struct RunReport: Sendable, Encodable {
    public var id: RunID
    public var status: RunStatus
    public var command: String
    public var startedAt: String
    @Nullable public var finishedAt: String?
    @Nullable public var mediaRoot: String?
    public var toolVersion: String
    /// Rows the run wrote (journalled changes), and how many of them were undone since.
    public var changes: Int
    public var undone: Int
    /// What the run recorded when it finished; `null` while it runs (or if it was killed).
    @Nullable public var summary: RunSummary?

    public init(_ run: RunRecord) {
        id = run.id
        status = run.status
        command = run.command
        startedAt = iso8601UTC(run.startedAt)
        finishedAt = run.finishedAt.map(iso8601UTC)
        mediaRoot = run.mediaRoot
        toolVersion = run.toolVersion
        changes = run.changes
        undone = run.undone
        // The journal writes its JSON columns with snake_case keys, as ReportJSON does.
        summary = run.summary.flatMap { try? ReportJSON.decoder().decode(RunSummary.self, from: Data($0.utf8)) }
    }

    /// One line: id, status, what it did, when.
    var textLine: String {
        "  run \(id)  \(status.rawValue)  \(command)  \(changes) rows written, \(undone) undone  \(startedAt)"
    }
}

/// `audiosync runs`: the journal's runs, from the database alone.
public struct RunsReport: Sendable, Encodable {
    public var schemaVersion = 1
    public var database: String
    /// Newest first.
    public var runs: [RunReport]

    /// Reads the journal of `database`.
    public static func read(_ database: DatabaseLocation, limit: Int?, logger: Logger) async throws -> RunsReport {
        try await database.withStore(logger: logger) { store in
            let runs = try await store.runs()
            return RunsReport(
                database: displayDatabaseLocation(database.database),
                runs: (limit.map { Array(runs.prefix($0)) } ?? runs).map(RunReport.init))
        }
    }

    /// The text people read.
    public var text: String {
        var lines = ["audiosync runs — \(database)"]
        if runs.isEmpty {
            lines.append("  no run yet: `audiosync sync` records one whenever it writes")
        } else {
            lines += runs.map(\.textLine)
            lines.append("")
            lines.append("undo one with: audiosync undo RUN (see first what it would do: audiosync undo --dry-run RUN)")
        }
        return lines.joined(separator: "\n")
    }
}
