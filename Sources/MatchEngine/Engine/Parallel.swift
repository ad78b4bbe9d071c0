import Dispatch
import Synchronization

/// Maps `0..<count` in contiguous chunks on all cores, keeping the order of the results.
///
/// Small inputs run inline: spreading a few hundred items over threads costs more than it saves.
func parallelMap<T: Sendable>(
    count: Int,
    minimumChunk: Int = 512,
    _ transform: @Sendable (Range<Int>) -> [T]
) -> [T] {
    guard count > minimumChunk else { return transform(0..<count) }
    let cores = max(1, ProcessInfoLite.activeProcessorCount)
    let chunkCount = min(cores * 4, (count + minimumChunk - 1) / minimumChunk)
    let chunkSize = (count + chunkCount - 1) / chunkCount
    let results = Mutex<[[T]?]>(Array(repeating: nil, count: chunkCount))
    DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
        // The last chunks may be empty when the count does not divide evenly.
        let range = min(count, chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)
        let part = range.isEmpty ? [] : transform(range)
        results.withLock { $0[chunk] = part }
    }
    return results.withLock { $0.flatMap { $0 ?? [] } }
}

/// The processor count without Foundation.
enum ProcessInfoLite {
    static let activeProcessorCount: Int = {
        #if canImport(Glibc)
            return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
            return 2
        #endif
    }()
}

#if canImport(Glibc)
    import Glibc
#endif
