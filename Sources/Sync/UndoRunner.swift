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

    /// - Throws: ``MessageStoreError/unknownRun(_:)`` when the journal has no such run.
    public func run(_ run: RunID) async throws -> UndoSummary {
        let report = try await database.withStore(logger: logger) { store in try await store.undo(run: run) }
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
