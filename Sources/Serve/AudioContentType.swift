import AudioProbe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// Sniffs the file at `absolutePath` (not following a final link: the caller resolved it). `nil`
    /// when it cannot be read or is not audio.
    static func sniff(absolutePath: String) -> (format: ContainerFormat, mediaType: String)? {
        let fd = open(absolutePath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        var got = 0
        while got < head.count {
            let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        let format = ContainerFormat.sniff(head.prefix(got))
        return mediaType(of: format).map { (format, $0) }
    }
}
