import Foundation
import Logging
import MessageStore
import Synchronization
import Testing

@testable import Sync

/// How a watch's batches share the database's write lock (one process, one lock, taken by the first
/// and given back by the last), and write one at a time, on a real SQLite store.
@Suite struct BatchWriteGateTests {
    @Test(
        """
        The watch's batches share the write lock: the first takes it, the last gives it back, another \
        process is refused while any holds it; its batches write one at a time
        """
    )
    func sharesTheLockAndWritesOneAtATime() async throws {
        let store = try await TestStore(messages: 50, files: 10, chats: 2, seed: 91, defects: [])
        let logger = Logger(label: "audiosync.BatchWriteGateTests")
        let own = try await openMessageStore(location: store.database, logger: logger)
        let other = try await openMessageStore(location: store.database, logger: logger)
        let gate = BatchWriteGate(store: own)
        let holder = WriteLockHolder(command: "watch")
        let manual = WriteLockHolder(command: "sync")

        // An instance's batch takes it, then a content batch beside it: one lock row, the watch's.
        try await gate.lockDatabase(holder: holder)
        try await gate.lockDatabase(holder: holder)
        #expect(gate.databaseHolders == 2)
        #expect(try CredentialsAndLockTests.lockRows(store.database) == 1)
        await #expect(throws: MessageStoreError.self) { try await other.lockForWriting(manual) }
        // The instance's batch ends: the content batch still holds it.
        try await gate.unlockDatabase()
        #expect(try CredentialsAndLockTests.lockRows(store.database) == 1)
        await #expect(throws: MessageStoreError.self) { try await other.lockForWriting(manual) }
        try await gate.unlockDatabase()
        #expect(gate.databaseHolders == 0)
        #expect(try CredentialsAndLockTests.lockRows(store.database) == 0)

        // Another process holding it refuses the watch's batches, and nothing is counted as held.
        try await other.lockForWriting(manual)
        await #expect(throws: MessageStoreError.self) { try await gate.lockDatabase(holder: holder) }
        #expect(gate.databaseHolders == 0)
        try await other.unlockForWriting()

        // One writer at a time: a second waits until the first is done, in order.
        let order = Mutex<[String]>([])
        await gate.beginWriting()
        let second = Task {
            try await gate.writing { order.withLock { $0.append("second") } }
        }
        order.withLock { $0.append("first") }
        await gate.endWriting()
        try await second.value
        #expect(order.withLock { $0 } == ["first", "second"])
        try await own.close()
        try await other.close()
    }
}
