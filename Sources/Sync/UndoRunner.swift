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
}
