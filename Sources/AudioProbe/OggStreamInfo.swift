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
