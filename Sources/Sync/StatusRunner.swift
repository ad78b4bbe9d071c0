import Foundation
public import Logging
import MatchEngine
import MediaStore
public import MessageStore

/// How linked a store is: `audiosync status`.
public struct StatusReport: Sendable, Encodable {
    public var mediaRoot: String
    public var database: String
    /// Audio rows in scope, usable or not, and those that became messages.
    public var audioRows: Int
    public var audioMessages: Int
    /// Messages with a `localPath`.
    public var linked: Int
    /// Of those, how many point at no file of the store.
    public var linksToMissingFiles: Int
    /// Audio files of the store (in scope), and how many no message claims.
    public var audioFiles: Int
    public var unclaimedFiles: Int
    /// Up to 20 of the broken links, for a look.
    public var missingExamples: [LinkClaim]
    /// The journal's latest runs.
    public var recentRuns: [RunRecord]

    enum CodingKeys: String, CodingKey {
        case mediaRoot = "media_root"
        case database
        case audioRows = "audio_rows"
        case audioMessages = "audio_messages"
        case linked
        case linksToMissingFiles = "links_to_missing_files"
        case audioFiles = "audio_files"
        case unclaimedFiles = "unclaimed_files"
        case missingExamples = "missing_examples"
        case recentRuns = "recent_runs"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mediaRoot, forKey: .mediaRoot)
        try container.encode(database, forKey: .database)
        try container.encode(audioRows, forKey: .audioRows)
        try container.encode(audioMessages, forKey: .audioMessages)
        try container.encode(linked, forKey: .linked)
        try container.encode(linksToMissingFiles, forKey: .linksToMissingFiles)
        try container.encode(audioFiles, forKey: .audioFiles)
        try container.encode(unclaimedFiles, forKey: .unclaimedFiles)
        try container.encode(
            missingExamples.map { ClaimDocument(messageRowID: $0.rowID, localPath: $0.localPath) },
            forKey: .missingExamples)
        try container.encode(recentRuns.map(RunDocument.init), forKey: .recentRuns)
    }

    struct ClaimDocument: Encodable {
        var messageRowID: Int64
        var localPath: String

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case localPath = "local_path"
        }
    }

    /// A journal run, snake_case.
    struct RunDocument: Encodable {
        var id: Int64
        var status: String
        var command: String
        var startedAt: String
        var finishedAt: String?
        var changes: Int
        var undone: Int

        init(_ run: RunRecord) {
            id = run.id.rawValue
            status = run.status.rawValue
            command = run.command
            startedAt = iso8601UTC(run.startedAt)
            finishedAt = run.finishedAt.map(iso8601UTC)
            changes = run.changes
            undone = run.undone
        }

        enum CodingKeys: String, CodingKey {
            case id, status, command
            case startedAt = "started_at"
            case finishedAt = "finished_at"
            case changes, undone
        }
    }

    /// The text people read.
    public var text: String {
        var lines = [
            "audiosync status",
            "  media root  \(mediaRoot)",
            "  database    \(database)",
            "",
            "  audio messages               \(audioMessages)\(audioRows > audioMessages ? "  (\(audioRows - audioMessages) more rows unusable)" : "")",
            "  linked (localPath set)       \(linked)",
            "  links to missing files       \(linksToMissingFiles)",
            "  audio files in the store     \(audioFiles)",
            "  files no message claims      \(unclaimedFiles)",
        ]
        for claim in missingExamples.prefix(5) {
            lines.append("    missing: message \(claim.rowID) → \(claim.localPath)")
        }
        if !recentRuns.isEmpty {
            lines.append("")
            lines.append("recent runs (undo with: audiosync undo --database … RUN)")
            for run in recentRuns.prefix(5) {
                lines.append(
                    "  run \(run.id)  \(run.status.rawValue)  \(run.command)  \(run.changes) rows changed, \(run.undone) undone  \(iso8601UTC(run.startedAt))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Counts links, broken links and unclaimed files. Reads only: writes nothing anywhere but the
/// probe cache.
public struct StatusRunner: Sendable {
    public let options: SyncOptions
    public let logger: Logger

    public init(options: SyncOptions, logger: Logger = Logger(label: "audiosync.status")) {
        self.options = options
        self.logger = logger
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> StatusReport {
        let store = try await openMessageStore(
            location: options.database, options: options.storeOptions, logger: logger)
        do {
            let status = try await store.status(scope: options.messageScope)
            let claims = status.claims
            let runs = try await store.runs()
            let scope = try await SyncRunner(options: options, logger: logger).scanScope(store: store)
            try await store.close()
            let scan = try MediaStoreScanner(
                root: options.mediaRoot, options: ScanOptions(cache: options.probeCache), logger: logger
            )
            .scan(scope: scope) { progress?("scan", $0.probed, $0.candidates) }
            let paths = Set(scan.files.map(\.path))
            let claimed = Set(claims.map { normalisedLocalPath($0.localPath) })
            let missing = claims.filter { !paths.contains(normalisedLocalPath($0.localPath)) }
            return StatusReport(
                mediaRoot: options.mediaRoot,
                database: store.displayLocation,
                audioRows: status.audioRows,
                audioMessages: status.audioMessages,
                linked: status.withLocalPath,
                linksToMissingFiles: missing.count,
                audioFiles: scan.files.count,
                unclaimedFiles: paths.subtracting(claimed).count,
                missingExamples: Array(missing.prefix(20)),
                recentRuns: Array(runs.prefix(10))
            )
        } catch {
            try? await store.close()
            throw error
        }
    }
}
