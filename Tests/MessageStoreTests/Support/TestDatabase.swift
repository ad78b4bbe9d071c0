import Foundation
import Logging
import MessageStore
import StoreFixtures
import Testing

/// A fresh database of one backend for one test: a SQLite file in a temporary folder, or a new
/// database on the test PostgreSQL server. Always removed afterwards.
struct TestDatabase: Sendable {
    let backend: Backend
    /// What ``openMessageStore(location:options:logger:)`` is given.
    let location: String
    /// The test's own connection.
    let raw: any RawConnection
    /// The SQLite file, for byte comparisons.
    let path: String?
    private let remove: @Sendable () async throws -> Void

    static let logger: Logger = {
        var logger = Logger(label: "audiosync.MessageStoreTests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a new database holding the ``Fixture`` (or only the empty tables).
    ///
    /// Without a PostgreSQL server the PostgreSQL cases are cancelled with a message saying how to run
    /// them, except under `CI=true`, where they fail: CI must not pass by testing one backend.
    static func with<T>(
        _ backend: Backend, fixture: Bool = true, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await make(backend, fixture: fixture)
        do {
            let result = try await body(database)
            try await database.remove()
            return result
        } catch {
            try? await database.remove()
            throw error
        }
    }

    private static func make(_ backend: Backend, fixture: Bool) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("audiosync-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("crm.sqlite3").path
            let writer = try SQLiteSpecWriter.create(path: path)
            if fixture { try await Fixture.fill(writer, backend: backend) }
            try await writer.close()
            let raw = try SQLiteRawConnection(path: path)
            return TestDatabase(backend: backend, location: path, raw: raw, path: path) {
                try await raw.close()
                try FileManager.default.removeItem(at: folder)
            }
        case .postgres, .postgresJSONB:
            guard let server = Backend.postgresURL else {
                Issue.record(Comment(rawValue: Backend.skipMessage + " (required under CI=true)"))
                throw CancellationError()
            }
            return try await PostgresTestServer.makeDatabase(
                server: server, jsonb: backend == .postgresJSONB, fixture: fixture, backend: backend)
        }
    }

    init(
        backend: Backend, location: String, raw: any RawConnection, path: String?,
        remove: @escaping @Sendable () async throws -> Void
    ) {
        self.backend = backend
        self.location = location
        self.raw = raw
        self.path = path
        self.remove = remove
    }

    /// Opens the store under test.
    func open(_ options: MessageStoreOptions = MessageStoreOptions()) async throws -> any MessageDatabase {
        try await openMessageStore(location: location, options: options, logger: TestDatabase.logger)
    }

    /// A writer that adds rows to this database.
    func writer() async throws -> any SpecDatabaseWriter {
        switch backend {
        case .sqlite: try SQLiteSpecWriter(path: location)
        case .postgres, .postgresJSONB: try await PostgresSpecWriter(url: location, logger: TestDatabase.logger)
        }
    }

    /// The SQLite file's bytes and its journal's, or for PostgreSQL every row of every table in the
    /// public schema (what a dry run must leave as it found).
    func snapshot() async throws -> [String] {
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            return try names.map { name in
                "\(name): " + (try Data(contentsOf: folder.appendingPathComponent(name))).base64EncodedString()
            }
        }
        return try await (raw as! PostgresRawConnection).snapshot()
    }
}
