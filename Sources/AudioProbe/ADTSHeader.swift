/// One ADTS (raw AAC) frame header.
struct ADTSHeader: Hashable {
    var sampleRate: Int
    var length: Int
    var blocks: Int

    init?(_ bytes: some RandomAccessCollection<UInt8>) {
        guard bytes.first == 0xFF, bytes.count >= 7 else { return nil }
        let b = Array(bytes.prefix(7))
        // 12-bit sync, then ID, layer (always 00), protection_absent.
        guard b[0] == 0xFF, b[1] & 0xF6 == 0xF0 else { return nil }
        let rates = [
            96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350,
        ]
        let rateIndex = Int((b[2] >> 2) & 0xF)
        guard rateIndex < rates.count else { return nil }
        sampleRate = rates[rateIndex]
        length = Int(b[3] & 3) << 11 | Int(b[4]) << 3 | Int(b[5] >> 5)
        guard length >= 7 else { return nil }
        blocks = Int(b[6] & 3) + 1
    }
}
