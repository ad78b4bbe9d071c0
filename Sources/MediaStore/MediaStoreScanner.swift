import AudioProbe
import Dispatch
public import Logging
import MatchEngine
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a media store into ``MatchEngine/AudioFile`` values: walks the folders, parses names and
/// paths, and probes format and duration on all cores, with the probe cache.
///
/// ```swift
/// let scanner = MediaStoreScanner(root: "/srv/media")
/// let result = try scanner.scan(scope: ScanScope(clientFolder: "Ana_Souza"))
/// result.files.count  // audio candidates, damaged ones included
/// ```
public struct MediaStoreScanner: Sendable {
    /// The media root as given.
    public let root: String
    public let options: ScanOptions
    public let logger: Logger

    public init(
        root: String, options: ScanOptions = ScanOptions(), logger: Logger = Logger(label: "audiosync.media-store")
    ) {
        self.root = root
        self.options = options
        self.logger = logger
    }

    /// Scans the store (or the part `scope` names).
    ///
    /// - Parameters:
    ///   - scope: which client folder and/or instance to walk.
    ///   - progress: called now and then, from any thread.
    /// - Throws: ``MediaStoreError/rootMissing(path:)``, ``MediaStoreError/rootNotDirectory(path:)``,
    ///   or ``MediaStoreError/cache(path:reason:)`` when the probe cache cannot be opened.
    public func scan(
        scope: ScanScope = .all,
        progress: (@Sendable (ScanProgress) -> Void)? = nil
    ) throws(MediaStoreError) -> ScanResult {
        let clock = ContinuousClock()
        let started = clock.now
        let realRoot = try resolveRoot()
        var walker = StoreWalker(
            realRoot: realRoot, scope: scope, audioExtensions: options.audioExtensions, progress: progress)
        walker.walk()
        let walked = clock.now

        let cache = try openCache(realRoot: realRoot)
        var known: [String: ProbeCache.Entry] = [:]
        if let cache {
            do {
                known = try cache.entries()
            } catch {
                logger.warning("probe cache unreadable, probing everything: \(error)")
            }
        }
        let candidates = walker.candidates
        var outcomes = [ProbeOutcome?](repeating: nil, count: candidates.count)
        var pending: [Int] = []
        for (index, candidate) in candidates.enumerated() {
            if let entry = known[candidate.relativePath], entry.size == candidate.size,
                entry.mtimeNanoseconds == candidate.mtimeNanoseconds
            {
                outcomes[index] = ProbeOutcome(
                    format: entry.format, duration: entry.duration, durationIsEstimate: entry.durationIsEstimate,
                    problem: entry.problem)
            } else {
                pending.append(index)
            }
        }
        let cachedCount = candidates.count - pending.count
        progress?(ScanProgress(phase: .probing, candidates: candidates.count, probed: cachedCount))
        let probed = probeInParallel(candidates, pending, alreadyDone: cachedCount, progress: progress)
        for (index, outcome) in probed { outcomes[index] = outcome }

        if let cache {
            let entries = probed.map { index, outcome in
                let c = candidates[index]
                return ProbeCache.Entry(
                    path: c.relativePath, size: c.size, mtimeNanoseconds: c.mtimeNanoseconds, format: outcome.format,
                    duration: outcome.duration, durationIsEstimate: outcome.durationIsEstimate, problem: outcome.problem
                )
            }
            do {
                // Unreadable files are not remembered: they may be readable next time.
                try cache.store(entries.filter { $0.problem != .unreadable })
                if scope == .all { try cache.removeEntries(notIn: Set(candidates.map(\.relativePath))) }
            } catch {
                logger.warning("probe cache not updated: \(error)")
            }
        }

        var files: [AudioFile] = []
        files.reserveCapacity(candidates.count)
        var mismatches = 0
        for (index, candidate) in candidates.enumerated() {
            let outcome = outcomes[index]!
            if ProbeOutcome.extensionLies(format: outcome.format, extension: candidate.fileExtension) {
                mismatches += 1
            }
            files.append(
                AudioFile(
                    path: candidate.relativePath,
                    clientFolder: candidate.layout.clientFolder,
                    instanceID: candidate.layout.instanceID,
                    chatFolder: candidate.layout.chatFolder,
                    kind: candidate.layout.kind,
                    name: FileNameParser.parse(candidate.layout.fileName),
                    modificationTime: candidate.mtimeNanoseconds.floorDivided(by: 1_000_000_000),
                    size: candidate.size,
                    format: outcome.format,
                    duration: outcome.duration,
                    durationIsEstimate: outcome.durationIsEstimate,
                    problem: outcome.problem
                ))
        }
        files.sort { $0.path < $1.path }
        let finished = clock.now
        progress?(ScanProgress(phase: .done, candidates: candidates.count, probed: candidates.count))
        return ScanResult(
            files: files,
            skipped: walker.skipped,
            probedFiles: probed.count,
            cachedFiles: cachedCount,
            extensionMismatches: mismatches,
            walkSeconds: (walked - started).seconds,
            probeSeconds: (finished - walked).seconds
        )
    }

    private func resolveRoot() throws(MediaStoreError) -> String {
        var info = stat()
        guard stat(root, &info) == 0 else { throw .rootMissing(path: root) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .rootNotDirectory(path: root) }
        guard let resolved = realpath(root, nil) else { throw .unreadable(path: root, errno: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func openCache(realRoot: String) throws(MediaStoreError) -> ProbeCache? {
        let path: String
        switch options.cache {
        case .disabled: return nil
        case .file(let file): path = file
        case .standard: path = ProbeCache.standardPath(forMediaRoot: realRoot)
        }
        do {
            return try ProbeCache(path: path)
        } catch {
            throw .cache(path: path, reason: "\(error)")
        }
    }

    /// Probes `pending` candidates on `options.concurrency` threads; workers take small batches
    /// from a shared counter so one slow file does not hold up a whole share.
    private func probeInParallel(
        _ candidates: [StoreWalker.Candidate],
        _ pending: [Int],
        alreadyDone: Int,
        progress: (@Sendable (ScanProgress) -> Void)?
    ) -> [(Int, ProbeOutcome)] {
        guard !pending.isEmpty else { return [] }
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let results = Mutex<[(Int, ProbeOutcome)]>([])
        let batch = 16
        let workers = min(options.concurrency, (pending.count + batch - 1) / batch)
        let total = candidates.count
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            var local: [(Int, ProbeOutcome)] = []
            while true {
                let start = next.add(batch, ordering: .relaxed).oldValue
                if start >= pending.count { break }
                for k in start..<min(start + batch, pending.count) {
                    let index = pending[k]
                    local.append((index, ProbeOutcome.probe(candidates[index])))
                }
                let finished = done.add(min(batch, pending.count - start), ordering: .relaxed).newValue
                if let progress, finished / 1024 != (finished - batch) / 1024 {
                    progress(ScanProgress(phase: .probing, candidates: total, probed: alreadyDone + finished))
                }
            }
            results.withLock { $0.append(contentsOf: local) }
        }
        return results.withLock { $0 }
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
