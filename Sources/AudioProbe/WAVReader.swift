/// WAV durations in Swift from the RIFF chunks: `data` bytes over the `fmt ` block alignment, or the
/// `fact` sample count for compressed formats.
enum WAVReader {
    static func read(_ file: RandomAccessFile) throws(AudioProbeError) -> DurationReading {
        var offset: Int64 = 12
        var format: (tag: UInt16, channels: UInt16, rate: UInt32, blockAlign: UInt16)?
        var factSamples: UInt32?
        var chunks = 0
        while offset + 8 <= file.size, chunks < 1000 {
            chunks += 1
            let header = try file.read(at: offset, count: 8)
            guard let size32 = header.le32(4) else { break }
            let size = Int64(size32)
            if header.matches("fmt ", at: 0) {
                let fmt = try file.read(at: offset + 8, count: 16)
                guard let tag = fmt.le16(0), let channels = fmt.le16(2), let rate = fmt.le32(4),
                    let align = fmt.le16(12)
                else { throw .truncated }
                format = (tag, channels, rate, align)
            } else if header.matches("fact", at: 0) {
                factSamples = try file.read(at: offset + 8, count: 4).le32(0)
            } else if header.matches("data", at: 0) {
                guard let format, format.rate > 0, format.blockAlign > 0 else { throw .badHeader }
                let present = file.size - offset - 8
                // 0xFFFFFFFF (or 0) is what streaming writers leave when they never patch the size.
                let unpatched = size32 == 0xFFFF_FFFF || size32 == 0
                let cut = !unpatched && size > present
                let bytes = unpatched || cut ? present : size
                let pcm = format.tag == 1 || format.tag == 3 || format.tag == 0xFFFE
                let samples: Double
                if !pcm, let factSamples, !cut {
                    samples = Double(factSamples)
                } else {
                    samples = Double(bytes / Int64(format.blockAlign))
                }
                return DurationReading(
                    seconds: samples / Double(format.rate),
                    isEstimate: cut || unpatched || (!pcm && factSamples == nil),
                    damage: cut ? .truncated : nil,
                    method: .wavHeader
                )
            }
            offset += 8 + size + (size & 1)  // chunks are padded to an even length
        }
        throw format == nil ? .badHeader : .truncated
    }
}
