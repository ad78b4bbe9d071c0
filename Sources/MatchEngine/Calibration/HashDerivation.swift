public import Crypto

/// A way a downloader turned a WhatsApp message id into the 8-character `HASH8` of a file name.
///
/// No deployment records which one it used (spec §1); calibration counts exact hits per hypothesis.
public enum HashDerivation: String, Sendable, Hashable, Codable, CaseIterable {
    /// `id[:8]`
    case idPrefix = "id_prefix"
    /// `id[-8:]`
    case idSuffix = "id_suffix"
    /// The first 8 hex digits of MD5(id).
    case md5
    /// The first 8 hex digits of SHA-1(id).
    case sha1
    /// The first 8 hex digits of SHA-256(id).
    case sha256

    /// The upper-case token this derivation gives for `id`.
    public func token(of id: String) -> String {
        switch self {
        case .idPrefix: return String(id.prefix(8)).uppercased()
        case .idSuffix: return String(id.suffix(8)).uppercased()
        case .md5: return Self.hex8(Insecure.MD5.hash(data: Array(id.utf8)))
        case .sha1: return Self.hex8(Insecure.SHA1.hash(data: Array(id.utf8)))
        case .sha256: return Self.hex8(SHA256.hash(data: Array(id.utf8)))
        }
    }

    /// Whether the token is a hash of the id (and so cannot collide by shared id prefixes).
    public var isHash: Bool {
        switch self {
        case .idPrefix, .idSuffix: false
        case .md5, .sha1, .sha256: true
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hex8(_ digest: some Digest) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(8)
        for byte in digest.prefix(4) {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
