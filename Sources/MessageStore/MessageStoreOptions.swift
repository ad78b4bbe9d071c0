/// How a store connects and writes.
public struct MessageStoreOptions: Sendable {
    /// How long to wait for another connection's lock before failing with
    /// ``MessageStoreError/databaseLocked(database:timeoutMilliseconds:)``. SQLite only; the CRM writes
    /// to the same file, so a short wait is normal.
    public var busyTimeoutMilliseconds: Int
    /// Rows per write transaction. Small enough that the CRM never waits long for the lock, large
    /// enough that commits do not dominate.
    public var batchSize: Int
    /// Open without write access: every write fails with ``MessageStoreError/readOnly(database:)``.
    public var readOnly: Bool
    /// Called after each write batch of ``MessageDatabase/apply(_:against:run:)`` has committed, with the
    /// number of batches committed so far, before the next one begins: lets a test play a CRM that
    /// writes between two of our transactions, at a point it can name instead of a moment it guesses.
    package var afterBatch: (@Sendable (_ committed: Int) async throws -> Void)?
    /// Asked after each committed batch of an apply: `true` ends the apply there
    /// (``MessageStoreError/partlyApplied(written:reason:)`` without a reason). Set from SIGINT and SIGTERM.
    public var shouldStop: (@Sendable () -> Bool)?

    public init(busyTimeoutMilliseconds: Int = 5000, batchSize: Int = 200, readOnly: Bool = false) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.batchSize = batchSize
        self.readOnly = readOnly
    }
}
