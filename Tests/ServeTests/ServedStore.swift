import AsyncHTTPClient
import Evaluation
import Foundation
import GRDB
import Logging
import MatchEngine
import MediaStore
import MessageStore
import NIOCore
import NIOHTTP1
import Serve
import Strategies
import Sync

/// A generated store (real Ogg Opus notes, a real SQLite file) that a real sync has linked, in a
/// temporary folder removed when the value goes away. Seed 13 is one whose plan still sends files to
/// review after the sync (the review tests need some).
final class ServedStore: Sendable {
    let folder: String
    let summary: StoreGenerator.Summary

    init(messages: Int = 600, files: Int = 180, chats: Int = 12, seed: UInt64 = 13, sync: Bool = true) async throws {
        folder = NSTemporaryDirectory() + "audiosync-serve-\(UUID().uuidString)"
        var options = GeneratorOptions(outputFolder: folder)
        options.messages = messages
        options.files = files
        options.chats = chats
        options.seed = seed
        options.defects = Set(Defect.allCases)
        summary = try await StoreGenerator(options: options).generate()
        if sync {
            _ = try await SyncRunner(database: database, media: media, profile: .test, options: SyncOptions()).run()
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    var mediaRoot: String { summary.mediaRoot }
    var databasePath: String { summary.database }
    var database: DatabaseLocation { DatabaseLocation(database: summary.database) }
    var media: MediaLocation { MediaLocation(root: mediaRoot, probeCache: .file(folder + "/probe-cache.sqlite")) }

    func configuration(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 0), token: AccessToken? = nil,
        corsOrigin: String? = nil, client: String? = nil
    ) -> ServeConfiguration {
        ServeConfiguration(
            listen: listen, database: DatabaseLocation(database: summary.database, client: client), media: media,
            profile: .test, token: token, corsOrigin: corsOrigin,
            urlTemplate: MatchPlan.defaultURLTemplate)
    }

    /// Reads the SQLite file directly, as the CRM would.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try DatabaseQueue(path: summary.database).read(body)
    }

    /// `audioMessage.localPath` of row `id`, as stored.
    func localPath(of id: Int64) throws -> String? {
        let text = try read {
            try String.fetchOne($0, sql: "SELECT conteudo FROM core_mensagem WHERE id = ?", arguments: [id])
        }
        guard let data = text?.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let audio = object["audioMessage"] as? [String: Any]
        else { return nil }
        return audio["localPath"] as? String
    }

    /// Links rows to paths through the library's own write path (compare-and-swap, journalled).
    func link(_ links: [(Int64, String)]) async throws {
        let store = try await openMessageStore(location: summary.database, logger: Logger(label: "test"))
        let load = try await store.loadAudioMessages(scope: .all)
        let run = try await store.beginRun(
            RunStart(
                command: "test", mediaRoot: mediaRoot, options: RunOptions(mediaRoot: mediaRoot, profile: "test"),
                toolVersion: "test"))
        let changes = links.map { row, path in
            ChangeSet.Change(
                messageRowID: row,
                action: .link(localPath: path, localUrl: MatchPlan.url(MatchPlan.defaultURLTemplate, row)))
        }
        let report = try await store.apply(changes, against: load, run: run)
        try await store.finishRun(
            run, status: .finished,
            summary: RunSummary(
                files: 0, links: links.count, reviews: 0, written: report[.updated], unchanged: 0, changedSinceRead: 0))
        try await store.close()
        precondition(report[.updated] == links.count, "the test's links were written")
    }
}

extension ProfileChoice {
    static let test = ProfileChoice(.builtInDefault, source: "test")
}

/// The server running in a task of this process, on a port the system chose.
struct RunningServer {
    let address: ListenAddress
    let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(address.port)" }

    /// Starts the server and returns once its socket is bound (the `onListening` call), not after
    /// any time has passed.
    static func start(_ configuration: ServeConfiguration) async throws -> RunningServer {
        var logger = Logger(label: "test.serve")
        logger.logLevel = .warning
        let server = try ReviewServer(configuration: configuration, logger: logger)
        let (addresses, continuation) = AsyncStream<ListenAddress>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run(onListening: { continuation.yield($0) })
        }
        for await address in addresses { return RunningServer(address: address, task: task) }
        try await task.value
        throw CancellationError()
    }

    /// Stops the server and waits until it has finished the review run and closed the database.
    func stop() async throws {
        task.cancel()
        try await task.value
    }
}

/// The HTTP client of the tests: AsyncHTTPClient, with no redirects followed (the tests look at them).
enum Client {
    static let shared = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    struct Reply {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first(name: name) }
        /// The JSON body as an object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
    }

    static func send(
        _ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: response.status, headers: response.headers, body: Array(bytes.readableBytesView))
    }
}
