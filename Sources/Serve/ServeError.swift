/// Why the server could not start. One line each, saying what to do.
public enum ServeError: Error, Sendable, Hashable, CustomStringConvertible {
    case mediaRoot(String)
    case listen(String)
    case tokenFile(String)
    case tokenRequired(host: String)

    public var description: String {
        switch self {
        case let .mediaRoot(message): "media root: \(message)"
        case let .listen(message): "--listen: \(message)"
        case let .tokenFile(message): "--token-file: \(message)"
        case let .tokenRequired(host):
            "listening on \(host) (not loopback) needs --token-file: anyone who can reach the address could read the notes and write links"
        }
    }
}
