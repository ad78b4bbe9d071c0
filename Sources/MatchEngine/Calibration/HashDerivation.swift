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

    /// Whether the token is a digest of the id (costly to compute) rather than a part of it.
    public var isHash: Bool { self == .md5 || self == .sha1 || self == .sha256 }

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

    /// The token packed into 64 bits (its 8 ASCII bytes), for indexes: no string is built.
    public func packedToken(of id: String) -> UInt64 {
        switch self {
        case .idPrefix, .idSuffix:
            var bytes = id.utf8[...]
            if bytes.count > 8 { bytes = self == .idPrefix ? bytes.prefix(8) : bytes.suffix(8) }
            return Self.pack(bytes.lazy.map(Self.upper))
        case .md5: return Self.packHex(Insecure.MD5.hash(data: Array(id.utf8)))
        case .sha1: return Self.packHex(Insecure.SHA1.hash(data: Array(id.utf8)))
        case .sha256: return Self.packHex(SHA256.hash(data: Array(id.utf8)))
        }
    }

    /// A token's 8 ASCII bytes in 64 bits; a shorter token is padded with zero bytes, which no
    /// ASCII token contains, so packing loses nothing.
    public static func pack(_ token: some StringProtocol) -> UInt64 {
        pack(token.utf8.lazy.map(upper))
    }

    /// ``pack(_:)`` for a `String`, without generics: scoring packs a file's token for every pair,
    /// and the generic version, called from another module, ran unspecialised (15 % of a sync).
    public static func pack(_ token: String) -> UInt64 {
        var value: UInt64 = 0
        var count: UInt64 = 0
        for byte in token.utf8 where count < 8 {
            value = value << 8 | UInt64(upper(byte))
            count += 1
        }
        return count == 0 ? 0 : value << (8 * (8 - count))
    }

    private static func pack(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        var count = 0
        for byte in bytes where count < 8 {
            value = value << 8 | UInt64(byte)
            count += 1
        }
        return count == 0 ? 0 : value << (8 * UInt64(8 - count))
    }

    private static func packHex(_ digest: some Digest) -> UInt64 {
        var value: UInt64 = 0
        for byte in digest.prefix(4) {
            value = value << 16 | UInt64(hexDigits[Int(byte >> 4)]) << 8 | UInt64(hexDigits[Int(byte & 15)])
        }
        return value
    }

    /// Whether `token` (8 upper-case characters) is this derivation of `id`, without building the
    /// derived token: scoring asks this for every candidate pair.
    public func matches(token: String, id: String) -> Bool {
        switch self {
        case .idPrefix, .idSuffix:
            var idBytes = id.utf8[...]
            if idBytes.count > 8 {
                idBytes = self == .idPrefix ? idBytes.prefix(8) : idBytes.suffix(8)
            }
            guard idBytes.count == token.utf8.count else { return false }
            return zip(idBytes, token.utf8).allSatisfy { Self.upper($0) == $1 }
        case .md5: return Self.hexPrefixMatches(token, Insecure.MD5.hash(data: Array(id.utf8)))
        case .sha1: return Self.hexPrefixMatches(token, Insecure.SHA1.hash(data: Array(id.utf8)))
        case .sha256: return Self.hexPrefixMatches(token, SHA256.hash(data: Array(id.utf8)))
        }
    }

    private static func upper(_ byte: UInt8) -> UInt8 { byte >= 97 && byte <= 122 ? byte - 32 : byte }

    private static func hexPrefixMatches(_ token: String, _ digest: some Digest) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == 8 else { return false }
        var index = 0
        for byte in digest.prefix(4) {
            guard bytes[index] == hexDigits[Int(byte >> 4)], bytes[index + 1] == hexDigits[Int(byte & 15)] else {
                return false
            }
            index += 2
        }
        return true
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
