import Logging
import MessageStore
import Sync
import Synchronization

/// The audio endpoint's read-only connections, taken in turn.
///
/// A SQLite connection answers one query at a time on its own thread, so with one connection every
/// request's lookup waited in a single line; one per core lets them run side by side. Read-only,
/// and apart from the review session's connection: lookups never wait behind its writes.
final class LookupConnections: Sendable {
    private let stores: [any MessageDatabase]
    private let next = Atomic<Int>(0)

    private init(stores: [any MessageDatabase]) {
        self.stores = stores
    }

    static func open(
        _ location: DatabaseLocation, count: Int, logger: Logger
    ) async throws -> LookupConnections {
        var options = location.options
        options.readOnly = true
        var stores: [any MessageDatabase] = []
        do {
            for _ in 0..<max(1, count) {
                stores.append(try await openMessageStore(location: location.database, options: options, logger: logger))
            }
        } catch {
            for store in stores { try? await store.close() }
            throw error
        }
        return LookupConnections(stores: stores)
    }

    /// The next connection in turn.
    var store: any MessageDatabase {
        stores[next.add(1, ordering: .relaxed).oldValue % stores.count]
    }

    func close() async throws {
        for store in stores { try await store.close() }
    }
}
