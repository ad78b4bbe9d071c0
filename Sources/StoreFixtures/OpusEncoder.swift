internal import CStoreFixtures

/// A libopus encoder (VoIP mode) for making real Opus packets of known duration.
///
/// Not thread-safe: use one per thread. The C encoder is freed when the value goes away.
///
/// ```swift
/// let encoder = try OpusEncoder(sampleRate: 16_000, channels: 1, bitrate: 16_000)
/// let packet = try encoder.encode(pcm, frameSize: 1920)  // 120 ms at 16 kHz
/// ```
public final class OpusEncoder {
    private let encoder: OpaquePointer
    /// The encoder's input rate in Hz.
    public let sampleRate: Int
    /// Interleaved channels per frame (1 or 2).
    public let channels: Int
    /// The encoder's look-ahead in 48 kHz samples: the pre-skip an Ogg Opus file of its packets needs.
    public let preSkip: Int

    /// - Parameters:
    ///   - sampleRate: 8 000, 12 000, 16 000, 24 000 or 48 000.
    ///   - channels: 1 or 2.
    ///   - bitrate: bits per second; 0 keeps libopus's default.
    /// - Throws: ``OpusError/invalidArgument`` for a rate or channel count libopus rejects.
    public init(sampleRate: Int = 16_000, channels: Int = 1, bitrate: Int = 16_000) throws(OpusError) {
        var pointer: OpaquePointer?
        try OpusError.check(
            audiosync_opus_encoder_create(
                Int32(clamping: sampleRate), Int32(clamping: channels), Int32(clamping: bitrate), &pointer)
        )
        guard let pointer else { throw .fault }
        var lookahead: Int32 = 0
        let status = audiosync_opus_encoder_lookahead(pointer, &lookahead)
        if let error = OpusError(status: status) {
            audiosync_opus_encoder_destroy(pointer)
            throw error
        }
        self.encoder = pointer
        self.sampleRate = sampleRate
        self.channels = channels
        self.preSkip = Int(lookahead)
    }

    deinit { audiosync_opus_encoder_destroy(encoder) }

    /// Encodes one frame of interleaved 16-bit PCM into one Opus packet.
    ///
    /// - Parameters:
    ///   - pcm: `frameSize × channels` samples.
    ///   - frameSize: samples per channel: 2.5, 5, 10, 20, 40, 60, 80, 100 or 120 ms at ``sampleRate``.
    public func encode(_ pcm: [Int16], frameSize: Int) throws(OpusError) -> [UInt8] {
        guard frameSize > 0, pcm.count >= frameSize * channels else { throw .invalidArgument }
        let capacity = 4000  // libopus's recommended maximum packet size
        var packetLength: Int32 = 0
        let packet = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            packetLength = pcm.withUnsafeBufferPointer { input in
                audiosync_opus_encode(encoder, input.baseAddress, Int32(frameSize), buffer.baseAddress, Int32(capacity))
            }
            initialized = packetLength > 0 ? Int(packetLength) : 0
        }
        try OpusError.check(packetLength)
        return packet
    }

    /// The duration of an Opus packet in 48 kHz samples (from its TOC byte), as libopusfile counts it.
    public static func samples(inPacket packet: [UInt8]) throws(OpusError) -> Int {
        let status = packet.withUnsafeBufferPointer {
            audiosync_opus_packet_samples($0.baseAddress, Int32(clamping: $0.count))
        }
        return Int(try OpusError.check(status))
    }
}
