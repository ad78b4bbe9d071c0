/// A 64-bit fingerprint of a `conteudo` text exactly as it was read.
///
/// The loader keeps this instead of the text (a million rows of JSON would not fit comfortably), and
/// ``MessageDatabase/apply(_:against:run:)`` compares it with the row's current text to tell whether the row
/// changed since it was read. The hash is XXH64 with seed 0 over the UTF-8 bytes: stable across runs,
/// processes and platforms, so a fingerprint can be stored in a plan file and checked later.
public struct ContentFingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The XXH64 value.
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The fingerprint of a text's UTF-8 bytes.
    public init(_ text: String) {
        var text = text
        rawValue = text.withUTF8 { XXH64.hash(UnsafeRawBufferPointer($0)) }
    }

    /// The fingerprint of raw UTF-8 bytes, as a database cursor hands them out.
    init(bytes: UnsafeRawBufferPointer) {
        rawValue = XXH64.hash(bytes)
    }

    /// Sixteen lower-case hex digits.
    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// XXH64 (Yann Collet's xxHash, 64-bit variant), seed 0.
///
/// Chosen because it runs at several GB/s without SIMD, so fingerprinting a million rows costs
/// little next to reading them, and because its output is specified (test vectors in the tests).
enum XXH64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* prime1 &+ prime4
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var offset = 0
        var h: UInt64
        if count >= 32, let base = bytes.baseAddress {
            var v1 = prime1 &+ prime2
            var v2 = prime2
            var v3: UInt64 = 0
            var v4: UInt64 = 0 &- prime1
            while offset + 32 <= count {
                v1 = round(v1, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                v2 = round(v2, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)))
                v3 = round(v3, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
                v4 = round(v4, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)))
                offset += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = prime5
        }
        h = h &+ UInt64(count)
        guard let base = bytes.baseAddress else { return avalanche(h) }
        while offset + 8 <= count {
            let k = round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            h = rotl(h ^ k, 27) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= count {
            let k = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            h = rotl(h ^ (k &* prime1), 23) &* prime2 &+ prime3
            offset += 4
        }
        while offset < count {
            let k = UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
            h = rotl(h ^ (k &* prime5), 11) &* prime1
            offset += 1
        }
        return avalanche(h)
    }

    @inline(__always)
    private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h
    }
}
