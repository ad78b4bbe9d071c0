import GRDB

/// One row of `audiosync_run`.
struct RunRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audiosync_run"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let finishedAt = Column(CodingKeys.finishedAt)
        static let summary = Column(CodingKeys.summary)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case status
        case command
        case mediaRoot = "media_root"
        case options
        case summary
        case toolVersion = "tool_version"
    }

    var id: Int64?
    var startedAt: Int64
    var finishedAt: Int64?
    var status: String
    var command: String
    var mediaRoot: String?
    var options: String
    var summary: String?
    var toolVersion: String

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    func record(changes: Int, undone: Int) -> RunRecord {
        RunRecord(
            id: RunID(id ?? 0), startedAt: startedAt, finishedAt: finishedAt,
            status: RunStatus(rawValue: status) ?? .failed, command: command, mediaRoot: mediaRoot, options: options,
            summary: summary, toolVersion: toolVersion, changes: changes, undone: undone)
    }
}
