internal import CStoreFixtures

/// Page-level edits of Ogg bytes for tests that need damaged files (a granule of −1, a lost page).
package enum OggPageEditor {
    /// The offsets of every page that starts with a capture pattern and whose header fits.
    package static func pageOffsets(_ bytes: [UInt8]) -> [Int] {
        let capture = Array("OggS".utf8)
        var offsets: [Int] = []
        var p = 0
        // 27 header bytes, the last of them the segment count; then the segment table and the body.
        while p + 27 <= bytes.count, bytes[p..<p + 4].elementsEqual(capture) {
            offsets.append(p)
            let segments = Int(bytes[p + 26])
            let table = bytes[min(bytes.count, p + 27)..<min(bytes.count, p + 27 + segments)]
            p += 27 + segments + table.reduce(0) { $0 + Int($1) }
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
