public import Hummingbird

/// The request context of the server: Hummingbird's core storage and who the request comes from.
public struct ServeContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AccessMiddleware`` before any route runs.
    var grant: AccessGrant = .none

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Decisions and logins are small JSON or form bodies.
    public var maxUploadSize: Int { 64 * 1024 }
}

/// How a request proved it may be served.
enum AccessGrant: Sendable, Equatable {
    /// Not checked yet.
    case none
    /// A loopback server without a token: any local client, with the server's CSRF token for POSTs.
    case loopback(csrf: String)
    /// `Authorization: Bearer TOKEN` (scripts, a reverse proxy): no ambient credential, so no CSRF.
    case bearer
    /// The login's cookie, with the session's CSRF token.
    case session(id: String, csrf: String)

    /// The CSRF token the page must echo on POSTs; `nil` when none is needed.
    var csrf: String? {
        switch self {
        case let .loopback(csrf), let .session(_, csrf): csrf
        case .none, .bearer: nil
        }
    }
}
