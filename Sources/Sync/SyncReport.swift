public import MatchEngine
public import MediaStore
public import MessageStore

/// Everything a sync saw, decided and did: the text report and the `--json` document.
///
/// The JSON schema is documented in `docs/json-output.md`; keys are snake_case and stable.
public struct SyncReport: Sendable, Encodable {
    /// The schema's version; bumped on an incompatible change.
    public var schemaVersion = 1
    public var dryRun: Bool
    public var repair: Bool
    public var mediaRoot: String
    public var database: String
    public var profile: String
    /// The journal's run id; `nil` for a dry run.
    public var run: RunID?
    public var scan: ScanSummary
    public var load: LoadReport
    public var plan: MatchPlan
    public var changes: ChangeSummary
    /// What the store did (or, for a dry run, would do) with the changes.
    public var write: ApplyReport
    public var timings: Timings

    /// What the scan of the media store found.
    public struct ScanSummary: Sendable, Codable {
        /// Every file the walk met, audio or not.
        public var filesSeen: Int
        /// Audio candidates (damaged ones included).
        public var audio: Int
        /// Audio files with a fatal problem (empty, not audio, unreadable).
        public var damaged: Int
        /// Files passed over, by reason.
        public var skipped: [String: Int]
        public var formats: [String: Int]
        public var problems: [String: Int]
        /// Files probed now, and files whose probe came from the cache.
        public var probed: Int
        public var cached: Int
        /// Files hashed because a message could use their SHA-256, and files that could not be.
        public var hashed: Int
        public var hashFailures: Int

        enum CodingKeys: String, CodingKey {
            case filesSeen = "files_seen"
            case audio, damaged, skipped, formats, problems, probed, cached, hashed
            case hashFailures = "hash_failures"
        }
    }

    /// The plan's writes, before they meet the database.
    public struct ChangeSummary: Sendable, Codable {
        public var links: Int
        public var repairs: Int
        public var removals: Int
        public var confirmed: Int
        public var withheld: [ChangeSet.Withheld]
    }

    /// Seconds per stage.
    public struct Timings: Sendable, Codable {
        public var scan = 0.0
        public var load = 0.0
        public var hash = 0.0
        public var match = 0.0
        public var write = 0.0
        public init() {}
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case dryRun = "dry_run"
        case repair
        case mediaRoot = "media_root"
        case database, profile, run, scan, load, plan, changes, write, timings
    }

    // The store's reports key their counts by enums; the document keys them by name, snake_case.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(repair, forKey: .repair)
        try container.encode(mediaRoot, forKey: .mediaRoot)
        try container.encode(database, forKey: .database)
        try container.encode(profile, forKey: .profile)
        try container.encode(run?.rawValue, forKey: .run)
        try container.encode(scan, forKey: .scan)
        try container.encode(LoadDocument(load), forKey: .load)
        try container.encode(plan, forKey: .plan)
        try container.encode(changes, forKey: .changes)
        try container.encode(WriteDocument(write), forKey: .write)
        try container.encode(timings, forKey: .timings)
    }

    struct LoadDocument: Encodable {
        var rowsRead: Int
        var loaded: Int
        var unusable: [String: Int]
        var unusableExamples: [String: [Int64]]
        var invalidFields: [String: Int]

        init(_ report: LoadReport) {
            rowsRead = report.rowsRead
            loaded = report.loaded
            unusable = Dictionary(uniqueKeysWithValues: report.unusable.map { ($0.key.rawValue, $0.value) })
            unusableExamples = Dictionary(
                uniqueKeysWithValues: report.unusableExamples.map { ($0.key.rawValue, $0.value) })
            invalidFields = report.invalidFields
        }

        enum CodingKeys: String, CodingKey {
            case rowsRead = "rows_read"
            case loaded, unusable
            case unusableExamples = "unusable_examples"
            case invalidFields = "invalid_fields"
        }
    }

    struct WriteDocument: Encodable {
        struct Skipped: Encodable {
            var messageRowID: Int64
            var outcome: String

            enum CodingKeys: String, CodingKey {
                case messageRowID = "message_id"
                case outcome
            }
        }

        var counts: [String: Int]
        var skipped: [Skipped]
        var batches: Int

        init(_ report: ApplyReport) {
            counts = Dictionary(uniqueKeysWithValues: ChangeOutcome.allCases.map { ($0.rawValue, report[$0]) })
            skipped = report.skipped.map { Skipped(messageRowID: $0.rowID, outcome: $0.outcome.rawValue) }
            batches = report.batches
        }
    }
}
