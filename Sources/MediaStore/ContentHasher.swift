import Crypto
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

/// Streaming SHA-256 of files, for comparing with a message's `fileSha256`.
///
/// Reads 64 KiB at a time: memory stays bounded whatever the file's size. Which files need a
/// hash is the engine's decision; this only hashes.
public enum ContentHasher {
    static let chunkSize = 64 * 1024

    /// The SHA-256 of the file at `path` (not following a final symbolic link).
    /// - Throws: ``MediaStoreError/unreadable(path:errno:)`` when it cannot be opened or read.
    public static func sha256(ofFileAt path: String) throws(MediaStoreError) -> ContentDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(fd) }
        do {
            return try sha256(fileDescriptor: fd)
        } catch {
            throw .unreadable(path: path, errno: error.code)
        }
    }

    /// The SHA-256 of a file of the store, through a symbolic link only when it stays inside `root`
    /// (as the scan follows them).
    static func sha256(relativePath: String, inRoot root: String) throws(MediaStoreError) -> ContentDigest {
        let path = root + "/" + relativePath
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 && errno == ELOOP {
            guard let real = realpath(path, nil), let realRoot = realpath(root, nil) else {
                throw .unreadable(path: path, errno: errno)
            }
            defer {
                free(real)
                free(realRoot)
            }
            guard String(cString: real).hasPrefix(String(cString: realRoot) + "/") else {
                throw .unreadable(path: path, errno: EACCES)
            }
            return try sha256(ofFileAt: String(cString: real))
        }
        guard fd >= 0 else { throw .unreadable(path: path, errno: errno) }
        defer { close(fd) }
        do {
            return try sha256(fileDescriptor: fd)
        } catch {
            throw .unreadable(path: path, errno: error.code)
        }
    }

    /// The SHA-256 of everything readable from `fileDescriptor`, from offset 0 (read with `pread`).
    public static func sha256(fileDescriptor fd: Int32) throws(Errno) -> ContentDigest {
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var offset: off_t = 0
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, chunkSize, offset) }
            if got < 0 {
                if errno == EINTR { continue }
                throw Errno(code: errno)
            }
            if got == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<got])) }
            offset += off_t(got)
        }
        return ContentDigest(bytes: Array(hasher.finalize()))!
    }

    /// Fills ``MatchEngine/AudioFile/sha256`` of the files at `indices`, in parallel on all cores.
    ///
    /// A file that cannot be read keeps `sha256 == nil` and is logged; the others are filled.
    /// - Parameters:
    ///   - files: the scan's files; only `indices` are touched.
    ///   - indices: which files to hash (the engine's choice).
    ///   - root: the media root the files' paths are relative to.
    /// - Returns: how many files could not be hashed.
    @discardableResult
    public static func fillSHA256(
        files: inout [AudioFile],
        indices: some Collection<Int>,
        root: String,
        concurrency: Int = ScanOptions.coreCount,
        logger: Logger = Logger(label: "audiosync.media-store")
    ) -> Int {
        let targets = Array(indices)
        let paths = targets.map { files[$0].path }
        let digests = Mutex([ContentDigest?](repeating: nil, count: targets.count))
        let failures = Mutex(0)
        let workers = max(1, min(concurrency, targets.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, ContentDigest)] = []
            var failed = 0
            for k in stride(from: worker, to: targets.count, by: workers) {
                do {
                    local.append((k, try sha256(relativePath: paths[k], inRoot: root)))
                } catch {
                    failed += 1
                    logger.warning("cannot hash \(paths[k]): \(error)")
                }
            }
            digests.withLock { all in for (k, digest) in local { all[k] = digest } }
            failures.withLock { $0 += failed }
        }
        let computed = digests.withLock { $0 }
        for (k, index) in targets.enumerated() where computed[k] != nil { files[index].sha256 = computed[k] }
        return failures.withLock { $0 }
    }
}
