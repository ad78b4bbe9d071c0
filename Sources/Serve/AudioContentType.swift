import AudioProbe

/// The Content-Type of an audio file, from its first bytes (the probe's sniffing), never from its
/// extension: WhatsApp's Ogg Opus saved as `.mp3` is still `audio/ogg; codecs=opus`, which is what
/// lets a browser play it.
enum AudioContentType {
    /// The media type for a sniffed format; `nil` for bytes that are no audio format the probe knows.
    static func mediaType(of format: ContainerFormat) -> String? {
        switch format {
        case .oggOpus: "audio/ogg; codecs=opus"
        case .oggVorbis: "audio/ogg; codecs=vorbis"
        case .oggOther: "audio/ogg"
        case .mp3: "audio/mpeg"
        case .mp4: "audio/mp4"
        case .adts: "audio/aac"
        case .wav: "audio/wav"
        case .unknown: nil
        }
    }

    /// The format and media type of bytes that start a file; `nil` when they are no audio format the
    /// probe knows.
    static func sniff(head: some RandomAccessCollection<UInt8>) -> (format: ContainerFormat, mediaType: String)? {
        let format = ContainerFormat.sniff(head)
        return mediaType(of: format).map { (format, $0) }
    }
}
