/// Mutual exclusion across suspension points: one transaction at a time on a PostgreSQL store's
/// connection, one writer at a time among a watch's batches.
///
/// A `Mutex` cannot be held across `await`, and a PostgreSQL connection's `BEGIN … COMMIT` must not
/// interleave with another caller's statements, so the waiters queue here instead, in order.
public actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func lock() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
