public import MessageStore
import Synchronization

/// A request to stop, from SIGINT or SIGTERM, and whether stopping must wait for a batch.
///
/// Before a sync writes there is nothing to finish: the command may end at once. While it writes,
/// the batch in flight commits and the run is marked ``MessageStore/RunStatus/interrupted``;
/// ``beginWriting()`` and ``request(signal:)`` decide under one lock, so a signal is never taken
/// for "nothing written" while a first batch commits.
public final class StopRequest: Sendable {
    private struct State {
        var signal: Int32?
        var writing = false
    }
    private let state = Mutex(State())
    /// Held while a batch's report is said (``whileReporting(_:)``).
    private let reporting = Mutex(())

    public init() {}

    /// What the process should do on a request to stop.
    public enum Answer: Sendable {
        /// Nothing is being written: end now.
        case endNow
        /// A batch is being written: it commits, then the sync stops.
        case stopAfterBatch
        /// Asked before, and asked again: end now, leaving the batch in flight uncommitted.
        case askedAgain
    }

    /// Records the request and says what to do.
    public func request(signal: Int32) -> Answer {
        state.withLock { state in
            if state.signal != nil { return .askedAgain }
            state.signal = signal
            return state.writing ? .stopAfterBatch : .endNow
        }
    }

    /// The signal that asked to stop, if one did.
    public var signal: Int32? { state.withLock { $0.signal } }

    public var isRequested: Bool { signal != nil }

    /// Marks the start of writing; `false` (and nothing marked) when a stop was already asked.
    func beginWriting() -> Bool {
        state.withLock { state in
            guard state.signal == nil else { return false }
            state.writing = true
            return true
        }
    }

    func endWriting() {
        state.withLock { $0.writing = false }
    }

    /// Says a batch's report (its lines, its JSON line) so that a stop asked meanwhile, which ends
    /// the process at once when nothing is being written, ends it only after the report: a batch
    /// whose rows were written never goes unreported.
    func whileReporting(_ body: () -> Void) {
        reporting.withLock { _ in body() }
    }

    /// Returns once no report is being said (at once, most of the time): what a stop waits for
    /// before it ends the process.
    public func awaitReport() {
        reporting.withLock { _ in }
    }
}

/// A sync that stopped after writing: the rows stand, journalled under `run`; `reason` is what
/// ended it (`nil` for a signal). Its description says how many rows and how to give them back.
public struct SyncEndedAfterWriting: Error, Sendable, CustomStringConvertible {
    public var run: RunID
    public var written: Int
    public var reason: String?

    public var description: String {
        let rows =
            "\(written) rows written; `audiosync undo \(run.rawValue)` gives them back, and a new sync finishes the work"
        return reason.map { "\($0) — \(rows)" } ?? "interrupted — \(rows)"
    }
}
