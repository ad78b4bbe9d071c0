/// MP4/M4A durations in Swift from the `moov` box: the audio track's edit list when it has one
/// (it hides the AAC encoder's priming samples), else its `mdhd` duration.
///
/// Only box headers are read on the way to `moov`, which may sit after `mdat` (no "faststart");
/// `moov` itself is capped at 16 MiB, far above any voice note's.
enum MP4Reader {
    static let moovLimit: Int64 = 16 * 1024 * 1024

    static func read(_ file: RandomAccessFile) throws(AudioProbeError) -> DurationReading {
        var offset: Int64 = 0
        var moov: [UInt8]?
        var mediaBytes: (declared: Int64, present: Int64)?
        var boxes = 0
        while offset + 8 <= file.size, boxes < 10_000 {
            boxes += 1
            let header = try file.read(at: offset, count: 16)
            guard let size32 = header.be32(0) else { break }
            var size = Int64(size32)
            var headerLength: Int64 = 8
            if size32 == 1 {
                guard let large = header.be64(8), large <= UInt64(Int64.max) else { throw .badHeader }
                size = Int64(large)
                headerLength = 16
            } else if size32 == 0 {
                size = file.size - offset
            }
            guard size >= headerLength else { throw .badHeader }
            let type = header.matches("moov", at: 4) ? "moov" : header.matches("mdat", at: 4) ? "mdat" : ""
            let available = file.size - offset
            if type == "moov" {
                guard size <= moovLimit else { throw .notImplemented }
                guard size <= available else { throw .truncated }
                moov = try file.read(at: offset + headerLength, count: Int(size - headerLength))
            } else if type == "mdat" {
                mediaBytes = (size - headerLength, min(size, available) - headerLength)
            }
            if size > available { break }
            offset += size
        }
        guard let moov else { throw offset == 0 ? .notFormat : .truncated }
        guard var reading = duration(moov: moov) else { throw .badHeader }
        // A cut download keeps its moov (when it comes first) but loses media: scale by what is there.
        if let media = mediaBytes, media.present < media.declared, media.declared > 0 {
            reading.seconds *= Double(max(0, media.present)) / Double(media.declared)
            reading.isEstimate = true
            reading.damage = .truncated
        }
        return reading
    }

    /// Child boxes of a container payload: (type, payload).
    private static func children(_ bytes: ArraySlice<UInt8>) -> [(String, ArraySlice<UInt8>)] {
        var result: [(String, ArraySlice<UInt8>)] = []
        var p = 0
        while p + 8 <= bytes.count, result.count < 4096 {
            guard let size32 = bytes.be32(p) else { break }
            var size = Int(size32)
            var header = 8
            if size32 == 1 {
                guard let large = bytes.be64(p + 8), large <= UInt64(bytes.count) else { break }
                size = Int(large)
                header = 16
            } else if size32 == 0 {
                size = bytes.count - p
            }
            guard size >= header, p + size <= bytes.count else { break }
            let type = String(decoding: bytes[(bytes.startIndex + p + 4)..<(bytes.startIndex + p + 8)], as: UTF8.self)
            result.append((type, bytes[(bytes.startIndex + p + header)..<(bytes.startIndex + p + size)]))
            p += size
        }
        return result
    }

    private static func duration(moov: [UInt8]) -> DurationReading? {
        let top = children(moov[...])
        guard let mvhd = top.first(where: { $0.0 == "mvhd" })?.1, let movie = timing(mvhd) else { return nil }
        for (type, trak) in top where type == "trak" {
            guard let mdia = children(trak).first(where: { $0.0 == "mdia" })?.1 else { continue }
            let parts = children(mdia)
            guard let hdlr = parts.first(where: { $0.0 == "hdlr" })?.1, hdlr.matches("soun", at: 8),
                let mdhd = parts.first(where: { $0.0 == "mdhd" })?.1, let media = timing(mdhd), media.scale > 0
            else { continue }
            if let edts = children(trak).first(where: { $0.0 == "edts" })?.1,
                let elst = children(edts).first(where: { $0.0 == "elst" })?.1,
                let edited = editedDuration(elst), movie.scale > 0
            {
                return DurationReading(seconds: Double(edited) / Double(movie.scale), method: .mp4Boxes)
            }
            return DurationReading(seconds: Double(media.duration) / Double(media.scale), method: .mp4Boxes)
        }
        guard movie.scale > 0 else { return nil }
        return DurationReading(seconds: Double(movie.duration) / Double(movie.scale), method: .mp4Boxes)
    }

    /// Timescale and duration of an `mvhd` or `mdhd` payload (versions 0 and 1).
    private static func timing(_ box: ArraySlice<UInt8>) -> (scale: UInt32, duration: UInt64)? {
        switch box.u8(0) {
        case 0:
            guard let scale = box.be32(12), let duration = box.be32(16) else { return nil }
            return (scale, UInt64(duration))
        case 1:
            guard let scale = box.be32(20), let duration = box.be64(24) else { return nil }
            return (scale, duration)
        default: return nil
        }
    }

    /// The summed duration of the edits that show media (media time ≥ 0), in the movie's timescale.
    private static func editedDuration(_ elst: ArraySlice<UInt8>) -> UInt64? {
        guard let version = elst.u8(0), version <= 1, let count = elst.be32(4) else { return nil }
        let entry = version == 1 ? 20 : 12
        var total: UInt64 = 0
        var found = false
        for k in 0..<Int(min(count, 1024)) {
            let p = 8 + k * entry
            let duration: UInt64?
            let mediaTime: Int64?
            if version == 1 {
                duration = elst.be64(p)
                mediaTime = elst.be64(p + 8).map { Int64(bitPattern: $0) }
            } else {
                duration = elst.be32(p).map { UInt64($0) }
                mediaTime = elst.be32(p + 4).map { Int64(Int32(bitPattern: $0)) }
            }
            guard let duration, let mediaTime else { return nil }
            if mediaTime >= 0 {
                total &+= duration
                found = true
            }
        }
        return found && total > 0 ? total : nil
    }
}
