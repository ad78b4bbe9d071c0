import Foundation
import HTTPTypes
import Hummingbird
public import Logging
import MessageStore
import NIOCore
public import Sync

/// `audiosync serve`: the CRM's audio endpoint and the review page, on Hummingbird.
///
/// ```swift
/// let server = try ReviewServer(configuration: configuration, logger: logger)
/// try await server.run { address in print("listening on \(address)") }
/// ```
public struct ReviewServer: Sendable {
    public let configuration: ServeConfiguration
    let logger: Logger
    let root: MediaRoot

    /// - Throws: ``ServeError`` for a bad media root, or a non-loopback address without a token.
    public init(configuration: ServeConfiguration, logger: Logger = Logger(label: "audiosync.serve")) throws(ServeError)
    {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        root = try MediaRoot(path: configuration.media.root)
    }

    /// Serves until the task is cancelled or, with `handleSignals`, SIGINT or SIGTERM arrives; then
    /// finishes the review session's run and closes the database.
    ///
    /// - Parameters:
    ///   - handleSignals: stop gracefully on SIGINT and SIGTERM (the command); tests cancel instead.
    ///   - onListening: called once the socket is bound, with the address (the port the system chose
    ///     for port 0).
    ///   - onPlanned: called when the first review plan is made (or could not be).
    public func run(
        handleSignals: Bool = false,
        onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in },
        onPlanned: @escaping @Sendable (Result<ReviewCounts, any Error>) async -> Void = { _ in }
    ) async throws {
        let lookups = try await LookupConnections.open(
            configuration.database, count: System.coreCount, logger: logger)
        let session = ReviewSession(
            database: configuration.database, media: configuration.media, profile: configuration.profile,
            urlTemplate: configuration.urlTemplate, source: "review page", logger: logger)
        // The first plan is made while the endpoint already answers; the page waits for it.
        let logger = self.logger
        let firstPlan = Task {
            do {
                let counts = try await session.refresh { stage, done, total in
                    if done == 0 { logger.info("review plan: \(stage)", metadata: ["total": "\(total)"]) }
                }
                await onPlanned(.success(counts))
                return counts
            } catch {
                logger.error("the review plan could not be made: \(error)")
                await onPlanned(.failure(error))
                throw error
            }
        }
        let routes = ServeRoutes(
            configuration: configuration, root: root, lookups: lookups, session: session, firstPlan: firstPlan,
            sessions: SessionStore(), loopbackCSRF: randomToken(), logger: logger)
        let listen = configuration.listen
        let app = Application(
            router: routes.router(),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "audiosync"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                logger.notice("listening", metadata: ["address": "\(ListenAddress(host: listen.host, port: port))"])
                await onListening(ListenAddress(host: listen.host, port: port))
            },
            logger: logger)
        let shutdown = {
            firstPlan.cancel()
            // In a task of its own: the one serving may be cancelled (that is how a caller stops the
            // server), and a cancelled task cannot write the run's end to the database.
            try await Task {
                try await session.close()
                try await lookups.close()
            }.value
        }
        do {
            if handleSignals { try await app.runService() } else { try await app.run() }
        } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
    }
}
