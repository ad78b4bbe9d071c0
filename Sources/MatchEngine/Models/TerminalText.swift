/// Text for a terminal or a log line: names come from disk and the database, and a newline, tab
/// or escape sequence in one must neither split a line nor move the cursor. JSON keeps names as
/// they are; text output shows them escaped.
public enum TerminalText {
    /// `text` with every control character (C0, DEL, C1) written as Swift writes it in a literal:
    /// `\n`, `\r`, `\t`, else `\u{1B}`.
    public static func escaped(_ text: some StringProtocol) -> String {
        escaped(String(text))
    }

    /// ``escaped(_:)-(StringProtocol)`` for a `String`, concrete: called across modules, the generic
    /// one ran unspecialised, a dynamic cast per character, a fifth of a scan's text listing.
    public static func escaped(_ text: String) -> String {
        // In UTF-8 every control character has a byte below 0x20, 0x7F, or the lead byte 0xC2 (C1
        // is U+0080–U+009F): text without those, nearly all of it, is returned as it is without
        // decoding a scalar.
        func suspect(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F || byte == 0xC2 }
        let suspicious =
            text.utf8.withContiguousStorageIfAvailable { $0.contains(where: suspect) }
            ?? text.utf8.contains(where: suspect)
        guard suspicious, text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The lines joined with newlines, each escaped: whatever a line holds, it stays one line.
    public static func lines(_ lines: [String]) -> String {
        lines.map { escaped($0) }.joined(separator: "\n")
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
