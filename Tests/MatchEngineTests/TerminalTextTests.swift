import MatchEngine
import Testing

/// Text output escapes every control character a name may hold, and nothing else.
struct TerminalTextTests {
    @Test(
        "C0, DEL and C1 are escaped; other text, accents and U+00A0-U+00FF (the same lead byte as C1) is not",
        arguments: [
            ("plain/msg_81585468_20250811_110317.ogg", "plain/msg_81585468_20250811_110317.ogg"),
            ("a\nb\tc\rd", #"a\nb\tc\rd"#),
            ("esc\u{1B}[2J", #"esc\u{1B}[2J"#),
            ("del\u{7F}", #"del\u{7F}"#),
            ("next line\u{85} csi\u{9B}", #"next line\u{85} csi\u{9B}"#),
            ("¡São João! ½ ÿ \u{A0}", "¡São João! ½ ÿ \u{A0}"),
            ("", ""),
        ])
    func escapes(text: String, expected: String) {
        #expect(TerminalText.escaped(text) == expected)
        #expect(TerminalText.escaped(text[...]) == expected)
    }
}
