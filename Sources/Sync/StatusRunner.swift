public import Logging
import MatchEngine
import MediaStore
import MessageStore

/// Counts links, broken links and files not linked. Reads only: writes nothing anywhere but the
/// probe cache.
public struct StatusRunner: Sendable {
    public let database: DatabaseLocation
    /// The media store; without one, only the database's figures are given.
    public let media: MediaLocation?
    public let logger: Logger

    public init(database: DatabaseLocation, media: MediaLocation?, logger: Logger = Logger(label: "audiosync.status")) {
        self.database = database
        self.media = media
        self.logger = logger
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> StatusReport {
        if let media { try database.refuseProbeCache(of: media) }
        let (status, runs, scope, location) = try await database.withStore(logger: logger) { store in
            (
                try await store.status(scope: database.messageScope), try await store.runs(),
                try await database.scanScope(in: store), store.displayLocation
            )
        }
        var report = StatusReport(
            mediaRoot: media?.root, database: location, audioRows: status.audioRows,
            audioMessages: status.audioMessages, linkedMessages: status.withLocalPath, linksToMissingFiles: nil,
            audioFiles: nil, filesNotLinked: nil, missingExamples: nil,
            recentRuns: runs.prefix(10).map(RunReport.init))
        guard let media else { return report }
        let scan = try media.scanner(logger: logger)
            .scan(scope: scope) { progress?("scan", $0.probed, $0.candidates) }
        // By the bytes each path names, not by `String` equality, which takes an NFC and an NFD
        // spelling of one name as equal although only one of them is a file.
        let paths = Set(scan.files.map { Array($0.path.utf8) })
        let claimed = Set(status.claims.map { Array(normalisedLocalPath($0.localPath).utf8) })
        let missing = status.claims.filter { !paths.contains(Array(normalisedLocalPath($0.localPath).utf8)) }
        report.linksToMissingFiles = missing.count
        report.audioFiles = scan.files.count
        report.filesNotLinked = paths.subtracting(claimed).count
        report.missingExamples = missing.prefix(20).map {
            StatusReport.MissingFile(messageRowID: $0.rowID, localPath: $0.localPath)
        }
        return report
    }
}
