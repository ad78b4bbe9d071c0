/// SplitMix64: small, fast and seedable, so a store is the same for the same seed on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    /// Upper-case hex digits.
    public mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<count).map { _ in digits[Int(next() & 15)] })
    }

    /// A derived generator for item `index`, independent of how many numbers others drew.
    public func fork(_ index: UInt64) -> SeededRandom {
        var copy = SeededRandom(seed: state ^ (index &* 0xD6E8_FEB8_6659_FD93))
        _ = copy.next()
        return copy
    }
}
