#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file read at offsets with `pread(2)`: no shared position, so readers can run on
/// several threads, and nothing is ever read past `size`. It does not own the descriptor.
package struct RandomAccessFile: Sendable {
    package let descriptor: Int32
    package let size: Int64

    package init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }

    /// Up to `count` bytes at `offset`; fewer at the end of the file, none past it.
    package func read(at offset: Int64, count: Int) throws(AudioProbeError) -> [UInt8] {
        guard offset >= 0, count > 0, offset < size else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
            var done = 0
            while done < wanted {
                let got = pread(descriptor, buffer.baseAddress! + done, wanted - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }  // the file shrank under us: return what there is
                done += got
            }
            initialized = done
        }
        if failure != 0 { throw .read(errno: failure) }
        return bytes
    }
}
