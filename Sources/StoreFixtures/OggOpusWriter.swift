internal import CStoreFixtures

/// Muxes Opus packets into a complete Ogg Opus file in memory (RFC 7845).
///
/// OpusHead with the given pre-skip, OpusTags, then audio pages whose granule positions count
/// every 48 kHz sample of the packets completed on them (the stream starts at granule 0), with
/// libogg's CRC. The duration libopusfile reports is exactly ``playableSamples(of:)``.
/// Cheap enough to assemble hundreds of thousands of files from a pool of encoded packets.
///
/// ```swift
/// let writer = OggOpusWriter(preSkip: 312, inputSampleRate: 16_000)
/// let bytes = writer.write(packets)  // no EOS flag, as WhatsApp writes them
/// ```
public struct OggOpusWriter: Sendable {
    /// One Opus packet and its duration in 48 kHz samples.
    public struct Packet: Sendable, Hashable {
        public let bytes: [UInt8]
        public let samples: Int

        /// A packet with its duration read from its TOC byte.
        public init(_ bytes: [UInt8]) throws(OpusError) {
            self.bytes = bytes
            self.samples = try OpusEncoder.samples(inPacket: bytes)
        }
    }

    public var serialNumber: UInt32
    /// Samples at 48 kHz the decoder drops at the start (WhatsApp's notes have 104 or 312).
    public var preSkip: Int
    /// The rate the audio was recorded at (informational in OpusHead).
    public var inputSampleRate: Int
    public var channels: Int
    public var vendor: String
    public var comments: [String]
    /// Whether the last page carries the end-of-stream flag (WhatsApp omits it).
    public var setsEndOfStream: Bool
    /// A page is closed once it holds this many 48 kHz samples (WhatsApp and opusenc: about 1 s).
    public var pageDuration: Int

    public init(
        serialNumber: UInt32 = 0x5741_4E4F,
        preSkip: Int = 312,
        inputSampleRate: Int = 16_000,
        channels: Int = 1,
        vendor: String = "audiosync",
        comments: [String] = [],
        setsEndOfStream: Bool = false,
        pageDuration: Int = 48_000
    ) {
        self.serialNumber = serialNumber
        self.preSkip = preSkip
        self.inputSampleRate = inputSampleRate
        self.channels = channels
        self.vendor = vendor
        self.comments = comments
        self.setsEndOfStream = setsEndOfStream
        self.pageDuration = pageDuration
    }

    /// The samples at 48 kHz that a player plays from `packets`: their sum less the pre-skip.
    public func playableSamples(of packets: some Collection<Packet>) -> Int64 {
        max(0, packets.reduce(Int64(0)) { $0 + Int64($1.samples) } - Int64(preSkip))
    }

    /// The whole file's bytes.
    public func write(_ packets: some Collection<Packet>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            packets.reduce(200 + vendor.utf8.count) { $0 + $1.bytes.count + 2 } + packets.count / 8 * 30)
        var sequence: UInt32 = 0

        var head: [UInt8] = Array("OpusHead".utf8)
        head += [1, UInt8(clamping: channels)]
        head += le(UInt32(clamping: preSkip), 2) + le(UInt32(clamping: inputSampleRate), 4) + [0, 0, 0]
        appendPage(&out, packets: [head[...]], granule: 0, flags: 0x02, sequence: &sequence)

        var tags: [UInt8] = Array("OpusTags".utf8)
        tags += le(UInt32(vendor.utf8.count), 4) + Array(vendor.utf8) + le(UInt32(comments.count), 4)
        for comment in comments { tags += le(UInt32(comment.utf8.count), 4) + Array(comment.utf8) }
        appendPage(&out, packets: [tags[...]], granule: 0, flags: 0, sequence: &sequence)

        var pending: [ArraySlice<UInt8>] = []
        var lacing = 0
        var pageSamples = 0
        var granule: Int64 = 0
        var index = 0
        for packet in packets {
            index += 1
            let segments = packet.bytes.count / 255 + 1
            if !pending.isEmpty && lacing + segments > 255 {
                appendPage(&out, packets: pending, granule: granule, flags: 0, sequence: &sequence)
                pending.removeAll(keepingCapacity: true)
                lacing = 0
                pageSamples = 0
            }
            pending.append(packet.bytes[...])
            lacing += segments
            granule += Int64(packet.samples)
            pageSamples += packet.samples
            let last = index == packets.count
            if pageSamples >= pageDuration || last {
                appendPage(
                    &out, packets: pending, granule: granule, flags: last && setsEndOfStream ? 0x04 : 0,
                    sequence: &sequence)
                pending.removeAll(keepingCapacity: true)
                lacing = 0
                pageSamples = 0
            }
        }
        return out
    }

    /// One page holding whole packets (each at most 255 × 254 bytes, far above any Opus packet).
    private func appendPage(
        _ out: inout [UInt8],
        packets: [ArraySlice<UInt8>],
        granule: Int64,
        flags: UInt8,
        sequence: inout UInt32
    ) {
        let start = out.count
        var segments: [UInt8] = []
        segments.reserveCapacity(packets.count + 2)
        for packet in packets {
            segments += [UInt8](repeating: 255, count: packet.count / 255)
            segments.append(UInt8(packet.count % 255))
        }
        out += Array("OggS".utf8) + [0, flags]
        out += le(UInt64(bitPattern: granule), 8) + le(serialNumber, 4) + le(sequence, 4) + [0, 0, 0, 0]
        out.append(UInt8(segments.count))
        out += segments
        let headerLength = out.count - start
        for packet in packets { out += packet }
        let bodyLength = out.count - start - headerLength
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + start
            audiosync_ogg_page_set_checksum(base, headerLength, base + headerLength, bodyLength)
        }
        sequence += 1
    }

    private func le<T: FixedWidthInteger>(_ value: T, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
