// SyncScaling: how the sync's stages grow with the store. For each size, in one process per size
// (so peak memory is that size's own): generate the store once (or reuse it), then time a cold
// scan (every file probed), a warm scan, loading, hashing, the engine's stages, the legacy script
// on the same inputs, a real sync (on a copy of the database), and a re-sync of the unchanged store.
//
//   swift run -c release SyncScaling --sizes 10000,100000,1000000 [--postgres URL]
//
// With --postgres (a server URL whose user may create databases), the 100k store's messages are
// also written to a new PostgreSQL database and synced there, beside the SQLite run.

import Evaluation
import Foundation
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync

struct Row: Codable {
    var size = 0
    var files = 0
    var generate = 0.0
    var scanCold = 0.0
    var scanWarm = 0.0
    var load = 0.0
    var hash = 0.0
    var prepare = 0.0
    var block = 0.0
    var score = 0.0
    var assignDecide = 0.0
    var match = 0.0
    var legacy = 0.0
    var sync = 0.0
    var written = 0
    var resync = 0.0
    var resyncStages = ""
    var peakMiB = 0.0
    var backend = "sqlite"
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    return (value, seconds(ContinuousClock.now - start))
}

func timeAsync<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, seconds(ContinuousClock.now - start))
}

func peakMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let storesRoot = argument("--stores") ?? "/tmp/audiosync-bench-stores"

func generatorOptions(_ size: Int) -> GeneratorOptions {
    var options = GeneratorOptions(outputFolder: "\(storesRoot)/\(size)")
    options.messages = size
    options.files = size * 3 / 10
    options.chats = max(10, size / 100)
    options.seed = 2026
    options.defects = Set(Defect.allCases)
    return options
}

/// One size, measured in this process.
func measure(size: Int, postgres: String?) async throws -> Row {
    var row = Row()
    row.size = size
    var options = generatorOptions(size)
    if !FileManager.default.fileExists(atPath: options.truthPath) {
        try? FileManager.default.removeItem(atPath: options.outputFolder)
        (_, row.generate) = try await timeAsync { try await StoreGenerator(options: options).generate() }
    }
    var database = options.databasePath
    if let postgres {
        // The same store's messages, in a fresh PostgreSQL database.
        let name = "audiosync_bench_\(size)_\(getpid())"
        try await Postgres.execute("CREATE DATABASE \(name)", server: postgres)
        var components = URLComponents(string: postgres)!
        components.path = "/\(name)"
        database = components.string!
        var pgOptions = GeneratorOptions(outputFolder: NSTemporaryDirectory() + "bench-pg-\(getpid())")
        pgOptions.messages = options.messages
        pgOptions.files = options.files
        pgOptions.chats = options.chats
        pgOptions.seed = options.seed
        pgOptions.defects = options.defects
        pgOptions.postgresURL = database
        _ = try await StoreGenerator(options: pgOptions).generate()
        options = pgOptions
        row.backend = "postgresql"
    }
    let cache = NSTemporaryDirectory() + "bench-cache-\(getpid()).sqlite"
    try? FileManager.default.removeItem(atPath: cache)
    let scanner = MediaStoreScanner(root: options.mediaRoot, options: ScanOptions(cache: .file(cache)))
    var (scan, scanCold) = try time { try scanner.scan() }
    row.scanCold = scanCold
    (scan, row.scanWarm) = try time { try scanner.scan() }
    row.files = scan.files.count
    let store = try await openMessageStore(location: database, logger: .init(label: "bench"))
    let (load, loadSeconds) = try await timeAsync { try await store.loadAudioMessages(scope: .all) }
    try await store.close()
    row.load = loadSeconds
    var files = scan.files
    let wanted = ContentHashDemand.files(files, messages: load.messages)
    (_, row.hash) = time { ContentHasher.fillSHA256(files: &files, indices: wanted, root: options.mediaRoot) }
    try scanner.rememberDigests(of: files, at: wanted)
    let matcher = Matcher(profile: .builtInDefault)
    let (measured, _) = time {
        matcher.planMeasuringStages(files: files, messages: load.messages, options: .init(explainLinks: false))
    }
    row.prepare = seconds(measured.timings.prepare)
    row.block = seconds(measured.timings.block)
    row.score = seconds(measured.timings.score)
    row.assignDecide = seconds(measured.timings.assignAndDecide)
    (_, row.match) = time { matcher.plan(files: files, messages: load.messages, options: .init(explainLinks: false)) }
    (_, row.legacy) = time { LegacyMatcher.match(files: files, messages: load.messages) }

    // A real sync on a copy (SQLite) or the fresh database (PostgreSQL), then a re-sync.
    if postgres == nil {
        let copy = NSTemporaryDirectory() + "bench-copy-\(getpid()).sqlite"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: database, toPath: copy)
        database = copy
    }
    var syncOptions = SyncOptions()
    syncOptions.explainLinks = false
    let sync = SyncRunner(
        database: DatabaseLocation(database: database),
        media: MediaLocation(root: options.mediaRoot, probeCache: .file(cache)),
        profile: ProfileChoice(.builtInDefault, source: "bench"),
        options: syncOptions)
    let (report, syncSeconds) = try await timeAsync { try await sync.run() }
    row.sync = syncSeconds
    row.written = report.write[.updated]
    let (again, resyncSeconds) = try await timeAsync { try await sync.run() }
    row.resync = resyncSeconds
    let t = again.timings
    row.resyncStages = String(
        format: "scan %.2f, load %.2f, hash %.2f, match %.2f, write %.2f", t.scan, t.load, t.hash, t.match, t.write)
    row.peakMiB = peakMiB()
    if postgres == nil { try? FileManager.default.removeItem(atPath: database) }
    try? FileManager.default.removeItem(atPath: cache)
    return row
}

enum Postgres {
    static func execute(_ sql: String, server: String) async throws {
        // psql is the simplest client that needs no code of ours; the bench machine has it.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-q", server, "-c", sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EvaluationError.badOption("psql failed: \(sql)") }
    }
}

// One size per child process: peak memory is per size, and a size's garbage does not slow the next.
if let one = argument("--one").flatMap(Int.init) {
    let row = try await measure(size: one, postgres: argument("--postgres-one"))
    let data = try JSONEncoder().encode(row)
    FileHandle.standardOutput.write(data)
    exit(0)
}

let sizes = (argument("--sizes") ?? "10000,100000").split(separator: ",").compactMap { Int($0) }
let postgres = argument("--postgres")
var rows: [Row] = []
func child(_ arguments: [String]) throws -> Row {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONDecoder().decode(Row.self, from: data)
}
for size in sizes {
    FileHandle.standardError.write(Data("measuring \(size)…\n".utf8))
    rows.append(try child(["--one", String(size), "--stores", storesRoot]))
}
if let postgres {
    let size = sizes.contains(100_000) ? 100_000 : sizes[0]
    FileHandle.standardError.write(Data("measuring \(size) on PostgreSQL…\n".utf8))
    rows.append(try child(["--one", String(size), "--stores", storesRoot, "--postgres-one", postgres]))
}

func f(_ value: Double) -> String { String(format: "%.2f", value) }
print(
    "| messages | files | backend | scan cold | scan warm | load | hash | prepare | block | score | assign+decide | match | legacy | sync (written) | re-sync | peak MiB |"
)
print(
    "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for row in rows {
    print(
        "| \(row.size) | \(row.files) | \(row.backend) | \(f(row.scanCold)) | \(f(row.scanWarm)) | \(f(row.load)) | \(f(row.hash)) | "
            + "\(f(row.prepare)) | \(f(row.block)) | \(f(row.score)) | \(f(row.assignDecide)) | \(f(row.match)) | \(f(row.legacy)) | "
            + "\(f(row.sync)) (\(row.written)) | \(f(row.resync)) | \(String(format: "%.0f", row.peakMiB)) |"
    )
}
print("")
for row in rows { print("re-sync \(row.size) \(row.backend): \(row.resyncStages)") }
if rows.count >= 2 {
    print("")
    print("growth of the match (time per message, relative to the smallest store):")
    let base = rows[0].match / Double(rows[0].size)
    for row in rows where row.backend == "sqlite" {
        print(
            "  \(row.size): \(String(format: "%.2f", row.match / Double(row.size) / base))× per message, legacy/ours \(String(format: "%.2f", row.legacy / row.match))"
        )
    }
}
