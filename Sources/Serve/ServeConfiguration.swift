import Foundation
public import Sync

/// What `audiosync serve` runs with.
public struct ServeConfiguration: Sendable {
    /// Where to listen.
    public var listen: ListenAddress
    public var database: DatabaseLocation
    public var media: MediaLocation
    public var profile: ProfileChoice
    /// The secret every request must show (header or login), `nil` for none: only a loopback address
    /// may go without one.
    public var token: AccessToken?
    /// The origin allowed to read the audio endpoint from scripts (`Access-Control-Allow-Origin`),
    /// `*` for any; `nil` sends no CORS headers.
    public var corsOrigin: String?
    /// `localUrl` written by Accept, with `{id}` for `core_mensagem.id`.
    public var urlTemplate: String

    public init(
        listen: ListenAddress = .default, database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice,
        token: AccessToken? = nil, corsOrigin: String? = nil, urlTemplate: String
    ) {
        self.listen = listen
        self.database = database
        self.media = media
        self.profile = profile
        self.token = token
        self.corsOrigin = corsOrigin
        self.urlTemplate = urlTemplate
    }

    /// - Throws: ``ServeError/tokenRequired(host:)`` for an address other than loopback without a token.
    public func validate() throws(ServeError) {
        if !listen.isLoopback && token == nil { throw .tokenRequired(host: listen.host) }
    }
}

/// `HOST:PORT`, `[V6]:PORT`, or a port alone (on 127.0.0.1).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// 0 asks the system for a free port.
    public var port: Int

    public static let `default` = ListenAddress(host: "127.0.0.1", port: 8750)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// - Throws: ``ServeError/listen(_:)`` for anything else.
    public init(parsing text: String) throws(ServeError) {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .listen("\(text): write an IPv6 address as [::1]:8750")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw .listen("\(text): expected HOST:PORT, such as 127.0.0.1:8750")
        }
        self.host = host
        self.port = port
    }

    /// Whether only this machine can reach the address: 127.0.0.0/8, `::1` or `localhost`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The shared secret of `--token-file`.
public struct AccessToken: Sendable, Hashable {
    let value: [UInt8]

    /// The first line of the file, without surrounding white space; at least 16 characters.
    /// - Throws: ``ServeError/tokenFile(_:)`` when the file cannot be read or holds too short a token.
    public init(file: String) throws(ServeError) {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            throw .tokenFile("cannot read \(file)")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        try self.init(line.trimmingCharacters(in: .whitespaces), source: file)
    }

    /// - Throws: ``ServeError/tokenFile(_:)`` for a token shorter than 16 characters.
    public init(_ token: String, source: String = "the token") throws(ServeError) {
        guard token.count >= 16 else {
            throw .tokenFile("\(source): the token must be at least 16 characters (try: openssl rand -hex 32)")
        }
        value = Array(token.utf8)
    }

    /// Compares in time that does not depend on where the texts differ.
    func matches(_ candidate: some StringProtocol) -> Bool {
        constantTimeEqual(Array(candidate.utf8), value)
    }
}

/// Whether two byte strings are equal, in time that depends only on their lengths.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
