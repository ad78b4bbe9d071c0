import AudioProbe
import Dispatch
public import Logging
public import MatchEngine
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
    ///   or ``MediaStoreError/cache(path:reason:)`` when a cache file given as `.file(path)` cannot be
    ///   opened (a broken standard cache only logs a warning).
    public func scan(
        scope: ScanScope = .all,
        progress: (@Sendable (ScanProgress) -> Void)? = nil
    ) throws(MediaStoreError) -> ScanResult {
        try scan(try walk(scope: scope, progress: progress), progress: progress)
    }

    /// Walks the store (or the part `scope` names): names, sizes and times, nothing opened.
    /// ``scan(_:progress:)`` goes on from here; an incremental sync first compares the walk's
    /// fingerprint with the one it remembered.
    ///
    /// - Throws: ``MediaStoreError/rootMissing(path:)``, ``MediaStoreError/rootNotDirectory(path:)``.
    public func walk(
        scope: ScanScope = .all,
        progress: (@Sendable (ScanProgress) -> Void)? = nil
    ) throws(MediaStoreError) -> StoreWalk {
        let clock = ContinuousClock()
        let started = clock.now
        let realRoot = try resolveRoot()
        var walker = StoreWalker(
            realRoot: realRoot, scope: scope, audioExtensions: options.audioExtensions, progress: progress)
        walker.walk()
        return StoreWalk(walker: walker, realRoot: realRoot, seconds: (clock.now - started).seconds)
    }

    /// The folders a scoped walk's candidates are in, as deep as `Client/instance_ID`: the probe
    /// cache entries a scoped scan reads. `nil` (read them all) for a file that sits higher.
    static func instanceFolders(of candidates: [StoreWalker.Candidate]) -> Set<String>? {
        var folders = Set<String>()
        for candidate in candidates {
            let path = candidate.relativePath.utf8
            guard let first = path.firstIndex(of: UInt8(ascii: "/")),
                let second = path[path.index(after: first)...].firstIndex(of: UInt8(ascii: "/"))
            else { return nil }
            folders.insert(String(candidate.relativePath[..<second]))
        }
        return folders
    }

    /// Probes (or takes from the cache) the candidates of a walk and assembles the files.
    ///
    /// - Throws: ``MediaStoreError/cache(path:reason:)`` when a cache file given as `.file(path)`
    ///   cannot be opened (a broken standard cache only logs a warning).
    public func scan(
        _ walk: StoreWalk,
        progress: (@Sendable (ScanProgress) -> Void)? = nil
    ) throws(MediaStoreError) -> ScanResult {
        let clock = ContinuousClock()
        let walked = clock.now
        let realRoot = walk.realRoot
        let walker = walk.walker
        let scope = walker.scope

        let cache = try openCache(realRoot: realRoot)
        var known: [String: ProbeCache.Entry] = [:]
        // A scope of a few named files (new ones, a watch's content batch) is probed, not looked up:
        // reading the cache of their chat folders cost more than probing them.
        if let cache, scope.files == nil {
            do {
                // A scope of chat folders reads theirs only: a watch's content batch, a few new files.
                known = try cache.entries(
                    inFolders: scope == .all ? nil : scope.chatFolders ?? Self.instanceFolders(of: walker.candidates))
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
                    problem: entry.problem, sha256: entry.sha256)
            } else {
                pending.append(index)
            }
        }
        let cachedCount = candidates.count - pending.count
        let cacheRead = clock.now
        progress?(ScanProgress(phase: .probing, candidates: candidates.count, probed: cachedCount))
        let probed = probeInParallel(walker, pending, alreadyDone: cachedCount, progress: progress)
        for (index, outcome) in probed { outcomes[index] = outcome }
        let probedAt = clock.now

        // The cache is written on another thread while the files are assembled: both take a few
        // microseconds a file and neither needs the other.
        let cacheWriter = DispatchGroup()
        if let cache {
            let entries = probed.compactMap { index, outcome -> ProbeCache.Entry? in
                // Unreadable files are not remembered: they may be readable next time.
                guard outcome.problem != .unreadable else { return nil }
                let c = candidates[index]
                return ProbeCache.Entry(
                    path: c.relativePath, size: c.size, mtimeNanoseconds: c.mtimeNanoseconds, format: outcome.format,
                    duration: outcome.duration, durationIsEstimate: outcome.durationIsEstimate, problem: outcome.problem
                )
            }
            // A whole-store scan also forgets the files that are gone.
            let gone: [String]
            if scope == .all, known.count > cachedCount {
                let present = Set(candidates.map(\.relativePath))
                gone = known.keys.filter { !present.contains($0) }
            } else {
                gone = []
            }
            let logger = logger
            DispatchQueue.global().async(group: cacheWriter) {
                do {
                    try cache.update(storing: entries, removing: gone)
                } catch {
                    logger.warning("probe cache not updated: \(error)")
                }
            }
        }
        let cacheWritten = clock.now
        var files = assemble(walker, outcomes.map { $0! })
        let mismatches = zip(candidates, outcomes).reduce(0) { count, pair in
            count + (ProbeOutcome.extensionLies(format: pair.1!.format, extension: pair.0.fileExtension) ? 1 : 0)
        }
        cacheWriter.wait()
        // String order (memcmp for the ASCII paths of real stores): stable across runs.
        files.sort { $0.path < $1.path }
        let finished = clock.now
        progress?(ScanProgress(phase: .done, candidates: candidates.count, probed: candidates.count))
        let timings = ScanTimings(
            walk: walk.seconds,
            cacheRead: (cacheRead - walked).seconds,
            probe: (probedAt - cacheRead).seconds,
            cacheWrite: (cacheWritten - probedAt).seconds,
            assemble: (finished - cacheWritten).seconds
        )
        logger.debug(
            "scanned",
            metadata: [
                "files": "\(files.count)", "probed": "\(probed.count)", "walk_s": "\(timings.walk)",
                "cache_read_s": "\(timings.cacheRead)", "probe_s": "\(timings.probe)",
                "assemble_s": "\(timings.assemble)",
            ])
        return ScanResult(
            files: files,
            skipped: walker.skipped,
            probedFiles: probed.count,
            cachedFiles: cachedCount,
            extensionMismatches: mismatches,
            timings: timings
        )
    }

    /// The files in walk order, built in parallel chunks (name parsing is most of the work).
    private func assemble(_ walker: StoreWalker, _ outcomes: [ProbeOutcome]) -> [AudioFile] {
        // Plain arrays, not the walker: a struct of many references captured by the workers is
        // retained and released on every use, and two cores fighting over those counts ran no
        // faster than one.
        let candidates = walker.candidates
        let folders = walker.folders
        // Each folder's keys once: folding a client's name is Unicode work, 7 % of a scan per file.
        let keys = folders.map { FolderKeys(chatFolder: $0.chatFolder, clientFolder: $0.clientFolder) }
        let chunk = 512
        let chunks = (candidates.count + chunk - 1) / chunk
        let parts = Mutex([[AudioFile]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            var local: [AudioFile] = []
            local.reserveCapacity(chunk)
            for index in (part * chunk)..<min(candidates.count, (part + 1) * chunk) {
                let candidate = candidates[index]
                let folder = folders[Int(candidate.folder)]
                let outcome = outcomes[index]
                local.append(
                    AudioFile(
                        path: candidate.relativePath,
                        clientFolder: folder.clientFolder,
                        instanceID: folder.instanceID,
                        chatFolder: folder.chatFolder,
                        kind: folder.kind,
                        name: FileNameParser.parse(candidate.fileName),
                        modificationTime: candidate.mtimeNanoseconds.floorDivided(by: 1_000_000_000),
                        size: candidate.size,
                        format: outcome.format,
                        duration: outcome.duration,
                        durationIsEstimate: outcome.durationIsEstimate,
                        problem: outcome.problem,
                        sha256: outcome.sha256,
                        keys: keys[Int(candidate.folder)]
                    ))
            }
            parts.withLock { $0[part] = local }
        }
        return parts.withLock { $0 }.flatMap { $0 }
    }

    /// Stores the SHA-256 of `files` at `indices` in the probe cache, so the next scan hands them
    /// back and a re-sync hashes nothing. Does nothing without a cache.
    public func rememberDigests(of files: [AudioFile], at indices: some Collection<Int>) throws(MediaStoreError) {
        let realRoot = try resolveRoot()
        guard let cache = try openCache(realRoot: realRoot) else { return }
        let digests = indices.compactMap { index in
            files[index].sha256.map { (files[index].path, files[index].size, $0) }
        }
        do {
            try cache.storeDigests(digests)
        } catch {
            throw .cache(path: cache.path, reason: "\(error)")
        }
    }

    /// The value remembered under `key` in the probe cache (what an incremental sync saw last
    /// time), or `nil` without a cache, without a value, or when it cannot be read (logged).
    public func recall(_ key: String) -> [UInt8]? {
        do {
            guard let cache = try openCache(realRoot: try resolveRoot()) else { return nil }
            return try cache.remembered(key)
        } catch {
            logger.debug("nothing recalled from the probe cache: \(error)")
            return nil
        }
    }

    /// Remembers `value` under `key` in the probe cache; without a cache, or when it cannot be
    /// written (logged), nothing is remembered and the next run does the whole work.
    public func remember(_ value: [UInt8], as key: String) {
        do {
            guard let cache = try openCache(realRoot: try resolveRoot()) else { return }
            try cache.remember(value, as: key)
        } catch {
            logger.warning("probe cache: what this run saw is not remembered: \(error)")
        }
    }

    /// Checks that the root is a folder that can be read, before work that must not start
    /// without it (a sync takes the database's lock only then).
    /// - Throws: ``MediaStoreError/rootMissing(path:)``, ``MediaStoreError/rootNotDirectory(path:)``.
    public func checkRoot() throws(MediaStoreError) {
        _ = try resolveRoot()
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
        case .standard: path = ProbeCache.standardPath(forMediaRoot: realRoot, environment: options.environment)
        }
        do {
            let cache = try ProbeCache(path: path)
            // Which store the cache is for, and when it was last used: what `cache prune` goes by.
            do {
                try cache.recordUse(mediaRoot: realRoot)
            } catch {
                logger.debug("probe cache \(path): use not recorded: \(error)")
            }
            return cache
        } catch {
            // A cache is only a speed-up, named or not: a broken one (not SQLite, unwritable)
            // costs a full probe and a warning, not the scan; the file is left as it is.
            logger.warning("probe cache \(path) unusable, probing every file: \(error)")
            return nil
        }
    }

    /// Probes `pending` candidates on `options.concurrency` threads; workers take small batches
    /// from a shared counter so one slow file does not hold up a whole share.
    private func probeInParallel(
        _ walker: StoreWalker,
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
        // Plain arrays, not the walker (see `assemble`).
        let candidates = walker.candidates
        let folders = walker.folders
        let total = candidates.count
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            var local: [(Int, ProbeOutcome)] = []
            // The folder of the last file probed, kept open: a batch is consecutive files of the
            // walk, mostly of one folder, and each is then opened by its name alone.
            var folder: (index: Int32, descriptor: Int32)?
            defer { if let folder, folder.descriptor >= 0 { close(folder.descriptor) } }
            while true {
                let start = next.add(batch, ordering: .relaxed).oldValue
                if start >= pending.count { break }
                for k in start..<min(start + batch, pending.count) {
                    let index = pending[k]
                    let candidate = candidates[index]
                    if candidate.linkTarget == nil && folder?.index != candidate.folder {
                        if let folder, folder.descriptor >= 0 { close(folder.descriptor) }
                        let path = folders[Int(candidate.folder)].absolute.map { CChar(bitPattern: $0) } + [0]
                        folder = (candidate.folder, open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))
                    }
                    let outcome =
                        if candidate.linkTarget == nil, let folder, folder.descriptor >= 0 {
                            ProbeOutcome.probe(
                                name: StoreWalker.nameInFolder(candidate), in: folder.descriptor,
                                fileExtension: candidate.fileExtension)
                        } else {
                            ProbeOutcome.probe(
                                path: StoreWalker.openPath(candidate, folders: folders),
                                fileExtension: candidate.fileExtension)
                        }
                    local.append((index, outcome))
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
