import Benchmark
import Evaluation
import Foundation
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync

// package-benchmark suites for matching and syncing: wall clock, CPU, allocations and peak memory
// per stage, compared between runs with `swift package benchmark baseline update|compare` (see
// benchmarks/README.md). Sizes come from AUDIOSYNC_BENCH_SIZES (default 10000,100000 audio
// messages, with about a third as many files); stores are generated once and kept under
// AUDIOSYNC_BENCH_STORES (default /tmp/audiosync-bench-stores).

/// A generated store and what a sync reads from it, loaded once per process and size.
final class BenchStore: @unchecked Sendable {
    // @unchecked: filled once under `lock` before any benchmark reads it, then only read.
    let mediaRoot: String
    let database: String
    let files: [AudioFile]
    let messages: [AudioMessage]
    let cache: String

    static let lock = NSLock()
    nonisolated(unsafe) static var stores: [Int: BenchStore] = [:]

    static func shared(_ size: Int) -> BenchStore {
        lock.lock()
        defer { lock.unlock() }
        if let store = stores[size] { return store }
        let store = try! BenchStore(size: size)
        stores[size] = store
        return store
    }

    init(size: Int) throws {
        let base = ProcessInfo.processInfo.environment["AUDIOSYNC_BENCH_STORES"] ?? "/tmp/audiosync-bench-stores"
        let folder = "\(base)/\(size)"
        var options = GeneratorOptions(outputFolder: folder)
        options.messages = size
        options.files = size * 3 / 10
        options.chats = max(10, size / 100)
        options.seed = 2026
        options.defects = Set(Defect.allCases)
        let generator = options
        if !FileManager.default.fileExists(atPath: options.truthPath) {
            try? FileManager.default.removeItem(atPath: folder)
            _ = try runBlocking { try await StoreGenerator(options: generator).generate() }
        }
        mediaRoot = options.mediaRoot
        let database = options.databasePath
        self.database = database
        cache = folder + "/probe-cache.sqlite"
        let scan = try MediaStoreScanner(root: options.mediaRoot, options: ScanOptions(cache: .file(cache))).scan()
        files = scan.files
        messages = try runBlocking {
            let store = try await openMessageStore(location: database, logger: .init(label: "bench"))
            let load = try await store.loadAudioMessages(scope: .all)
            try await store.close()
            return load.messages
        }
    }

    /// A dry run of the whole sync, links without their waterfalls.
    var syncRunner: SyncRunner {
        var options = SyncOptions(dryRun: true)
        options.explainLinks = false
        return SyncRunner(
            database: DatabaseLocation(database: database),
            media: MediaLocation(root: mediaRoot, probeCache: .file(cache)),
            profile: ProfileChoice(.builtInDefault, source: "bench"),
            options: options)
    }
}

/// Runs async work from a synchronous benchmark body.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try result!.get()
}

let sizes = (ProcessInfo.processInfo.environment["AUDIOSYNC_BENCH_SIZES"] ?? "10000,100000")
    .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(20),
        maxIterations: 5
    )
    for size in sizes {
        Benchmark("scan, warm probe cache, \(size) messages") { benchmark in
            let store = BenchStore.shared(size)
            benchmark.startMeasurement()
            blackHole(
                try MediaStoreScanner(root: store.mediaRoot, options: ScanOptions(cache: .file(store.cache)))
                    .scan())
        }
        Benchmark("load messages, \(size)") { benchmark in
            let store = BenchStore.shared(size)
            benchmark.startMeasurement()
            blackHole(
                try runBlocking {
                    let database = try await openMessageStore(
                        location: store.database, logger: .init(label: "bench"))
                    let load = try await database.loadAudioMessages(scope: .all)
                    try await database.close()
                    return load.messages.count
                }
            )
        }
        Benchmark("match (block, score, assign, decide), \(size) messages") { benchmark in
            let store = BenchStore.shared(size)
            let matcher = Matcher(profile: .builtInDefault)
            benchmark.startMeasurement()
            blackHole(matcher.plan(files: store.files, messages: store.messages, options: .init(explainLinks: false)))
        }
        Benchmark("legacy script, \(size) messages") { benchmark in
            let store = BenchStore.shared(size)
            benchmark.startMeasurement()
            blackHole(LegacyMatcher.match(files: store.files, messages: store.messages))
        }
        Benchmark("sync --dry-run, warm probe cache, \(size) messages") { benchmark in
            let store = BenchStore.shared(size)
            benchmark.startMeasurement()
            blackHole(try runBlocking { try await store.syncRunner.run() })
        }
    }
}
