import MatchEngine
import Testing

/// The `localUrl` a link writes: `{id}` and `{path}` filled in, the path percent-encoded, and
/// every other byte of the template kept as written.
struct URLTemplateTests {
    @Test(
        "{id} and {path} are filled wherever and however often they appear; other braces, accents and case stay",
        arguments: [
            ("/api/audio/hash-mapping/{id}/", Int64(7), "a b/é.ogg", "/api/audio/hash-mapping/7/"),
            ("/m/{path}?id={id}&again={id}", 42, "Zé Q/msg 1.ogg", "/m/Z%C3%A9%20Q/msg%201.ogg?id=42&again=42"),
            ("{{id}}{path", 5, "x", "{5}{path"),
            ("/São/{path}", 1, "a~b_c-d.e/f+g%", "/São/a~b_c-d.e/f%2Bg%25"),
            ("{pa{id}th}", 3, "p", "{pa3th}"),
            ("{ID}{Path}{id", 1, "p", "{ID}{Path}{id"),
            ("", 1, "p", ""),
            ("é{id}é", -2, "", "é-2é"),
        ])
    func fillsPlaceholders(template: String, rowID: Int64, path: String, expected: String) {
        #expect(MatchPlan.url(template, rowID, path: path) == expected)
    }
}
