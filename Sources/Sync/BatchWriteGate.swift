import MessageStore
import Synchronization

/// How a watch's batches write beside each other: the database's write lock held once for all of
/// them, and one of them writing at a time.
///
/// An instance's batch plans for seconds (3 s for an instance of 30,000 files), and a content
/// batch links an arrival in tens of milliseconds. Run one after the other, every arrival behind a
/// plan of its instance waited for it: p99 6.8–7.5 s from arrival to link with five files that no
/// row names among 200 arrivals (`benchmarks/watch/latency.py --orphans 5`). So the watch plans an
/// instance in a task of its own while its loop goes on linking by content, and both go through
/// this gate:
///
/// - **The database's write lock** is the process's while any of its batches holds it: the first
///   to take it locks the database, the last to give it back unlocks it. Another process (a manual
///   sync) is refused, or refuses the watch, as before; a batch of the watch never refuses another.
/// - **One writer at a time.** A content batch is the writer (``writing(_:)``) from choosing its pairs to
///   its commit; an instance's batch, from its plan's end to its commit. The compare-and-swap
///   writes keep a row from being written twice; the turn keeps a file from being linked to two
///   rows: what a content batch linked while the instance's batch planned is taken out of that
///   plan before it writes (the watch's observer does it), and what the instance's batch linked is
///   in the watch's memory before the next content batch chooses.
///
/// The lock is taken and given back through one connection, the watch's own, whichever batch's
/// connection it is for: an instance's batch reads on a connection of its own (a load holds its
/// connection for most of a second, which would hold back every content batch), and a PostgreSQL
/// advisory lock is its connection's, gone when that connection closes.
final class BatchWriteGate: Sendable {
    /// The connection that takes and gives back the database's lock.
    private let store: any MessageDatabase
    /// Held while the database's lock is taken or given back.
    private let transition = AsyncLock()
    private let holders = Mutex(0)
    private let writer = AsyncLock()

    init(store: any MessageDatabase) {
        self.store = store
    }

    /// Takes the database's write lock for one more batch of the process (locks the database for the
    /// first).
    func lockDatabase(holder: WriteLockHolder) async throws {
        await transition.lock()
        do {
            if holders.withLock({ $0 }) == 0 { try await store.lockForWriting(holder) }
            holders.withLock { $0 += 1 }
            await transition.unlock()
        } catch {
            await transition.unlock()
            throw error
        }
    }

    /// Gives back one batch's share of the write lock (unlocks the database after the last).
    func unlockDatabase() async throws {
        await transition.lock()
        let last = holders.withLock { holders in
            holders -= 1
            return holders == 0
        }
        do {
            if last { try await store.unlockForWriting() }
            await transition.unlock()
        } catch {
            await transition.unlock()
            throw error
        }
    }

    /// Waits to be the process's only writer, until ``endWriting()``.
    func beginWriting() async { await writer.lock() }

    func endWriting() async { await writer.unlock() }

    /// Runs `body` as the process's only writer.
    func writing<T>(_ body: () async throws -> T) async throws -> T {
        await beginWriting()
        do {
            let result = try await body()
            await endWriting()
            return result
        } catch {
            await endWriting()
            throw error
        }
    }

    /// How many batches of the process hold the database's write lock.
    var databaseHolders: Int { holders.withLock { $0 } }
}
