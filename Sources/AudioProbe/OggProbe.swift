internal import CAudioProbe

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
