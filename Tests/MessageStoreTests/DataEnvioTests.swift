import Testing

@testable import MessageStore

@Suite struct DataEnvioTests {
    @Test(arguments: [
        ("2025-08-11 14:03:17", Int64(1_754_920_997)),
        ("2025-08-11 14:03:17.123456", 1_754_920_997),
        ("2025-08-11T14:03:17", 1_754_920_997),
        ("2025-08-11T14:03:17Z", 1_754_920_997),
        ("2025-08-11 14:03:17+00:00", 1_754_920_997),
        ("2025-08-11 11:03:17-03:00", 1_754_920_997),
        ("2025-08-11 11:03:17.5-0300", 1_754_920_997),
        ("2025-08-11 17:03:17+03", 1_754_920_997),
        ("1970-01-01 00:00:00", 0),
    ])
    func reads(text: String, unix: Int64) {
        #expect(DataEnvio.unixSeconds(text) == unix)
    }

    @Test(arguments: [
        "", "2025-08-11", "2025-08-11 14:03", "2025-13-11 14:03:17", "2025-02-30 14:03:17", "2025-08-11 24:00:00",
        "2025-08-11 14:03:17.", "2025-08-11 14:03:17 ", "2025/08/11 14:03:17", "yesterday", "2025-08-11 14:03:17+5",
    ])
    func refuses(text: String) {
        #expect(DataEnvio.unixSeconds(text) == nil)
    }

    @Test func writesTheDjangoForm() {
        #expect(DataEnvio.text(unixSeconds: 1_754_920_997) == "2025-08-11 14:03:17")
        #expect(DataEnvio.text(unixSeconds: 1_754_920_997, microseconds: 42) == "2025-08-11 14:03:17.000042")
    }
}
