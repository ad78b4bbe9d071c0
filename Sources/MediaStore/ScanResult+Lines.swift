public import MatchEngine

// The records of `scan --format jsonl`: one per file, then the summary.

extension ScanResult {
    /// A file's record: where it is, what its name says, and what its bytes say (`null` where
    /// nothing is known).
    public struct FileLine: Sendable, Encodable {
        public let type = "file"
        public var path: String
        public var client: String
        public var instance: String
        public var chat: String
        @Nullable public var kind: String?
        @Nullable public var token: String?
        @Nullable public var tokenKind: String?
        /// The file-name time, ISO 8601 without a zone (the downloader's clock).
        @Nullable public var nameTime: String?
        public var format: String
        /// Seconds.
        @Nullable public var duration: Double?
        public var durationIsEstimate: Bool
        public var size: Int64
        /// Unix seconds.
        @Nullable public var mtime: Int64?
        @Nullable public var problem: String?

        public init(_ file: AudioFile) {
            path = file.path
            client = file.clientFolder
            instance = file.instanceID
            chat = file.chatFolder
            kind = file.kind
            token = file.name.token
            tokenKind = file.name.tokenKind?.rawValue
            nameTime = file.name.time?.iso8601
            format = file.format.rawValue
            duration = file.duration
            durationIsEstimate = file.durationIsEstimate
            size = file.size
            mtime = file.modificationTime
            problem = file.problem?.rawValue
        }
    }

    /// The record that ends the listing: counts, and how long the scan took.
    public struct SummaryLine: Sendable, Encodable {
        public let type = "summary"
        public var files: Int
        public var probed: Int
        public var cached: Int
        public var extensionMismatches: Int
        public var formats: [String: Int]
        public var problems: [String: Int]
        public var skipped: [String: Int]
        public var seconds: Double
    }

    /// One record per file, in path order.
    public var fileLines: LazyMapSequence<[AudioFile], FileLine> { files.lazy.map(FileLine.init) }

    /// The summary record.
    public var summaryLine: SummaryLine {
        SummaryLine(
            files: files.count,
            probed: probedFiles,
            cached: cachedFiles,
            extensionMismatches: extensionMismatches,
            formats: Dictionary(uniqueKeysWithValues: countsByFormat.map { ($0.key.rawValue, $0.value) }),
            problems: Dictionary(uniqueKeysWithValues: countsByProblem.map { ($0.key.rawValue, $0.value) }),
            skipped: Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, $0.value) }),
            seconds: timings.total
        )
    }
}
