public import MatchEngine
public import MessageStore

/// Everything a sync saw, decided and did: the text report and the `--json` document.
///
/// The JSON schema is documented in `docs/json-output.md`; ``ReportJSON`` writes it, keys
/// snake_case and stable.
public struct SyncReport: Sendable, Encodable {
    /// The schema's version; bumped on an incompatible change.
    public var schemaVersion = 2
    public var dryRun: Bool
    public var repair: Bool
    public var mediaRoot: String
    public var database: String
    public var profile: String
    /// The journal's run id; `nil` (`null` in the JSON) for a dry run or when nothing was written.
    @Nullable public var run: RunID?
    public var scan: ScanSummary
    public var load: LoadReport
    public var plan: MatchPlan
    public var changes: ChangeSummary
    /// Links whose file has a problem (truncated, damaged part-way), with what to do about it.
    public var linkedWithProblems: [ProblemLink] = []
    /// What the store did (or, for a dry run, would do) with the changes.
    public var write: ApplyReport { didSet { writeSummary = WriteSummary(write) } }
    public var timings: Timings
    /// The changes this run wrote (not in the JSON, whose `plan` and `write` say the same in
    /// figures): what `audiosync watch` logs, one line per link.
    public var applied: [ChangeSet.Change] = []
    /// Set when nothing changed since a run whose plan had nothing to write: this run skipped
    /// probing, loading and matching (``SyncMemory``), its `plan` is empty, and its counts, scan
    /// and load figures are that run's.
    @Nullable public var unchangedSince: UnchangedSince? = nil
    /// Set when only additions were found since a run whose plan had nothing to write, and taken
    /// without a whole plan (``SyncRunner/runAdditions(_:walk:store:check:)``): the plan, counts
    /// and writes are those of the added files alone.
    @Nullable public var additionsSince: AdditionsSince? = nil
    /// The remembered run's counts, which ``counts`` then returns.
    var rememberedCounts: Counts?
    /// ``write`` as the JSON shows it; kept in step with it.
    private var writeSummary: WriteSummary

    public init(
        dryRun: Bool, repair: Bool, mediaRoot: String, database: String, profile: String, run: RunID?,
        scan: ScanSummary, load: LoadReport, plan: MatchPlan, changes: ChangeSummary, write: ApplyReport,
        timings: Timings
    ) {
        self.dryRun = dryRun
        self.repair = repair
        self.mediaRoot = mediaRoot
        self.database = database
        self.profile = profile
        self.run = run
        self.scan = scan
        self.load = load
        self.plan = plan
        self.changes = changes
        self.write = write
        self.timings = timings
        writeSummary = WriteSummary(write)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, dryRun, repair, mediaRoot, database, profile, run, unchangedSince, additionsSince, counts
        case scan, load, plan
        case changes, linkedWithProblems
        case writeSummary = "write"
        case timings
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(repair, forKey: .repair)
        try container.encode(mediaRoot, forKey: .mediaRoot)
        try container.encode(database, forKey: .database)
        try container.encode(profile, forKey: .profile)
        try container.encode(_run, forKey: .run)
        try container.encode(_unchangedSince, forKey: .unchangedSince)
        try container.encode(_additionsSince, forKey: .additionsSince)
        try container.encode(counts, forKey: .counts)
        try container.encode(scan, forKey: .scan)
        try container.encode(load, forKey: .load)
        try container.encode(plan, forKey: .plan)
        try container.encode(changes, forKey: .changes)
        try container.encode(linkedWithProblems, forKey: .linkedWithProblems)
        try container.encode(writeSummary, forKey: .writeSummary)
        try container.encode(timings, forKey: .timings)
    }

    /// The arrays `--json` writes a block at a time (``ReportJSON/writePretty(_:streaming:blockSize:to:)``):
    /// the plan's, which hold an entry per file or linked row, each link with its waterfall. The
    /// counts, which the document derives from them, are kept as they are.
    public static var jsonStreaming: ReportJSON.Streaming<SyncReport> {
        ReportJSON.Streaming(
            [.init(\.plan.links), .init(\.plan.reviews), .init(\.plan.unmatched), .init(\.plan.claims)],
            freezingDerivedFigures: { report in
                var report = report
                report.rememberedCounts = report.counts
                return report
            })
    }

    /// When the inputs of an unchanged run were last planned, and their fingerprint.
    public struct UnchangedSince: Sendable, Encodable, Hashable {
        /// ISO 8601, UTC.
        public var recordedAt: String
        /// The fingerprint of the rows, the files and the rest (clients, rejections, profile,
        /// options, binary).
        public var inputs: String
    }

    /// What the scan of the media store found.
    public struct ScanSummary: Sendable, Codable {
        /// Every file the walk met, audio or not.
        public var filesSeen: Int
        /// Audio candidates (damaged ones included).
        public var audio: Int
        /// Audio files that cannot be used at all (empty, not audio, unreadable); they are left
        /// unmatched. Files with a lesser problem (truncated, damaged part-way) are in `problems`.
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
    }

    /// The plan's writes, before they meet the database.
    public struct ChangeSummary: Sendable, Codable {
        public var links: Int
        public var repairs: Int
        public var removals: Int
        public var confirmed: Int
        public var withheld: [ChangeSet.Withheld]
    }

    /// A link whose file has a problem: the link stands (the evidence is strong), but the file may
    /// not play to its end.
    public struct ProblemLink: Sendable, Encodable {
        public var messageID: Int64
        public var file: String
        public var problem: String
        /// What is wrong and what to do, in words.
        public var advice: String

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case file, problem, advice
        }
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

    /// The store's apply report as the document keys it: every outcome counted by name (zeros
    /// included), and the skipped rows by message id.
    struct WriteSummary: Sendable, Encodable {
        struct Skipped: Sendable, Encodable {
            var messageRowID: Int64
            var outcome: ChangeOutcome

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
            skipped = report.skipped.map { Skipped(messageRowID: $0.rowID, outcome: $0.outcome) }
            batches = report.batches
        }
    }
}
