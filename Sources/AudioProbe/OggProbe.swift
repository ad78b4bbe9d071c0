internal import CAudioProbe

/// What the Ogg paths learnt about one Ogg Opus or Ogg Vorbis stream.
package struct OggStreamInfo: Sendable, Hashable {
    package enum Codec: Sendable, Hashable { case opus, vorbis }

    package var codec: Codec
    package var channels: Int
    /// Opus: the OpusHead input rate (informational only); Vorbis: the sample rate.
    package var inputRate: Int
    /// 48 000 for Opus; the sample rate for Vorbis.
    package var granuleRate: Int
    package var preSkip: Int
    package var links: Int
    /// The duration in samples at ``granuleRate``, as `op_pcm_total` / `ov_pcm_total` count it.
    package var totalSamples: Int64
    package var seconds: Double
    package var tail: OggTailFacts
}

/// What the fast path saw at the end of the file, even when it declined the stream.
package struct OggTailFacts: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let endOfStream = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_EOS))
    package static let partialPage = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_PARTIAL_PAGE))
    package static let trailingBytes = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_TRAILING_BYTES))
    package static let untimedTail = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_UNTIMED_TAIL))
    package static let chained = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_CHAINED))
    package static let skippedBytes = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_SKIPPED_BYTES))
    package static let headTooShort = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_HEAD_TOO_SHORT))
}

/// The Swift face of the C shim's Ogg paths; the only caller of `audiosync_ogg_*`.
package enum OggProbe {
    /// The fast path: pages only, no decoder.
    ///
    /// - Parameters:
    ///   - head: the file's first bytes.
    ///   - tail: the file's last bytes, which end at the end of the file.
    ///   - tailOffset: where `tail` starts in the file.
    /// - Returns: the stream's facts, and the tail facts seen on the way when the path declined.
    package static func fast(
        head: UnsafeRawBufferPointer,
        tail: UnsafeRawBufferPointer,
        tailOffset: Int64
    ) -> (Result<OggStreamInfo, AudioProbeError>, OggTailFacts) {
        var info = audiosync_ogg_info()
        let status = audiosync_ogg_probe_fast(
            head.baseAddress?.assumingMemoryBound(to: UInt8.self), head.count,
            tail.baseAddress?.assumingMemoryBound(to: UInt8.self), tail.count,
            tailOffset, &info
        )
        return (result(status, info), OggTailFacts(rawValue: info.flags))
    }

    /// The reference path over an open descriptor (read with `pread`, never closed here).
    package static func reference(
        codec: OggStreamInfo.Codec,
        fileDescriptor: Int32,
        size: Int64
    ) -> Result<OggStreamInfo, AudioProbeError> {
        var info = audiosync_ogg_info()
        let status = audiosync_ogg_probe_reference_fd(cCodec(codec), fileDescriptor, size, &info)
        return result(status, info)
    }

    /// The reference path over bytes in memory.
    package static func reference(
        codec: OggStreamInfo.Codec,
        bytes: UnsafeRawBufferPointer
    ) -> Result<OggStreamInfo, AudioProbeError> {
        var info = audiosync_ogg_info()
        let status = audiosync_ogg_probe_reference_memory(
            cCodec(codec), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &info
        )
        return result(status, info)
    }

    private static func cCodec(_ codec: OggStreamInfo.Codec) -> Int32 {
        switch codec {
        case .opus: Int32(AUDIOSYNC_CODEC_OPUS)
        case .vorbis: Int32(AUDIOSYNC_CODEC_VORBIS)
        }
    }

    private static func result(_ status: Int32, _ info: audiosync_ogg_info) -> Result<OggStreamInfo, AudioProbeError> {
        if let error = AudioProbeError(status: status) { return .failure(error) }
        let codec: OggStreamInfo.Codec
        switch Int(info.codec) {
        case Int(AUDIOSYNC_CODEC_OPUS): codec = .opus
        case Int(AUDIOSYNC_CODEC_VORBIS): codec = .vorbis
        default: return .failure(.notFormat)
        }
        return .success(
            OggStreamInfo(
                codec: codec,
                channels: Int(info.channels),
                inputRate: Int(info.input_rate),
                granuleRate: Int(info.granule_rate),
                preSkip: Int(info.pre_skip),
                links: Int(info.links),
                totalSamples: info.total_samples,
                seconds: info.seconds,
                tail: OggTailFacts(rawValue: info.flags)
            )
        )
    }
}
