/// Sequential reading in bounded chunks, for the frame scans (MP3, ADTS): memory stays at one
/// chunk however long the file is.
struct ChunkedReader {
    private let file: RandomAccessFile
    private var chunk: [UInt8] = []
    private var chunkOffset: Int64 = 0
    private let chunkSize: Int

    init(file: RandomAccessFile, chunkSize: Int = 64 * 1024) {
        self.file = file
        self.chunkSize = chunkSize
    }

    /// `count` bytes at `offset` (at most `chunkSize`), or fewer at the end of the file.
    mutating func bytes(at offset: Int64, count: Int) throws(AudioProbeError) -> ArraySlice<UInt8> {
        precondition(count <= chunkSize)
        let end = offset + Int64(count)
        if offset < chunkOffset || end > chunkOffset + Int64(chunk.count) {
            let available = chunkOffset + Int64(chunk.count)
            // Re-read only when the window does not already hold the range (and could hold more).
            if !(offset >= chunkOffset && available == file.size) {
                chunk = try file.read(at: offset, count: chunkSize)
                chunkOffset = offset
            }
        }
        let start = Int(offset - chunkOffset)
        guard start >= 0, start <= chunk.count else { return [] }
        return chunk[start..<min(chunk.count, start + count)]
    }
}
