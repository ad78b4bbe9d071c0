package import Logging
package import PostgresNIO

/// One connection, used one operation at a time, with the store's error mapping. `package`: the
/// fixtures' database writer (StoreFixtures) uses it too.
package struct PostgresSession: Sendable {
    package let connection: PostgresConnection
    let location: PostgresLocation
    let options: MessageStoreOptions
    package let logger: Logger
    let lock = AsyncLock()

    /// Connects and sets the session up: UTC (so `timestamptz` reads as the spec's UTC), a lock timeout
    /// equal to the busy timeout (a CRM transaction holding a row must not block us forever), and, for a
    /// read-only store, read-only transactions.
    package static func connect(_ location: PostgresLocation, options: MessageStoreOptions, logger: Logger) async throws
        -> PostgresSession
    {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try location.configuration(), id: 1, logger: logger)
        } catch {
            throw PostgresSession.map(error, location: location, options: options)
        }
        let session = PostgresSession(connection: connection, location: location, options: options, logger: logger)
        try await session.execute("SET TIME ZONE 'UTC'")
        try await session.execute("SET lock_timeout = '\(max(1, options.busyTimeoutMilliseconds))ms'")
        try await session.execute("SET application_name = 'audiosync'")
        if options.readOnly { try await session.execute("SET default_transaction_read_only = on") }
        return session
    }

    /// Runs `body` alone on the connection.
    package func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        await lock.lock()
        do {
            let result = try await body()
            await lock.unlock()
            return result
        } catch {
            await lock.unlock()
            throw PostgresSession.map(error, location: location, options: options)
        }
    }

    /// Runs `body` in a transaction (the caller holds the lock), rolled back on any error.
    package func transaction<T>(_ begin: String = "BEGIN", _ body: () async throws -> T) async throws -> T {
        try await execute(begin)
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            // On a connection the server ended, a statement is never answered (postgres-nio 1.x):
            // the server rolled the transaction back as it closed.
            if !Self.endsConnection(error) && !connection.isClosed {
                _ = try? await connection.query("ROLLBACK", logger: logger)
            }
            throw error
        }
    }

    /// Whether `error` means the server ended the connection (terminated backend, shutdown, a
    /// closed socket).
    static func endsConnection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if error.code == .serverClosedConnection || error.code == .uncleanShutdown { return true }
        return error.serverInfo?[.sqlState]?.hasPrefix("57P") == true
    }

    /// - Throws: ``MessageStoreError/connectionLost(host:reason:)`` when the connection is closed:
    ///   a statement sent on it would never be answered.
    private func requireOpen() throws {
        if connection.isClosed {
            throw MessageStoreError.connectionLost(host: location.address, reason: "the connection closed")
        }
    }

    @discardableResult
    package func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> Int {
        try requireOpen()
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> [PostgresRow] {
        try requireOpen()
        return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
    }

    package func close() async throws {
        guard !connection.isClosed else { return }
        try await connection.close()
    }

    /// Closes the connection of an owner that was dropped without ``close()`` (a thrown error on the
    /// way): the task keeps the connection alive until it is closed, as postgres-nio requires.
    package func closeWhenDropped() {
        let connection = self.connection
        Task { try? await connection.close() }
    }

    /// PostgreSQL's errors as ``MessageStoreError`` (by SQLSTATE), everything else as it is.
    static func map(_ error: any Error, location: PostgresLocation, options: MessageStoreOptions) -> any Error {
        if error is MessageStoreError || error is CancellationError { return error }
        guard let error = error as? PSQLError else {
            return MessageStoreError.database("\(location.display): \(error)")
        }
        if error.code == .authMechanismRequiresPassword {
            return MessageStoreError.passwordMissing(
                user: location.user, host: location.address, note: location.passwordFileWarning)
        }
        if let underlying = error.underlying, underlying is NIOSSLError || underlying is BoringSSLError {
            // BoringSSL's text names a source file; the one failure people meet gets words.
            let reason =
                "\(underlying)".contains("CERTIFICATE_VERIFY_FAILED")
                ? "its certificate is not signed by a CA trusted here, or names another host" : "\(underlying)"
            return MessageStoreError.tlsFailed(
                host: location.address, sslMode: location.sslMode.rawValue, reason: reason)
        }
        if error.code == .sslUnsupported {
            return MessageStoreError.tlsUnavailable(host: location.address, sslMode: location.sslMode.rawValue)
        }
        if error.code == .connectionError {
            return MessageStoreError.connectionRefused(
                host: location.socketDirectory ?? location.host, port: location.port)
        }
        if error.code == .serverClosedConnection || error.code == .uncleanShutdown {
            return MessageStoreError.connectionLost(host: location.address, reason: "the connection closed")
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        switch state {
        case "28P01", "28000":
            return MessageStoreError.authenticationFailed(user: location.user, host: location.address)
        case "3D000":
            return MessageStoreError.databaseMissing(name: location.database, host: location.address)
        case "25006", "42501":
            return MessageStoreError.readOnly(database: location.display)
        case "57P01", "57P02", "57P03":
            // The backend was terminated, or the server is shutting down or starting.
            return MessageStoreError.connectionLost(host: location.address, reason: message)
        case "55P03", "40P01":
            return MessageStoreError.databaseLocked(
                database: location.display, timeoutMilliseconds: options.busyTimeoutMilliseconds)
        default:
            return MessageStoreError.database("\(location.display): \(message) (SQLSTATE \(state))")
        }
    }
}

extension PostgresBindings {
    /// Bindings from a list, `nil` as SQL `NULL`.
    init(_ values: [(any PostgresDynamicTypeEncodable)?]) {
        self.init()
        for value in values {
            if let value { append(value) } else { appendNull() }
        }
    }
}
