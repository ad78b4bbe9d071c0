import Foundation
import Sync
import Testing

@testable import MatchEngine

/// The plan's entries write their own JSON for `sync --json`; it must be the reports' encoder's,
/// byte for byte, whatever the values hold.
struct PrettyJSONTests {
    static func expectSame<Value: Encodable & PrettyJSONWritable>(
        _ value: Value, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let expected = String(decoding: try ReportJSON.encoder().encode(value), as: UTF8.self)
        let written = String(decoding: value.prettyJSON, as: UTF8.self)
        #expect(written == expected, sourceLocation: sourceLocation)
    }

    /// Strings with every character the encoder escapes, and some it does not.
    static let awkwardStrings: [String] =
        [
            "", "plain", "with \"quotes\" and \\ backslash", "a/b/c.ogg", "Ação 😀 \u{2212}6.21 s", "tab\there",
            "{[\"]}", "end\\",
        ] + (0..<32).map { "control \(String(UnicodeScalar(UInt8($0)))) \($0)" }

    /// Doubles the encoder might write in another form: whole, tiny, huge, negative zero,
    /// rounded to three places, and random bit patterns.
    static var awkwardNumbers: [Double] {
        var random = SystemRandomNumberGenerator()
        var numbers: [Double] = [
            0, -0.0, 1, -1, 0.5, 22, -16, 1e-7, 1e-5, 0.0001, 123_456_789.125, 1e15, 1e16, 1e21, 1e22, -1e-300,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1 + 0.2, 109.366, -38.273, 4_294_967_296,
            .infinity, -.infinity,
        ]
        for _ in 0..<2_000 {
            let bits = random.next() as UInt64
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            numbers.append(value)
            numbers.append((Double(random.next() % 2_000_000) / 1_000 - 1_000).rounded(toPlaces: 3))
        }
        return numbers
    }

    static func line(_ index: Int, note: String, number: Double) -> Waterfall.Line {
        Waterfall.Line(
            strategy: ["chat_id", "content_hash", "download_order"][index % 3], level: index % 4 == 0 ? nil : note,
            bits: number, profileBits: index % 5 == 0 ? nil : -number, weight: index % 2 == 0 ? 1 : 0.25,
            contribution: number * 0.25, effect: [.none, .veto, .confirm, .doubt, .contradict][index % 5], note: note)
    }

    @Test("Awkward strings and numbers, nulls, omitted keys and empty arrays come out as the encoder's")
    func awkwardValues() throws {
        let strings = Self.awkwardStrings
        let numbers = Self.awkwardNumbers
        for (index, number) in numbers.enumerated() {
            let note = strings[index % strings.count]
            let lines = (0..<(index % 4)).map {
                Self.line(index + $0, note: strings[(index + $0) % strings.count], number: number)
            }
            let finite = number.isFinite ? number : -7.5
            let waterfall = Waterfall(
                prior: finite, lines: lines, total: finite * 2, score: index % 6 == 0 ? -.infinity : number,
                vetoedBy: index % 6 == 0 ? note : nil)
            try Self.expectSame(waterfall)
            let candidate = MatchPlan.Candidate(
                file: note, messageRowID: Int64(index) - 500, score: number, probability: index % 3 == 0 ? nil : finite,
                waterfall: index % 2 == 0 ? nil : waterfall)
            try Self.expectSame(candidate)
            let link = MatchPlan.Link(
                messageRowID: Int64(index), file: note, duplicates: Array(strings.prefix(index % 3)), score: finite,
                probability: min(1, abs(finite)), margin: index % 2 == 0 ? nil : number,
                runnerUp: index % 3 == 0 ? nil : candidate, tier: "fuzzy", waterfall: index % 5 == 0 ? nil : waterfall)
            try Self.expectSame(link)
            let review = MatchPlan.Review(
                file: note, messageRowID: Int64(index), reason: index % 2 == 0 ? .ambiguous : .belowTarget,
                score: finite, probability: 0.5, margin: index % 2 == 0 ? nil : finite,
                candidates: Array(repeating: candidate, count: index % 3))
            try Self.expectSame(review)
        }
    }

    @Test("A plan of a store with every defect: each link and review is the encoder's")
    func planOfAStoreWithDefects() async throws {
        let store = try await TestStore(messages: 600, files: 200, chats: 8, seed: 43)
        let report = try await store.syncRunner(dryRun: true).run()
        #expect(report.plan.links.count > 50 && !report.plan.reviews.isEmpty)
        #expect(report.plan.links.contains { $0.runnerUp != nil && $0.waterfall != nil })
        for link in report.plan.links { try Self.expectSame(link) }
        for review in report.plan.reviews { try Self.expectSame(review) }
    }
}
