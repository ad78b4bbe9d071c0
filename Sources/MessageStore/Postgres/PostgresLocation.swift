import Foundation
import PostgresNIO

/// What a `postgres://user:password@host:port/database` URL says, completed as libpq completes it.
///
/// Also accepted, as libpq does: `postgresql://`, an empty host (localhost), a `host=/socket/dir` query
/// item (a Unix socket `<dir>/.s.PGSQL.<port>`), `user=` and `password=` query items, and
/// `sslmode=disable|allow|prefer|require|verify-ca|verify-full` (with `sslrootcert=` for the
/// verifying modes). What the URL leaves out comes from where libpq takes it:
///
/// - the user from `PGUSER`, else the operating system's user (so a socket URL needs none);
/// - the password from `PGPASSWORD`, else the password file (`PGPASSFILE`, else `~/.pgpass`), so it
///   need not be on a command line or in a config file;
/// - `sslmode` from `PGSSLMODE`, else `prefer`: TLS when the server offers it.
package struct PostgresLocation: Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var socketDirectory: String?
    var sslMode: SSLMode
    var sslRootCertificate: String?
    /// Why a password file was not read (libpq's warning), for the error when the server then asks
    /// for a password.
    var passwordFileWarning: String?

    /// libpq's `sslmode` values.
    enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(MessageStoreError)
    {
        func invalid(_ reason: String) -> MessageStoreError {
            .invalidLocation(PostgresLocation.redact(text), reason: reason)
        }
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else { throw invalid("not a postgres:// URL") }
        let items = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? Int(items["port"] ?? "") ?? 5432
        let given = components.user.flatMap { $0.removingPercentEncoding } ?? items["user"]
        user = given.flatMap { $0.isEmpty ? nil : $0 } ?? variable("PGUSER") ?? ProcessInfo.processInfo.userName
        guard !user.isEmpty else { throw invalid("the URL names no user, and the system's user is unknown") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding ?? path
        guard !database.isEmpty, !database.contains("/") else { throw invalid("the URL names no database") }
        socketDirectory = items["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let mode = items["sslmode"] ?? variable("PGSSLMODE") ?? SSLMode.prefer.rawValue
        guard let sslMode = SSLMode(rawValue: mode) else {
            throw invalid(
                "sslmode=\(mode) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.sslMode = sslMode
        sslRootCertificate = items["sslrootcert"] ?? variable("PGSSLROOTCERT")
        password = components.password.flatMap { $0.removingPercentEncoding } ?? items["password"]
        if password == nil { password = variable("PGPASSWORD") }
        if password == nil {
            switch PostgresPasswordFile.read(PostgresPasswordFile.location(environment: environment)) {
            case .success(let file):
                // A socket is matched by its folder or by `localhost`, as libpq matches it.
                let hosts = socketDirectory.map { [$0, "localhost"] } ?? [host]
                password = file.password(hosts: hosts, port: port, database: database, user: user)
            case .failure(let warning):
                passwordFileWarning = warning.description
            case nil:
                break
            }
        }
    }

    /// The URL without its password, for messages and logs (``redactedDatabaseLocation(_:)``).
    static func redact(_ url: String) -> String { redactedDatabaseLocation(url) }

    /// Where the server is, for messages.
    var address: String { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host):\(port)" }

    var display: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    func configuration() throws -> PostgresConnection.Configuration {
        if let socketDirectory {
            // libpq uses no TLS on a Unix socket either: the kernel carries the bytes.
            return PostgresConnection.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCertificate { tls.trustRoots = .file(sslRootCertificate) }
        let mode: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable, .allow:
            mode = .disable
        case .prefer:
            // As libpq: encrypted when the server offers it, the certificate not checked.
            tls.certificateVerification = .none
            mode = .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = .none
            mode = .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            mode = .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            mode = .require(try NIOSSLContext(configuration: tls))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
    }
}
