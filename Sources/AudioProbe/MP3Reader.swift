/// MP3 durations in Swift: bounds-checked parsing of a few headers needs no C library, and a frame
/// scan reads the file in 64 KiB chunks, so memory stays bounded whatever the file claims.
///
/// With a Xing/Info tag the duration is `frames × samples per frame − encoder delay − padding`
/// (from LAME's tag; exact). Without one every frame is counted, and the delay LAME adds
/// (576 encoder + 529 decoder samples) is assumed, since nothing records it: the error is then the
/// unknown padding, under one frame.
enum MP3Reader {
    /// LAME's encoder delay plus the MPEG Layer III decoder delay, for files that do not record theirs.
    static let assumedDelay = 576 + 529
    /// How far past the tags a first frame is looked for (some writers pad with zeros).
    static let syncSearchLimit = 64 * 1024

    static func read(_ file: RandomAccessFile, head: [UInt8]) throws(AudioProbeError) -> DurationReading {
        var reader = ChunkedReader(file: file)
        // Skip ID3v2 tags (several may follow each other); a cover picture can make them large.
        var offset: Int64 = 0
        for _ in 0..<8 {
            let tag = try reader.bytes(at: offset, count: 10)
            guard tag.matches("ID3", at: 0), let flags = tag.u8(5) else { break }
            var size: Int64 = 0
            for k in 6..<10 {
                guard let byte = tag.u8(k) else { throw .truncated }
                size = size << 7 | Int64(byte & 0x7F)
            }
            offset += 10 + size + (flags & 0x10 != 0 ? 10 : 0)
        }
        if offset >= file.size { throw .truncated }
        guard let (firstOffset, first) = try findFrame(&reader, from: offset, size: file.size) else {
            throw .notFormat
        }
        let frameBytes = try Array(reader.bytes(at: firstOffset, count: max(first.length, 200)))
        if let tagged = try readTag(frameBytes, header: first, at: firstOffset, file: file, reader: &reader) {
            return tagged
        }
        return try scan(&reader, from: firstOffset, first: first, size: file.size)
    }

    /// The first frame at or after `offset` that a second, compatible frame follows (or the end).
    static func findFrame(
        _ reader: inout ChunkedReader,
        from offset: Int64,
        size: Int64
    ) throws(AudioProbeError) -> (Int64, MPEGFrameHeader)? {
        let end = min(size, offset + Int64(syncSearchLimit))
        var position = offset
        while position + 4 <= end {
            // The slice keeps its chunk alive when the look-ahead below moves the reader's window.
            let window = try reader.bytes(at: position, count: 4096)
            if window.count < 4 { break }
            var k = 0
            while k + 4 <= window.count, position + Int64(k) + 4 <= end {
                if window.u8(k) == 0xFF, let header = MPEGFrameHeader(window.dropFirst(k)) {
                    let candidate = position + Int64(k)
                    let next = candidate + Int64(header.length)
                    if next + 4 > size { return (candidate, header) }
                    if let second = MPEGFrameHeader(try reader.bytes(at: next, count: 4)),
                        second.isCompatible(with: header)
                    {
                        return (candidate, header)
                    }
                }
                k += 1
            }
            position += Int64(max(1, window.count - 3))
        }
        return nil
    }

    /// The duration from a Xing/Info or VBRI tag in the first frame, `nil` when there is none.
    private static func readTag(
        _ frame: [UInt8],
        header: MPEGFrameHeader,
        at frameOffset: Int64,
        file: RandomAccessFile,
        reader: inout ChunkedReader
    ) throws(AudioProbeError) -> DurationReading? {
        let spf = header.samplesPerFrame
        let rate = Double(header.sampleRate)
        let x = header.xingOffset
        if frame.matches("Xing", at: x) || frame.matches("Info", at: x) {
            guard let flags = frame.be32(x + 4) else { return nil }
            var p = x + 8
            var frames: Int?
            var bytes: Int64?
            if flags & 1 != 0 {
                frames = frame.be32(p).map { Int($0) }
                p += 4
            }
            if flags & 2 != 0 {
                bytes = frame.be32(p).map { Int64($0) }
                p += 4
            }
            if flags & 4 != 0 { p += 100 }
            if flags & 8 != 0 { p += 4 }
            guard let frames, frames > 0 else { return nil }
            // LAME's tag (also written by ffmpeg as "Lavc"/"Lavf"): delay and padding at +21, 12 bits each.
            var delay = assumedDelay
            var padding = 0
            let encoder = frame[min(p, frame.count)..<min(p + 4, frame.count)]
            if encoder.elementsEqual("LAME".utf8) || encoder.elementsEqual("Lavc".utf8)
                || encoder.elementsEqual("Lavf".utf8) || encoder.elementsEqual("L3.9".utf8),
                let d0 = frame.u8(p + 21), let d1 = frame.u8(p + 22), let d2 = frame.u8(p + 23)
            {
                delay = Int(d0) << 4 | Int(d1) >> 4
                padding = Int(d1 & 0x0F) << 8 | Int(d2)
            }
            let samples = max(0, frames * spf - delay - padding)
            // A download cut short keeps its tag, which still claims the whole stream. LAME counts
            // the bytes from this frame to the last, without ID3 tags, so any shortfall is a cut.
            if let bytes, bytes > Int64(header.length), file.size - frameOffset < bytes {
                var scanned = try scan(
                    &reader, from: frameOffset + Int64(header.length), first: header, size: file.size)
                scanned.isEstimate = true
                scanned.damage = .truncated
                return scanned
            }
            return DurationReading(seconds: Double(samples) / rate, method: .mp3Header)
        }
        // Fraunhofer's VBRI tag sits 32 bytes after the header.
        if frame.matches("VBRI", at: 36), let delay = frame.be16(36 + 6), let frames = frame.be32(36 + 14),
            frames > 0
        {
            let samples = max(0, Int(frames) * spf - Int(delay) - 529)
            return DurationReading(seconds: Double(samples) / rate, method: .mp3Header)
        }
        return nil
    }

    /// Counts frames from `start` to the end; notes a cut last frame, junk, and trailing tags.
    private static func scan(
        _ reader: inout ChunkedReader,
        from start: Int64,
        first: MPEGFrameHeader,
        size: Int64
    ) throws(AudioProbeError) -> DurationReading {
        var position = start
        var frames = 0
        var damage: ProbeDamage?
        var estimate = false
        while position < size {
            let bytes = try reader.bytes(at: position, count: 4)
            if let header = MPEGFrameHeader(bytes), header.isCompatible(with: first) {
                let next = position + Int64(header.length)
                if next > size {
                    damage = .truncated
                    estimate = true
                    break
                }
                frames += 1
                position = next
                continue
            }
            // Not a frame: a trailing tag (ID3v1 "TAG", APEv2, Lyrics3) ends the stream cleanly.
            let tag = try reader.bytes(at: position, count: 11)
            if tag.matches("TAG", at: 0) || tag.matches("APETAGEX", at: 0) || tag.matches("LYRICSBEGIN", at: 0) {
                break
            }
            // Otherwise junk: resynchronise on the next frame pair, if there is one.
            if let (next, _) = try findFrame(&reader, from: position + 1, size: size) {
                damage = .corrupt
                estimate = true
                position = next
                continue
            }
            if bytes.count < 4 || tag.count < 4 {
                damage = .truncated
                estimate = true
            } else if damage == nil {
                damage = .trailingBytes
            }
            break
        }
        guard frames > 0 else { throw damage == .truncated ? .truncated : .notFormat }
        let samples = max(0, frames * first.samplesPerFrame - assumedDelay)
        return DurationReading(
            seconds: Double(samples) / Double(first.sampleRate),
            isEstimate: estimate,
            damage: damage,
            method: .mp3FrameScan
        )
    }
}
