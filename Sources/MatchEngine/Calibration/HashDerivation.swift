import Crypto

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

    /// The token packed into 64 bits (its 8 ASCII bytes), for indexes: no string is built.
    public func packedToken(of id: String) -> UInt64 {
        switch self {
        case .idPrefix, .idSuffix: return packedEnd(of: id)
        case .md5, .sha1, .sha256: return Self.packHex(digest(of: id))
        }
    }

    /// The first 4 bytes of this hash derivation's digest of `id`, big-endian: its 8 hex digits.
    /// Hashes the id's own UTF-8 bytes, without copying them into an array first.
    private func digest(of id: String) -> UInt32 {
        func first4(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
            func prefix(_ digest: some Digest) -> UInt32 {
                digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
            }
            switch self {
            case .md5: return prefix(Insecure.MD5.hash(data: bytes))
            case .sha1: return prefix(Insecure.SHA1.hash(data: bytes))
            default: return prefix(SHA256.hash(data: bytes))
            }
        }
        if let value = id.utf8.withContiguousStorageIfAvailable({ first4(UnsafeRawBufferPointer($0)) }) {
            return value
        }
        return Array(id.utf8).withUnsafeBytes(first4)
    }

    /// `id[:8]` or `id[-8:]`, upper-cased and packed, read from the id's own bytes: scoring asks for
    /// it per candidate pair, and slicing the string's view retained and released its storage
    /// several times each (3 % of a million-row sync).
    private func packedEnd(of id: String) -> UInt64 {
        let fromEnd = self == .idSuffix
        func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            let count = Swift.min(8, bytes.count)
            let start = fromEnd ? bytes.count - count : 0
            var value: UInt64 = 0
            for offset in start..<(start + count) { value = value << 8 | UInt64(Self.upper(bytes[offset])) }
            return count == 0 ? 0 : value << (8 * UInt64(8 - count))
        }
        if let value = id.utf8.withContiguousStorageIfAvailable(pack) { return value }
        return Array(id.utf8).withUnsafeBufferPointer(pack)
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

    /// Whether `token` (8 upper-case characters) is this derivation of `id`, without building the
    /// derived token: scoring asks this for every candidate pair. The token's bytes are compared as
    /// they are (a lower-case token is no derivation's), the id's upper-cased.
    public func matches(token: String, id: String) -> Bool {
        let length = token.utf8.count
        switch self {
        case .idPrefix, .idSuffix:
            guard length == Swift.min(8, id.utf8.count) else { return false }
            return Self.packExactly(token) == packedEnd(of: id)
        case .md5, .sha1, .sha256:
            guard length == 8 else { return false }
            return Self.packExactly(token) == Self.packHex(digest(of: id))
        }
    }

    private static func upper(_ byte: UInt8) -> UInt8 { byte >= 97 && byte <= 122 ? byte - 32 : byte }

    /// The first 8 bytes as they are, packed like ``pack(_:)-(String)`` but not upper-cased.
    private static func packExactly(_ token: String) -> UInt64 {
        var value: UInt64 = 0
        var count: UInt64 = 0
        for byte in token.utf8 where count < 8 {
            value = value << 8 | UInt64(byte)
            count += 1
        }
        return count == 0 ? 0 : value << (8 * (8 - count))
    }

    /// The 8 upper-case hex digits of a digest's first 4 bytes, packed.
    private static func packHex(_ first4: UInt32) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 28, through: 0, by: -4) {
            value = value << 8 | UInt64(hexDigits[Int((first4 >> UInt32(shift)) & 15)])
        }
        return value
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
