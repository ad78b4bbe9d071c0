import Synchronization

/// Audio rows inserted or edited, as the database announces them: PostgreSQL `NOTIFY` from the
/// trigger `audiosync watch --install-trigger` installs, heard on a connection of its own. What a
/// poll of the highest row id cannot see (a row edited later, a row made an audio row) is heard
/// here; text messages, which a CRM writes all day, are not announced.
///
/// ```swift
/// if let announcements = try await store.rowAnnouncements() {
///     let rows = announcements.take()  // the row ids announced since the last take
///     await announcements.close()
/// }
/// ```
public final class RowAnnouncements: Sendable {
    private let announced = Mutex<Set<Int64>>([])
    private let stop = Mutex<(@Sendable () async -> Void)?>(nil)

    init() {}

    /// The rows announced since the last call, and forgets them.
    public func take() -> Set<Int64> {
        announced.withLock { rows in
            defer { rows.removeAll() }
            return rows
        }
    }

    /// Stops listening and closes the connection.
    public func close() async {
        let stop = stop.withLock { stop in
            defer { stop = nil }
            return stop
        }
        await stop?()
    }

    func note(_ row: Int64) {
        announced.withLock { _ = $0.insert(row) }
    }

    func onClose(_ body: @escaping @Sendable () async -> Void) {
        stop.withLock { $0 = body }
    }
}
