/// One MPEG audio frame header (ISO 11172-3 / 13818-3), Layer I, II or III.
struct MPEGFrameHeader: Hashable {
    enum Version: Hashable { case mpeg1, mpeg2, mpeg25 }

    var version: Version
    var layer: Int
    var bitrate: Int
    var sampleRate: Int
    var padding: Bool
    var mono: Bool

    /// Parses the 4 bytes at the start of `bytes`; `nil` unless they are a valid, non-free-format header.
    init?(_ bytes: some RandomAccessCollection<UInt8>) {
        // Four reads through the collection, no copy: the frame scan calls this once per frame.
        guard let b0 = bytes.first, b0 == 0xFF, bytes.count >= 4 else { return nil }
        let i = bytes.startIndex
        let b = (
            b0, bytes[bytes.index(i, offsetBy: 1)], bytes[bytes.index(i, offsetBy: 2)],
            bytes[bytes.index(i, offsetBy: 3)]
        )
        guard b.0 == 0xFF, b.1 & 0xE0 == 0xE0 else { return nil }
        switch (b.1 >> 3) & 3 {
        case 3: version = .mpeg1
        case 2: version = .mpeg2
        case 0: version = .mpeg25
        default: return nil
        }
        let layerBits = Int((b.1 >> 1) & 3)
        guard layerBits != 0 else { return nil }
        layer = 4 - layerBits
        let bitrateIndex = Int(b.2 >> 4)
        let rateIndex = Int((b.2 >> 2) & 3)
        guard bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let table: Int
        switch (version, layer) {
        case (.mpeg1, 1): table = 0
        case (.mpeg1, 2): table = 1
        case (.mpeg1, _): table = 2
        case (_, 1): table = 3
        default: table = 4
        }
        bitrate = Self.kilobits[table][bitrateIndex] * 1000
        sampleRate = Self.rates[rateIndex] / (version == .mpeg1 ? 1 : version == .mpeg2 ? 2 : 4)
        padding = b.2 & 2 != 0
        mono = b.3 >> 6 == 3
    }

    /// Bit rates in kbit/s by index: MPEG-1 Layer I, II, III; MPEG-2/2.5 Layer I; MPEG-2/2.5 Layer II and III.
    private static let kilobits: [[Int]] = [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ]
    private static let rates = [44_100, 48_000, 32_000]

    /// PCM samples per channel in one frame.
    var samplesPerFrame: Int {
        switch layer {
        case 1: 384
        case 2: 1152
        default: version == .mpeg1 ? 1152 : 576
        }
    }

    /// The frame's length in bytes, header included.
    var length: Int {
        switch layer {
        case 1: (12 * bitrate / sampleRate + (padding ? 1 : 0)) * 4
        case 2: 144 * bitrate / sampleRate + (padding ? 1 : 0)
        default: (version == .mpeg1 ? 144 : 72) * bitrate / sampleRate + (padding ? 1 : 0)
        }
    }

    /// Where a Xing/Info tag starts in a Layer III frame: after the header and the side information.
    var xingOffset: Int {
        switch (version == .mpeg1, mono) {
        case (true, false): 36
        case (true, true): 21
        case (false, false): 21
        case (false, true): 13
        }
    }

    /// Whether another frame belongs to the same stream (a frame sync inside data is often a fake).
    func isCompatible(with other: MPEGFrameHeader) -> Bool {
        version == other.version && layer == other.layer && sampleRate == other.sampleRate
    }
}
