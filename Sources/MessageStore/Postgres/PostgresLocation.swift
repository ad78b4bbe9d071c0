import Foundation
import PostgresNIO

/// What a `postgres://user:password@host:port/database` URL says.
///
/// Also accepted, as libpq does: `postgresql://`, an empty host (localhost), a `host=/socket/dir` query
/// item (a Unix socket `<dir>/.s.PGSQL.<port>`), and `sslmode=disable|prefer|require`.
package struct PostgresLocation: Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var socketDirectory: String?
    var sslMode: String

    package init(url text: String) throws(MessageStoreError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw .invalidLocation(PostgresLocation.redact(text), reason: "not a postgres:// URL") }
        let items = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? Int(items["port"] ?? "") ?? 5432
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw .invalidLocation(PostgresLocation.redact(text), reason: "the URL names no user")
        }
        self.user = user
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding ?? path
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidLocation(PostgresLocation.redact(text), reason: "the URL names no database")
        }
        socketDirectory = items["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        sslMode = items["sslmode"] ?? "disable"
    }

    /// The URL without its password, for messages and logs (``redactedDatabaseLocation(_:)``).
    static func redact(_ url: String) -> String { redactedDatabaseLocation(url) }

    /// Where the server is, for messages.
    var address: String { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host):\(port)" }

    var display: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    func configuration() throws -> PostgresConnection.Configuration {
        if let socketDirectory {
            return PostgresConnection.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
