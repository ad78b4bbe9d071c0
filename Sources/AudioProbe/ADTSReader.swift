/// Raw AAC (ADTS) durations in Swift by counting frames, 1024 samples per raw data block, less
/// the 1024 priming samples AAC encoders put first (nothing records them in ADTS).
enum ADTSReader {
    static let priming = 1024

    static func read(_ file: RandomAccessFile) throws(AudioProbeError) -> DurationReading {
        var reader = ChunkedReader(file: file)
        var position: Int64 = 0
        var blocks = 0
        var rate = 0
        var damage: ProbeDamage?
        while position < file.size {
            let bytes = try reader.bytes(at: position, count: 7)
            guard let header = ADTSHeader(bytes), rate == 0 || header.sampleRate == rate else {
                if bytes.matches("TAG", at: 0) || bytes.matches("APETAG", at: 0) { break }
                damage = bytes.count < 7 ? .truncated : .trailingBytes
                break
            }
            if position + Int64(header.length) > file.size {
                damage = .truncated
                break
            }
            rate = header.sampleRate
            blocks += header.blocks
            position += Int64(header.length)
        }
        guard blocks > 0, rate > 0 else { throw damage == .truncated ? .truncated : .notFormat }
        return DurationReading(
            seconds: Double(max(0, blocks * 1024 - priming)) / Double(rate),
            isEstimate: damage == .truncated,
            damage: damage,
            method: .adtsFrameScan
        )
    }
}
