import Foundation
import Testing

@testable import MediaStore

/// The scan's text listing writes durations as printf's `%.3f` does, without its formatter.
struct ScanTextTests {
    /// Values printf must round the hard way: exact ties (half to even), values a hair either side
    /// of a half thousandth, whole numbers, zero, large and negative values, and durations as
    /// sample counts make them at the rates voice notes use.
    static let hard: [Double] = {
        var values: [Double] = [0, 0.0005, 0.0015, 0.0625, 0.1875, 1.0005, 2.5, 123.4565, 999.9995, 1e11, -1.2345]
        for base in [0.0005, 1.0005, 12.3455, 7.0625] {
            values += [base.nextDown, base.nextUp, base.nextDown.nextDown, base.nextUp.nextUp]
        }
        for rate in [8_000.0, 16_000, 22_050, 44_100, 48_000] {
            values += stride(from: 0, to: 200_000, by: 37).map { Double($0) / rate }
        }
        // Opus: whole 20 ms frames less the 312-sample pre-skip, a thousandth and a half each.
        values += (1...20_000).map { Double($0 * 960 - 312) / 48_000 }
        return values
    }()

    @Test("Durations read as printf's %.3f writes them, for hard values and 100,000 pseudo-random ones")
    func threeDecimalsIsPrintf() {
        // A fixed sequence (SplitMix64), so a failure names values that fail again.
        var state: UInt64 = 0x5EED
        let random = (0..<100_000).map { _ -> Double in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53) * 3_600
        }
        var differing: [Double] = []
        for value in Self.hard + random where threeDecimals(value) != String(format: "%.3f", value) {
            differing.append(value)
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }
}
