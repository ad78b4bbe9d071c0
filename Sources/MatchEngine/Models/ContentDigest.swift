/// A SHA-256 digest, as the file's bytes give it or `fileSha256` declares it.
public struct ContentDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 32 bytes as four big-endian words, held inline: an array of them was a heap object per
    /// row and per file, retained with every copy of a message, and comparing two meant comparing
    /// arrays (2 % of a million-row sync's samples, in the content hash strategy alone).
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The 32 bytes.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return bytes
    }

    /// A digest from its raw bytes; `nil` unless there are exactly 32.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        func word(_ start: Int) -> UInt64 {
            bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(8), word(16), word(24))
    }

    /// A digest from base64 (standard or URL-safe alphabet, padding optional), as `fileSha256` holds it.
    public init?(base64: String) {
        guard let decoded = Base64.decode(base64) else { return nil }
        self.init(bytes: decoded)
    }

    /// The standard base64 form, as `fileSha256` writes it.
    public var base64: String { Base64.encode(bytes) }

    public var description: String { base64 }

    public static func == (lhs: ContentDigest, rhs: ContentDigest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// The first eight bytes: a SHA-256's bytes are uniform, so eight tell digests apart as well as
    /// all 32 would for a hash table, which hashed them a byte at a time (1.9 % of a sync at a
    /// million messages in `Hasher._combine(UInt8)` alone). Equal digests have equal heads, so `==`
    /// stays the bytes'.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(head)
    }

    /// The first eight bytes as a number: a key that tells digests apart as well as all 32 do.
    public var head: UInt64 { words.0 }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = ContentDigest(base64: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a base64 SHA-256: \(text)")
            )
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}

/// Base64 without Foundation, so the engine stays free of it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [
                alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)],
                alphabet[Int(n & 63)],
            ]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values = [UInt8]()
        values.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            switch c {
            case 65...90: values.append(c - 65)
            case 97...122: values.append(c - 71)
            case 48...57: values.append(c + 4)
            case 43, 45: values.append(62)  // '+' or URL-safe '-'
            case 47, 95: values.append(63)  // '/' or URL-safe '_'
            case 61, 10, 13, 32: continue  // padding and stray white space
            default: return nil
            }
        }
        if values.count % 4 == 1 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + 4, values.count)]
            var n: UInt32 = 0
            for (k, v) in chunk.enumerated() { n |= UInt32(v) << (18 - 6 * UInt32(k)) }
            out.append(UInt8(n >> 16 & 255))
            if chunk.count > 2 { out.append(UInt8(n >> 8 & 255)) }
            if chunk.count > 3 { out.append(UInt8(n & 255)) }
            i += 4
        }
        return out
    }
}
