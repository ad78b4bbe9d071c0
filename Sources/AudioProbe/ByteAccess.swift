/// Bounds-checked reads of big- and little-endian integers at offsets relative to the start:
/// out of range gives `nil`, never a trap, whatever a hostile file claims.
extension RandomAccessCollection where Element == UInt8, Index == Int {
    func u8(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return self[startIndex + offset]
    }

    func be16(_ offset: Int) -> UInt16? { integer(offset, 2, bigEndian: true).map { UInt16($0) } }
    func be32(_ offset: Int) -> UInt32? { integer(offset, 4, bigEndian: true).map { UInt32($0) } }
    func be64(_ offset: Int) -> UInt64? { integer(offset, 8, bigEndian: true) }
    func le16(_ offset: Int) -> UInt16? { integer(offset, 2, bigEndian: false).map { UInt16($0) } }
    func le32(_ offset: Int) -> UInt32? { integer(offset, 4, bigEndian: false).map { UInt32($0) } }

    /// Whether the bytes at `offset` are `ascii`.
    func matches(_ ascii: String, at offset: Int) -> Bool {
        let pattern = Array(ascii.utf8)
        guard offset >= 0, offset + pattern.count <= count else { return false }
        for (k, byte) in pattern.enumerated() where self[startIndex + offset + k] != byte { return false }
        return true
    }

    private func integer(_ offset: Int, _ width: Int, bigEndian: Bool) -> UInt64? {
        guard offset >= 0, width <= 8, offset <= count - width else { return nil }
        var value: UInt64 = 0
        for k in 0..<width {
            let byte = UInt64(self[startIndex + offset + (bigEndian ? k : width - 1 - k)])
            value = value << 8 | byte
        }
        return value
    }
}
