// One run, the same files, every way of learning an Opus note's duration: stat alone, the floor
// (open, read the first 4 KiB and the last 64 KiB, close), our probe (cold and warm probe cache),
// libopusfile, mutagen, and ffprobe one process per file. Prints a Markdown table of rates and
// ratios. Usage: swift run -c release ProbeComparison [--files N] [--ffprobe-files M] [--keep DIR]
import AudioProbe
import Dispatch
import Foundation
import MediaStore
import StoreFixtures

#if canImport(Glibc)
    import Glibc
#endif

struct Arguments {
    var files = 10_000
    var ffprobeFiles = 200
    var keep: String?

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--files": files = Int(iterator.next() ?? "") ?? files
            case "--ffprobe-files": ffprobeFiles = Int(iterator.next() ?? "") ?? ffprobeFiles
            case "--keep": keep = iterator.next()
            default:
                FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
                exit(64)
            }
        }
    }
}

/// A small deterministic generator, so every run measures the same store.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let (s, atto) = (ContinuousClock.now - start).components
    return Double(s) + Double(atto) / 1e18
}

/// WhatsApp-like notes: 16 kHz mono Opus, 120 ms packets, pre-skip 312, no EOS flag, 1–30 s.
func makeStore(root: String, count: Int) throws -> (paths: [String], expected: [Double]) {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let wav = here.appendingPathComponent("../../../Tests/AudioProbeTests/Fixtures/speech-16k.wav").standardized
    let bytes = [UInt8](try Data(contentsOf: wav))[44...]
    let pcm = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
        Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
    }
    let encoder = try OpusEncoder(sampleRate: 16_000, channels: 1, bitrate: 16_000)
    var pool: [OggOpusWriter.Packet] = []
    for start in stride(from: 0, to: pcm.count - 1920, by: 1920) {
        pool.append(try OggOpusWriter.Packet(encoder.encode(Array(pcm[start..<start + 1920]), frameSize: 1920)))
    }
    var random = SplitMix(state: 42)
    var paths: [String] = []
    var expected: [Double] = []
    let fm = FileManager.default
    for k in 0..<count {
        let chat = "\(root)/Client_\(k % 4)/instance_BENCH\(k % 2)/chats/55699\(k % 50)/audio"
        if k < 400 { try fm.createDirectory(atPath: chat, withIntermediateDirectories: true) }
        let packets = (0..<(8 + Int(random.next() % 243))).map { pool[($0 + k) % pool.count] }
        let writer = OggOpusWriter(serialNumber: UInt32(truncatingIfNeeded: random.next()), preSkip: 312)
        let token = String(random.next() % 0xFFFF_FFFF, radix: 16, uppercase: true)
        let name = "msg_\(String(repeating: "0", count: 8 - token.count) + token)_20250811_\(100_000 + k % 86_400).ogg"
        let path = "\(chat)/\(name)"
        fm.createFile(atPath: path, contents: Data(writer.write(packets)))
        paths.append(path)
        expected.append(Double(writer.playableSamples(of: packets)) / 48_000)
    }
    return (paths, expected)
}

let arguments = Arguments()
let work = arguments.keep ?? NSTemporaryDirectory() + "probe-comparison-\(getpid())"
let root = work + "/media"
defer { if arguments.keep == nil { try? FileManager.default.removeItem(atPath: work) } }
try? FileManager.default.removeItem(atPath: root)
var store: (paths: [String], expected: [Double]) = ([], [])
let made = try seconds { store = try makeStore(root: root, count: arguments.files) }
let paths = store.paths
let totalBytes = paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
print(
    "generated \(paths.count) notes (\(totalBytes / paths.count) bytes on average) in \(String(format: "%.2f", made)) s"
)

// Warm the page cache: every measurement below reads files the kernel already holds.
var sink = 0
for path in paths { sink &+= FileManager.default.contents(atPath: path)?.count ?? 0 }

/// Files per second of a single-threaded pass, the best of `runs`.
func rate(runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<runs { best = min(best, try seconds(body)) }
    return Double(paths.count) / best
}

let cPaths = paths.map { Array($0.utf8CString) }
let statRate = rate {
    var info = stat()
    for path in cPaths { path.withUnsafeBufferPointer { _ = lstat($0.baseAddress!, &info) } }
}
var buffer = [UInt8](repeating: 0, count: 64 * 1024)
let floorRate = rate {
    for path in cPaths {
        let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        var info = stat()
        fstat(fd, &info)
        buffer.withUnsafeMutableBytes { raw in
            sink &+= pread(fd, raw.baseAddress, 4096, 0)
            sink &+= pread(fd, raw.baseAddress, 65_536, max(0, off_t(info.st_size) - 65_536))
        }
        close(fd)
    }
}
/// The same pass split over all cores (files/s of the whole machine).
func parallelRate(_ body: @escaping @Sendable (Int) -> Void) -> Double {
    let cores = ScanOptions.coreCount
    let count = paths.count
    var best = Double.infinity
    for _ in 0..<3 {
        best = min(
            best,
            seconds {
                DispatchQueue.concurrentPerform(iterations: cores) { worker in
                    for k in stride(from: worker, to: count, by: cores) { body(k) }
                }
            })
    }
    return Double(count) / best
}
let sharedPaths = cPaths
let floorParallel = parallelRate { k in
    var local = [UInt8](repeating: 0, count: 64 * 1024)
    let fd = sharedPaths[k].withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
    var info = stat()
    fstat(fd, &info)
    local.withUnsafeMutableBytes { raw in
        _ = pread(fd, raw.baseAddress, 4096, 0)
        _ = pread(fd, raw.baseAddress, 65_536, max(0, off_t(info.st_size) - 65_536))
    }
    close(fd)
}
let pathStrings = paths
let probeParallel = parallelRate { k in _ = AudioFileProbe.probe(path: pathStrings[k]) }
var durations = [Double?](repeating: nil, count: paths.count)
let probeRate = rate {
    for (k, path) in paths.enumerated() { durations[k] = AudioFileProbe.probe(path: path).duration }
}
let exact = zip(durations, store.expected).filter { $0.0 == $0.1 }.count
var referenceOptions = AudioFileProbe.Options()
referenceOptions.oggFastPath = false
let referenceRate = rate(runs: 1) {
    for path in paths { sink &+= Int(AudioFileProbe.probe(path: path, options: referenceOptions).duration ?? 0) }
}

// Whole scans: walk, names, probe, cache. Cold = empty probe cache; warm = the second scan.
let cacheFile = work + "/probe-cache.sqlite"
func scanRate(concurrency: Int, warm: Bool) throws -> (Double, ScanResult) {
    var best: (Double, ScanResult)?
    for _ in 0..<3 {
        if !warm {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cacheFile + suffix) }
        }
        let scanner = MediaStoreScanner(
            root: root, options: ScanOptions(cache: .file(cacheFile), concurrency: concurrency))
        var result: ScanResult?
        let time = try seconds { result = try scanner.scan() }
        let rate = Double(paths.count) / time
        if rate > best?.0 ?? 0 { best = (rate, result!) }
    }
    return best!
}
let (scanColdOne, coldResult) = try scanRate(concurrency: 1, warm: false)
let (scanColdAll, coldAllResult) = try scanRate(concurrency: ScanOptions.coreCount, warm: false)
let (scanWarm, warmResult) = try scanRate(concurrency: ScanOptions.coreCount, warm: true)
precondition(coldResult.probedFiles == paths.count && warmResult.probedFiles == 0)
// Each scan rate is the best of three runs (cold runs start from an empty cache file).

// mutagen, in one Python process timed from inside (interpreter start-up excluded).
let listFile = work + "/files.txt"
try paths.joined(separator: "\n").write(toFile: listFile, atomically: true, encoding: .utf8)
func python(_ script: String) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, listFile]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
}
let mutagenOutput = python(
    """
    import sys, time
    from mutagen.oggopus import OggOpus
    paths = open(sys.argv[1]).read().split("\\n")
    best = None
    for _ in range(3):
        t = time.perf_counter()
        lengths = [OggOpus(p).info.length for p in paths]
        e = time.perf_counter() - t
        best = e if best is None else min(best, e)
    print(len(paths) / best)
    print("\\n".join(repr(x) for x in lengths))
    """)
var mutagenRate: Double?
var mutagenExact = 0
if let lines = mutagenOutput?.split(separator: "\n"), let first = lines.first {
    mutagenRate = Double(first)
    for (k, line) in lines.dropFirst().enumerated() where k < paths.count {
        if let value = Double(line), abs(value - store.expected[k]) < 1e-9 { mutagenExact += 1 }
    }
}

// ffprobe, one process per file, on the first files only (it is slow).
let subset = Array(paths.prefix(arguments.ffprobeFiles))
var ffprobeError = 0.0
var ffprobeRate: Double?
if FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe") {
    let time = seconds {
        for (k, path) in subset.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
            process.arguments = ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try? process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                ffprobeError += value - store.expected[k]
            }
        }
    }
    ffprobeRate = Double(subset.count) / time
    ffprobeError /= Double(max(1, subset.count))
}

func phases(_ t: ScanTimings) -> String {
    String(
        format: "walk %.1f, cache read %.1f, probe %.1f, cache write %.1f, assemble %.1f",
        t.walk * 1000, t.cacheRead * 1000, t.probe * 1000, t.cacheWrite * 1000, t.assemble * 1000)
}
func format(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "n/a" }
func ratio(_ value: Double?, _ base: Double?) -> String {
    guard let value, let base, base > 0 else { return "n/a" }
    return String(format: "%.2f×", value / base)
}
var load = [Double](repeating: 0, count: 3)
_ = getloadavg(&load, 3)
var info = utsname()
uname(&info)
let machine = withUnsafeBytes(of: info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
print(
    """

    \(paths.count) WhatsApp-like notes (16 kHz mono Opus, 120 ms packets, pre-skip 312, no EOS, 1–30 s), \
    warm page cache, \(ScanOptions.coreCount) cores (\(machine)), load average at the end \
    \(String(format: "%.2f", load[0])); single-threaded unless marked.

    | method | files/s | vs floor | vs mutagen | vs ffprobe |
    | --- | ---: | ---: | ---: | ---: |
    | stat alone | \(format(statRate)) | \(ratio(statRate, floorRate)) | \(ratio(statRate, mutagenRate)) | \(ratio(statRate, ffprobeRate)) |
    | floor: open, read first 4 KiB + last 64 KiB, close | \(format(floorRate)) | 1.00× | \(ratio(floorRate, mutagenRate)) | \(ratio(floorRate, ffprobeRate)) |
    | **AudioFileProbe.probe (fast path), cold** | \(format(probeRate)) | \(ratio(probeRate, floorRate)) | \(ratio(probeRate, mutagenRate)) | \(ratio(probeRate, ffprobeRate)) |
    | floor, \(ScanOptions.coreCount) threads | \(format(floorParallel)) | \(ratio(floorParallel, floorRate)) | \(ratio(floorParallel, mutagenRate)) | \(ratio(floorParallel, ffprobeRate)) |
    | AudioFileProbe.probe, \(ScanOptions.coreCount) threads | \(format(probeParallel)) | \(ratio(probeParallel, floorRate)) | \(ratio(probeParallel, mutagenRate)) | \(ratio(probeParallel, ffprobeRate)) |
    | AudioFileProbe.probe, libopusfile path | \(format(referenceRate)) | \(ratio(referenceRate, floorRate)) | \(ratio(referenceRate, mutagenRate)) | \(ratio(referenceRate, ffprobeRate)) |
    | scan (walk + names + probe), cold cache, 1 thread | \(format(scanColdOne)) | \(ratio(scanColdOne, floorRate)) | \(ratio(scanColdOne, mutagenRate)) | \(ratio(scanColdOne, ffprobeRate)) |
    | scan, cold cache, \(ScanOptions.coreCount) threads | \(format(scanColdAll)) | \(ratio(scanColdAll, floorRate)) | \(ratio(scanColdAll, mutagenRate)) | \(ratio(scanColdAll, ffprobeRate)) |
    | scan, warm probe cache (no audio read) | \(format(scanWarm)) | \(ratio(scanWarm, floorRate)) | \(ratio(scanWarm, mutagenRate)) | \(ratio(scanWarm, ffprobeRate)) |
    | mutagen (Python, one process) | \(format(mutagenRate)) | \(ratio(mutagenRate, floorRate)) | 1.00× | \(ratio(mutagenRate, ffprobeRate)) |
    | ffprobe, one process per file (\(subset.count) files) | \(format(ffprobeRate)) | \(ratio(ffprobeRate, floorRate)) | \(ratio(ffprobeRate, mutagenRate)) | 1.00× |

    Exact to the sample (against the writer's known duration): AudioProbe \(exact)/\(paths.count), \
    mutagen \(mutagenRate == nil ? "n/a" : "\(mutagenExact)/\(paths.count)"); \
    ffprobe's mean error \(String(format: "%+.1f", ffprobeError * 1000)) ms. \
    Cold scan, 1 thread, ms: \(phases(coldResult.timings)); \
    \(ScanOptions.coreCount) threads: \(phases(coldAllResult.timings)); warm: \(phases(warmResult.timings)).
    """)
if sink == 42 { print("") }  // keeps the reads from being optimised away
