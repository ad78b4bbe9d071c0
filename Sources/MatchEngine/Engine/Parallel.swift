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
///
/// The calling thread works through the chunks itself while up to one helper a core joins it
/// from the global queue, each taking the next chunk left. A call made inside another (an
/// instance's scoring, run beside the other instances) so uses a core as soon as one is free.
/// It used `DispatchQueue.concurrentPerform`, which runs a call nested in another one serially
/// when the outer one has at least as many iterations as there are cores: the last of three
/// instances on two cores was indexed, and then scored, estimated and decided, on one core while
/// the other idled (about 0.8 s each time in a million-row run, in `perf`).
package func parallelMap<T: Sendable>(
    count: Int,
    minimumChunk: Int = 512,
    _ transform: @escaping @Sendable (Range<Int>) -> [T]
) -> [T] {
    guard count > minimumChunk else { return transform(0..<count) }
    let cores = ProcessInfoLite.activeProcessorCount
    let chunkCount = min(cores * 4, (count + minimumChunk - 1) / minimumChunk)
    guard cores > 1, chunkCount > 1 else { return transform(0..<count) }
    let chunks = SharedChunks(count: count, chunkCount: chunkCount, transform: transform)
    for _ in 0..<min(cores - 1, chunkCount - 1) {
        DispatchQueue.global().async { chunks.work() }
    }
    chunks.work()
    return chunks.results()
}

/// The chunks of one ``parallelMap(count:minimumChunk:_:)`` call, taken in turn by whichever
/// threads come: a helper that starts after the last chunk was taken finds nothing to do.
///
/// A helper may start long after the call returned (its cores were busy), so the call takes the
/// results and the transform (and what it captured) out of here when it ends: left in place,
/// the chunks of an instance's candidate pairs stayed in memory, and a million-row run peaked
/// at 2.5 GiB instead of 1.5.
private final class SharedChunks<T: Sendable>: Sendable {
    private let count: Int
    private let chunkCount: Int
    private let chunkSize: Int
    private let nextChunk = Atomic<Int>(0)
    private let state: Mutex<State>
    /// Signalled once, by the thread that finishes the last chunk.
    private let allFinished = DispatchSemaphore(value: 0)

    private struct State {
        var transform: (@Sendable (Range<Int>) -> [T])?
        var results: [[T]?]
        var finished = 0
    }

    init(count: Int, chunkCount: Int, transform: @escaping @Sendable (Range<Int>) -> [T]) {
        self.count = count
        self.chunkCount = chunkCount
        chunkSize = (count + chunkCount - 1) / chunkCount
        state = Mutex(State(transform: transform, results: Array(repeating: nil, count: chunkCount)))
    }

    /// Takes and maps chunks until none is left.
    func work() {
        while true {
            let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunkCount, let part = map(chunk) else { return }
            let last = state.withLock {
                $0.results[chunk] = part
                $0.finished += 1
                return $0.finished == chunkCount
            }
            if last { allFinished.signal() }
        }
    }

    /// One chunk's results; the transform is let go of before the chunk counts as finished.
    private func map(_ chunk: Int) -> [T]? {
        guard let transform = state.withLock({ $0.transform }) else { return nil }
        // The last chunks may be empty when the count does not divide evenly.
        let range = min(count, chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)
        return range.isEmpty ? [] : transform(range)
    }

    /// The chunks' results in order, once every chunk is finished (the caller has taken its last).
    func results() -> [T] {
        allFinished.wait()
        let results = state.withLock { state in
            state.transform = nil
            defer { state.results = [] }
            return state.results
        }
        return results.flatMap { $0 ?? [] }
    }
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
    backgroundReleases.async { box.drop() }
}

/// Runs `body` once everything handed to ``releaseInBackground(_:)`` so far has been freed: a
/// watch gives freed pages back to the system there, not before the last of a batch is freed.
package func afterBackgroundReleases(_ body: @escaping @Sendable () -> Void) {
    backgroundReleases.async(execute: body)
}

/// One queue, in order, for the frees and what waits on them.
private let backgroundReleases = DispatchQueue(label: "audiosync.release-in-background", qos: .utility)

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
