/// What probing one file found: its format by content and its duration, or why there is none.
public struct ProbeResult: Sendable, Hashable {
    /// The format the bytes show.
    public var format: ContainerFormat
    /// The duration in seconds, `nil` when it could not be read (see ``failure``).
    public var duration: Double?
    /// `true` when ``duration`` is a best effort from damaged data (see ``damage``).
    public var durationIsEstimate: Bool
    /// What is wrong with the file, when something is and a duration could still be read.
    public var damage: ProbeDamage?
    /// Why there is no duration.
    public var failure: AudioProbeError?
    /// How the duration was read; `nil` when it was not.
    public var method: ProbeMethod?

    public init(
        format: ContainerFormat,
        duration: Double? = nil,
        durationIsEstimate: Bool = false,
        damage: ProbeDamage? = nil,
        failure: AudioProbeError? = nil,
        method: ProbeMethod? = nil
    ) {
        self.format = format
        self.duration = duration
        self.durationIsEstimate = durationIsEstimate
        self.damage = damage
        self.failure = failure
        self.method = method
    }
}

/// Damage a probe noticed.
public enum ProbeDamage: String, Sendable, Hashable, CaseIterable {
    /// The file ends inside the stream (an interrupted download); the duration counts what is there.
    case truncated
    /// Bytes follow the end of the stream that belong to no frame or page; the duration is exact.
    case trailingBytes = "trailing_bytes"
    /// Bytes inside the stream belong to no frame or page; the duration counts the readable part.
    case corrupt
    /// The last packets carry no timestamp (granule position −1); the duration stops before them.
    case untimedTail = "untimed_tail"
}

/// How a duration was read.
public enum ProbeMethod: String, Sendable, Hashable, CaseIterable {
    /// Ogg pages through libogg, no decoder: the first and last granule positions.
    case oggPages = "ogg_pages"
    /// libopusfile or libvorbisfile, which open a decoder (chained streams, damage).
    case oggReference = "ogg_reference"
    /// The MP3 Xing/Info (with LAME's delay and padding) or VBRI header.
    case mp3Header = "mp3_header"
    /// Counting every MP3 frame.
    case mp3FrameScan = "mp3_frame_scan"
    /// The MP4 `moov` box: the audio track's edit list or `mdhd`.
    case mp4Boxes = "mp4_boxes"
    /// Counting every ADTS frame.
    case adtsFrameScan = "adts_frame_scan"
    /// The WAV `fmt ` and `data` chunks.
    case wavHeader = "wav_header"
}

/// A duration as one reader found it.
struct DurationReading {
    var seconds: Double
    var isEstimate = false
    var damage: ProbeDamage?
    var method: ProbeMethod
}
