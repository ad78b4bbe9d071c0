import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Who may use the server.
///
/// - Without a token (only allowed on a loopback address) every local client may, but the `Host`
///   header must name the server as loopback, so that a web page whose domain resolves to 127.0.0.1
///   (DNS rebinding) cannot read the review page and its CSRF token.
/// - With a token, a request shows it as `Authorization: Bearer TOKEN`, or carries the cookie that
///   `POST /login` set (HttpOnly, SameSite=Strict) after the token was typed once.
/// - Every POST made with an ambient credential (the cookie, or none on loopback) must echo the CSRF
///   token of the page in `X-CSRF-Token`: another site can make a browser send a POST with its
///   cookies, but cannot read the page that holds the token. A bearer header is never sent by a
///   browser on its own, so it needs none.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = ServeContext

    let token: AccessToken?
    let sessions: SessionStore
    /// The loopback server's CSRF token.
    let loopbackCSRF: String
    /// Host names (without the port) a tokenless server answers to.
    let allowedHosts: Set<String>

    static let cookieName = "audiosync_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// Paths served to anyone who reached the server: the login form and the page's static files.
    static func isPublic(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/login" || path == "/review/app.js" || path == "/review/app.css"
    }

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let token {
            if let bearer = request.headers[.authorization], bearer.hasPrefix("Bearer "),
                token.matches(bearer.dropFirst("Bearer ".count))
            {
                context.grant = .bearer
            } else if let id = Self.cookie(Self.cookieName, in: request), let csrf = sessions.csrf(of: id) {
                context.grant = .session(id: id, csrf: csrf)
            } else if Self.isPublic(request) {
                return try await next(request, context)
            } else if request.method == .get, request.uri.path == "/" || request.uri.path.hasPrefix("/review") {
                return Response(status: .seeOther, headers: [.location: "/login"])
            } else {
                var response = ServeResponse.error(
                    .unauthorized, "unauthorized", "send Authorization: Bearer TOKEN, or log in at /login")
                response.headers[.wwwAuthenticate] = #"Bearer realm="audiosync""#
                return response
            }
        } else {
            guard allowedHosts.contains(Self.hostName(request.head.authority ?? "")) else {
                return ServeResponse.error(
                    .forbidden, "host_not_allowed",
                    "this server answers only requests addressed to it by its loopback address")
            }
            context.grant = .loopback(csrf: loopbackCSRF)
        }
        if request.method == .post, request.uri.path != "/login", let expected = context.grant.csrf {
            let sent = request.headers[Self.csrfHeader] ?? ""
            guard constantTimeEqual(Array(sent.utf8), Array(expected.utf8)) else {
                return ServeResponse.error(
                    .forbidden, "csrf", "missing or wrong X-CSRF-Token: reload the review page and try again")
            }
        }
        return try await next(request, context)
    }

    /// The name in a `Host` value, without its port: `localhost`, `127.0.0.1`, `[::1]`.
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") {
            return String(lowered[...close])
        }
        return String(lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// A cookie's value from the request's `Cookie` headers.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}

/// The logged-in browsers: session id → its CSRF token. In memory: a restart logs everyone out.
final class SessionStore: Sendable {
    private let sessions = Mutex<[String: String]>([:])

    /// Starts a session; returns its id and CSRF token.
    func start() -> (id: String, csrf: String) {
        let id = randomToken()
        let csrf = randomToken()
        sessions.withLock { $0[id] = csrf }
        return (id, csrf)
    }

    func csrf(of id: String) -> String? {
        sessions.withLock { $0[id] }
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}

/// 32 random bytes from the system's generator, as hex.
func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
}
