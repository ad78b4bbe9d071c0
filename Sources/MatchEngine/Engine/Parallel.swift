import Dispatch
import Synchronization

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Maps `0..<count` in contiguous chunks on all cores, keeping the order of the results.
///
/// Small inputs run inline: spreading a few hundred items over threads costs more than it saves.
/// `package`: the scan, the walk and the listings spread their work the same way.
package func parallelMap<T: Sendable>(
    count: Int,
    minimumChunk: Int = 512,
    _ transform: @Sendable (Range<Int>) -> [T]
) -> [T] {
    guard count > minimumChunk else { return transform(0..<count) }
    let cores = ProcessInfoLite.activeProcessorCount
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

/// Frees `value` on a background thread: the last reference to a large structure (a million
/// messages, an instance's indexes) is dropped there, not on the thread that goes on working.
///
/// Freeing is not free: at a million rows, the matcher's partitions took 0.35 s to free and a
/// sync's inputs 0.6 s, each time on the one thread left working while the other core idled.
/// The value moves into a box the background work empties, so whichever thread lets go of the
/// box last, the value itself is freed by `drop()`. What it frees is only memory: nothing
/// waits for it, and a process that exits first simply never frees it.
package func releaseInBackground<T>(_ value: consuming T) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

/// The value ``releaseInBackground(_:)`` frees: emptied only by the background work.
private final class ReleaseBox<T>: @unchecked Sendable {
    private var value: T?

    init(_ value: consuming T) { self.value = value }

    func drop() { value = nil }
}

/// The processor count without Foundation.
package enum ProcessInfoLite {
    /// The processors that can run threads now, at least 1.
    package static let activeProcessorCount: Int = {
        #if canImport(Darwin)
            // What `ProcessInfo.activeProcessorCount` reads on Darwin: hw.activecpu, a 32-bit int,
            // "the number of processors currently available for executing threads" (sysctl(3));
            // hw.ncpu would count processors that are switched off.
            var count: Int32 = 0
            var size = MemoryLayout<Int32>.size
            guard sysctlbyname("hw.activecpu", &count, &size, nil, 0) == 0 else { return 1 }
            return max(1, Int(count))
        #else
            // sysconf(3): -1 when the count is unknown.
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #endif
    }()
}
