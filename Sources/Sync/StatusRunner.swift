public import Logging
import MatchEngine
import MediaStore
import MessageStore

/// Counts links, broken links and unclaimed files. Reads only: writes nothing anywhere but the
/// probe cache.
public struct StatusRunner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let logger: Logger

    public init(database: DatabaseLocation, media: MediaLocation, logger: Logger = Logger(label: "audiosync.status")) {
        self.database = database
        self.media = media
        self.logger = logger
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> StatusReport {
        try database.refuseProbeCache(of: media)
        let store = try await openMessageStore(
            location: database.database, options: database.options, logger: logger)
        do {
            let status = try await store.status(scope: database.messageScope)
            let claims = status.claims
            let runs = try await store.runs()
            let scope = try await database.scanScope(in: store)
            try await store.close()
            let scan = try media.scanner(logger: logger)
                .scan(scope: scope) { progress?("scan", $0.probed, $0.candidates) }
            // By the bytes each path names, not by `String` equality, which takes an NFC and an NFD
            // spelling of one name as equal although only one of them is a file.
            let paths = Set(scan.files.map { Array($0.path.utf8) })
            let claimed = Set(claims.map { Array(normalisedLocalPath($0.localPath).utf8) })
            let missing = claims.filter { !paths.contains(Array(normalisedLocalPath($0.localPath).utf8)) }
            return StatusReport(
                mediaRoot: media.root,
                database: store.displayLocation,
                audioRows: status.audioRows,
                audioMessages: status.audioMessages,
                linked: status.withLocalPath,
                linksToMissingFiles: missing.count,
                audioFiles: scan.files.count,
                unclaimedFiles: paths.subtracting(claimed).count,
                missingExamples: missing.prefix(20).map {
                    StatusReport.MissingFile(messageRowID: $0.rowID, localPath: $0.localPath)
                },
                recentRuns: runs.prefix(10).map(StatusReport.Run.init)
            )
        } catch {
            try? await store.close()
            throw error
        }
    }
}
