internal import CAudioProbe

/// Page-level edits of Ogg bytes for tests that need damaged files (a granule of −1, a lost page).
package enum OggPageEditor {
    /// The offsets of every page that starts with a capture pattern and whose header fits.
    package static func pageOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var p = 0
        while p + 27 <= bytes.count, bytes.matches("OggS", at: p), let segments = bytes.u8(p + 26) {
            offsets.append(p)
            var body = 0
            for k in 0..<Int(segments) { body += Int(bytes.u8(p + 27 + k) ?? 0) }
            p += 27 + Int(segments) + body
        }
        return offsets
    }

    /// Sets the granule position of the page at `offset` and fixes its CRC.
    package static func setGranule(_ bytes: inout [UInt8], pageAt offset: Int, to granule: Int64) {
        for k in 0..<8 { bytes[offset + 6 + k] = UInt8(truncatingIfNeeded: UInt64(bitPattern: granule) >> (8 * k)) }
        let segments = Int(bytes[offset + 26])
        let headerLength = 27 + segments
        var body = 0
        for k in 0..<segments { body += Int(bytes[offset + 27 + k]) }
        bytes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + offset
            audiosync_ogg_page_set_checksum(base, headerLength, base + headerLength, body)
        }
    }
}
