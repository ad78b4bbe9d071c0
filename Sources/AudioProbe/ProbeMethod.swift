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
