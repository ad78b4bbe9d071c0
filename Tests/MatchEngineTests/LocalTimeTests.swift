import Testing

@testable import MatchEngine

/// `iso8601` is written digit by digit; it must read as the padded fields always did.
struct LocalTimeTests {
    /// The interpolation `iso8601` replaced, for years of any width.
    static func reference(_ time: LocalTime) -> String {
        let f = time.fields
        return "\(pad(f.year, 4))-\(pad(f.month))-\(pad(f.day))T\(pad(f.hour)):\(pad(f.minute)):\(pad(f.second))"
    }

    @Test(
        "iso8601 pads every field, from year 0 to 9999 and past either end",
        arguments: [
            Int64.zero, 1, 59, 86_399, 951_782_400, 1_754_910_197, 4_102_444_799, -62_167_219_200, -62_167_219_201,
            253_402_300_799, 253_402_300_800, -1,
        ])
    func iso8601(seconds: Int64) {
        let time = LocalTime(secondsSinceEpoch: seconds)
        #expect(time.iso8601 == Self.reference(time))
    }

    @Test("A file name's time reads back in ISO 8601")
    func fromName() throws {
        let time = try #require(LocalTime(compactDate: "20250811", time: "110317"))
        #expect(time.iso8601 == "2025-08-11T11:03:17")
    }
}
