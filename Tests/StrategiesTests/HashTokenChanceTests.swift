import MatchEngine
import Testing

@testable import Strategies

/// The random bits a `HASH8` leaves to chance, read from packed bytes rather than an upper-cased
/// copy of the id: the same answers as the string's `hasPrefix`, case aside.
struct HashTokenChanceTests {
    @Test(
        "An id's fixed start leaves fewer random bits, whatever its case and length",
        arguments: [
            ("3EB0C767D0D1E2F3A4B5", 16), ("3eb0c767d0d1e2f3a4b5", 16), ("BAE5ABCDEF", 16), ("bae5", 16),
            ("3A5F0E1D2C3B4A5968", 24), ("3a", 24), ("3", 32), ("3EB", 32), ("", 32), ("ABCDEF0123456789", 32),
            ("3AB0C767", 24), ("X3EB0C767", 32),
        ])
    func fixedStarts(id: String, bits: Int) {
        #expect(FilenameHashPrefixStrategy.randomBits(of: id, under: .idPrefix) == bits)
        let reference = [("3EB0", 4), ("BAE5", 4), ("3A", 2)].first { id.uppercased().hasPrefix($0.0) }?.1 ?? 0
        #expect(bits == 4 * (8 - reference))
        for derivation in HashDerivation.allCases where derivation != .idPrefix {
            #expect(FilenameHashPrefixStrategy.randomBits(of: id, under: derivation) == 32)
        }
    }
}
