/// A container format as the first bytes show it, whatever the extension says.
public enum ContainerFormat: String, Sendable, Hashable, CaseIterable {
    case oggOpus = "ogg_opus"
    case oggVorbis = "ogg_vorbis"
    /// An Ogg stream of another codec (Speex, FLAC, …): no duration reader.
    case oggOther = "ogg_other"
    case mp3
    case mp4
    /// Raw AAC in ADTS frames (`.aac`).
    case adts
    case wav
    case unknown

    /// Sniffs the format from a file's first bytes (at least the first Ogg page, 64 bytes otherwise).
    ///
    /// `OggS` with an `OpusHead` or `\u{1}vorbis` first packet, `ID3` or an MPEG audio frame
    /// header, `ftyp` at offset 4, an ADTS header, `RIFF…WAVE`.
    public static func sniff(_ head: some RandomAccessCollection<UInt8>) -> ContainerFormat {
        let bytes = Array(head.prefix(512))
        if bytes.matches("OggS", at: 0) {
            // The first packet starts after the 27-byte page header and its segment table.
            guard let segments = bytes.u8(26) else { return .oggOther }
            let packet = 27 + Int(segments)
            if bytes.matches("OpusHead", at: packet) { return .oggOpus }
            if bytes.u8(packet) == 1, bytes.matches("vorbis", at: packet + 1) { return .oggVorbis }
            return .oggOther
        }
        if bytes.matches("ID3", at: 0) { return .mp3 }
        if bytes.matches("ftyp", at: 4) { return .mp4 }
        if bytes.matches("RIFF", at: 0), bytes.matches("WAVE", at: 8) { return .wav }
        if ADTSHeader(bytes) != nil { return .adts }
        if MPEGFrameHeader(bytes) != nil { return .mp3 }
        return .unknown
    }
}
