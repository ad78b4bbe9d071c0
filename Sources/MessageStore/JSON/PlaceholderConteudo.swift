/// A legacy audio row whose `conteudo` is a short caption, not the gateway's JSON: `[Áudio]`,
/// `🎤 Mensagem de voz` (spec §2), or the same caption stored as a JSON string in a `jsonb` column.
///
/// Such a row is still a voice note of its chat, sent by someone, inserted at `data_envio`: the
/// engine can match it by time, chat and download order (it has no id, hash, size or seconds, so
/// only a file that fits it clearly enough is linked). Linking it writes a JSON object in its place
/// that keeps the caption under `legacyText`; the journal keeps the exact old text, so `undo` puts
/// it back byte for byte.
///
/// Only text that cannot be a damaged gateway document counts: valid UTF-8, at most
/// ``maximumBytes`` long, no `{` anywhere (a cut-off JSON object keeps its brace), no control
/// characters. Anything else stays unusable (`non_json`, `not_an_object`) and is never rewritten.
enum PlaceholderConteudo {
    static let maximumBytes = 200

    /// Whether `buffer` is such a caption (plain, or as a JSON string literal).
    static func isPlaceholder(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let trimmed = trimmedRange(buffer)
        guard !trimmed.isEmpty, trimmed.count <= maximumBytes else { return false }
        for index in trimmed {
            let byte = buffer[index]
            if byte == UInt8(ascii: "{") || byte < 0x20 || byte == 0x7F { return false }
        }
        guard String(validating: buffer[trimmed], as: UTF8.self) != nil else { return false }
        // Bare text must not be JSON at all (`42`, `[1, 2]` are data, not a caption); JSON must be one
        // string (what a `jsonb` column holds in its place).
        var cursor = JSONCursor(buffer)
        guard let value = try? cursor.readDocument() else { return buffer[trimmed.lowerBound] != UInt8(ascii: "\"") }
        return value.kind == .string
    }

    /// The object that replaces the caption when the row is linked.
    static func linked(_ buffer: UnsafeBufferPointer<UInt8>, path: String, url: String) -> String {
        let trimmed = trimmedRange(buffer)
        let caption: [UInt8] =
            buffer[trimmed.lowerBound] == UInt8(ascii: "\"")
            ? Array(buffer[trimmed]) : JSONText.encodeString(String(decoding: buffer[trimmed], as: UTF8.self))
        var out = Array(#"{"audioMessage": {"localPath": "#.utf8)
        out += JSONText.encodeString(path)
        out += Array(#", "localUrl": "#.utf8)
        out += JSONText.encodeString(url)
        out += Array(#"}, "legacyText": "#.utf8)
        out += caption
        out += Array("}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    private static func trimmedRange(_ buffer: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        var end = buffer.count
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while start < end, isSpace(buffer[start]) { start += 1 }
        while end > start, isSpace(buffer[end - 1]) { end -= 1 }
        return start..<end
    }
}
