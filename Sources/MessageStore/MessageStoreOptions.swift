/// How a store connects and writes.
public struct MessageStoreOptions: Sendable, Hashable {
    /// How long to wait for another connection's lock before failing with
    /// ``MessageStoreError/databaseLocked(database:timeoutMilliseconds:)``. SQLite only; the CRM writes
    /// to the same file, so a short wait is normal.
    public var busyTimeoutMilliseconds: Int
    /// Rows per write transaction. Small enough that the CRM never waits long for the lock, large
    /// enough that commits do not dominate.
    public var batchSize: Int
    /// Open without write access: every write fails with ``MessageStoreError/readOnly(database:)``.
    public var readOnly: Bool

    public init(busyTimeoutMilliseconds: Int = 5000, batchSize: Int = 200, readOnly: Bool = false) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.batchSize = batchSize
        self.readOnly = readOnly
    }
}
