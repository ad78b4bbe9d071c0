/// Mutual exclusion across suspension points: one transaction at a time on the store's connection.
///
/// A `Mutex` cannot be held across `await`, and a PostgreSQL connection's `BEGIN … COMMIT` must not
/// interleave with another caller's statements, so the waiters queue here instead.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
