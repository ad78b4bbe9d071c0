import Crypto
import Evaluation
import Foundation
import GRDB
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync

/// A generated store in a temporary folder, removed when the value goes away.
final class TestStore {
    let folder: String
    let summary: StoreGenerator.Summary

    init(
        messages: Int = 600, files: Int = 180, chats: Int = 12, seed: UInt64 = 11,
        defects: Set<Defect> = Set(Defect.allCases)
    ) async throws {
        folder = NSTemporaryDirectory() + "audiosync-test-\(UUID().uuidString)"
        var options = GeneratorOptions(outputFolder: folder)
        options.messages = messages
        options.files = files
        options.chats = chats
        options.seed = seed
        options.defects = defects
        summary = try await StoreGenerator(options: options).generate()
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    var mediaRoot: String { summary.mediaRoot }
    var database: String { summary.database }
    var truth: String { summary.truth }

    /// The database, written `batchSize` rows per transaction.
    func location(batchSize: Int = 200) -> DatabaseLocation {
        DatabaseLocation(database: database, options: .init(batchSize: batchSize))
    }

    /// The media store, with a probe cache of its own.
    var media: MediaLocation { MediaLocation(root: mediaRoot, probeCache: .file(folder + "/probe-cache.sqlite")) }

    /// A sync of the store with the built-in profile.
    func syncRunner(dryRun: Bool = false, repair: Bool = false, batchSize: Int = 200) -> SyncRunner {
        SyncRunner(
            database: location(batchSize: batchSize), media: media, profile: .test,
            options: SyncOptions(dryRun: dryRun, repair: repair))
    }

    /// The SHA-256 of the database file's bytes.
    func databaseDigest() throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: database))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Every row's `conteudo`, by id.
    func conteudos() throws -> [Int64: String?] {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in
            var rows: [Int64: String?] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem") {
                rows[row["id"]] = row["conteudo"] as String?
            }
            return rows
        }
    }
}

extension ProfileChoice {
    /// The built-in profile, named `test` in reports.
    static let test = ProfileChoice(.builtInDefault, source: "test")
}
