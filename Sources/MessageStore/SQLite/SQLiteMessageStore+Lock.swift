import GRDB
import Logging

extension SQLiteMessageStore {
    /// The lock row's table: one row at most, the holder's. Created by the first writing command, as
    /// the journal is; a dry run never creates it.
    static let createLockTable = """
        CREATE TABLE IF NOT EXISTS audiosync_lock (
          id         INTEGER PRIMARY KEY CHECK (id = 1),
          command    TEXT NOT NULL,
          pid        INTEGER NOT NULL,
          host       TEXT NOT NULL,
          since      INTEGER NOT NULL,
          token      TEXT NOT NULL)
        """

    /// The lock is a row, read and written in one IMMEDIATE transaction: SQLite lets one such
    /// transaction in at a time, so two syncs starting together cannot both see the row absent.
    public func lockForWriting(_ holder: WriteLockHolder) async throws {
        try requireWritable()
        let token = lockToken
        let path = path
        let logger = logger
        try await mapped {
            try await queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: SQLiteMessageStore.createLockTable)
                    let sql = "SELECT command, pid, host, since FROM audiosync_lock WHERE id = 1"
                    if let row = try Row.fetchOne(db, sql: sql) {
                        let other = WriteLockHolder(command: row[0], pid: row[1], host: row[2], since: row[3])
                        guard other.isGoneFromThisHost else {
                            throw MessageStoreError.syncLocked(database: path, holder: other.description)
                        }
                        logger.warning(
                            "took over the write lock of a process that is gone",
                            metadata: ["holder": "\(other.description)"])
                    }
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO audiosync_lock (id, command, pid, host, since, token)
                            VALUES (1, ?, ?, ?, ?, ?)
                            """,
                        arguments: [holder.command, holder.pid, holder.host, holder.since, token])
                    return .commit
                }
            }
        }
    }

    public func unlockForWriting() async throws {
        guard !options.readOnly else { return }
        let token = lockToken
        try await mapped {
            try await queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    if try db.tableExists("audiosync_lock") {
                        try db.execute(sql: "DELETE FROM audiosync_lock WHERE token = ?", arguments: [token])
                    }
                    return .commit
                }
            }
        }
    }
}
