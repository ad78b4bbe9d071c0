import GRDB

/// One row of `audiosync_run`.
struct RunRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audiosync_run"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let finishedAt = Column(CodingKeys.finishedAt)
        static let summary = Column(CodingKeys.summary)
        static let heartbeatAt = Column(CodingKeys.heartbeatAt)
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
        case pid
        case host
        case heartbeatAt = "heartbeat_at"
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
    var pid: Int64?
    var host: String?
    var heartbeatAt: Int64?

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// Whether the journal holds the run as `running` though its process is gone.
    func isAbandoned(now: Int64) -> Bool {
        status == RunStatus.running.rawValue
            && RunProcess.isAbandoned(pid: pid, host: host, heartbeatAt: heartbeatAt, startedAt: startedAt, now: now)
    }

    /// The run as it reads: a `running` run whose process is gone reads as abandoned.
    func record(changes: Int, undone: Int, now: Int64 = UnixClock.now()) -> RunRecord {
        RunRecord(
            id: RunID(id ?? 0), startedAt: startedAt, finishedAt: finishedAt,
            status: isAbandoned(now: now) ? .abandoned : RunStatus(rawValue: status) ?? .failed, command: command,
            mediaRoot: mediaRoot, options: options,
            summary: summary, toolVersion: toolVersion, changes: changes, undone: undone)
    }
}
