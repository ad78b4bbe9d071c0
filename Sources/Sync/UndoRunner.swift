public import Logging
public import MessageStore

/// `audiosync undo RUN`: gives back the old `conteudo` of every row a run changed.
public struct UndoRunner: Sendable {
    public let database: DatabaseLocation
    public let logger: Logger

    public init(database: DatabaseLocation, logger: Logger = Logger(label: "audiosync.undo")) {
        self.database = database
        self.logger = logger
    }

    /// - Parameter stop: set by SIGINT and SIGTERM: the batch in flight commits, the undo stops
    ///   there (``UndoSummary/interrupted``), and the run is partially undone.
    /// - Throws: ``MessageStoreError/unknownRun(_:)`` when the journal has no such run.
    public func run(_ run: RunID, stop: StopRequest? = nil) async throws -> UndoSummary {
        var database = self.database
        if let stop { database.options.shouldStop = { stop.isRequested } }
        let report = try await database.withStore(logger: logger) { store in
            // An unknown run is refused before anything, the lock included, is written.
            guard try await store.runs().contains(where: { $0.id == run }) else {
                throw MessageStoreError.unknownRun(run)
            }
            try await store.lockForWriting(WriteLockHolder(command: "undo \(run)"))
            do {
                // From here a signal waits for a batch to commit; before, it ends the process at once.
                if let stop, !stop.beginWriting() { throw CancellationError() }
                defer { stop?.endWriting() }
                let report = try await store.undo(run: run)
                try await store.unlockForWriting()
                return report
            } catch {
                try? await store.unlockForWriting()
                throw error
            }
        }
        return UndoSummary(run: run, report: report)
    }

    /// What ``run(_:)`` would do, writing nothing.
    /// - Throws: ``MessageStoreError/unknownRun(_:)`` when the journal has no such run.
    public func preview(_ run: RunID) async throws -> UndoSummary {
        try await database.withStore(logger: logger) { store in
            let preview = try await store.undoPreview(run: run)
            let status = try await store.runs().first { $0.id == run }?.status ?? .finished
            return UndoSummary(run: run, status: status, preview: preview)
        }
    }
}
