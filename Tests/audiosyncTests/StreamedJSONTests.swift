import Foundation
import MatchEngine
import Sync
import Testing

/// `sync --json` writes the plan's arrays a block at a time; the document must be the encoder's,
/// byte for byte, whatever the blocks.
struct StreamedJSONTests {
    static func streamed<Root: Encodable>(
        _ value: Root, _ arrays: [ReportJSON.StreamedArray<Root>], blockSize: Int
    ) throws -> String {
        try writes(value, ReportJSON.Streaming(arrays), blockSize: blockSize).document
    }

    static func writes<Root: Encodable>(
        _ value: Root, _ arrays: [ReportJSON.StreamedArray<Root>], blockSize: Int
    ) throws -> (document: String, writes: Int) {
        try writes(value, ReportJSON.Streaming(arrays), blockSize: blockSize)
    }

    /// The document, and how many writes made it (one: the encoder wrote it whole).
    static func writes<Root: Encodable>(
        _ value: Root, _ streaming: ReportJSON.Streaming<Root>, blockSize: Int
    ) throws -> (document: String, writes: Int) {
        var written = Data()
        var writes = 0
        try ReportJSON.writePretty(value, streaming: streaming, blockSize: blockSize) {
            written.append($0)
            writes += 1
        }
        return (String(decoding: written, as: UTF8.self), writes)
    }

    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try ReportJSON.encoder().encode(value), as: UTF8.self)
    }

    struct Item: Encodable, Sendable {
        var name: String
        var values: [Double]
        var nested: [String: [Int]]
    }

    struct Inner: Encodable {
        var before: [Int] = []
        var rows: [Item]
        var after = ["[", "]"]
    }

    struct Root: Encodable {
        var alpha: [Item]
        var emptyBefore: [Item] = []
        var inner: Inner
        var omega: String = "]\n[ \"end\""
    }

    static let awkward: [Item] = (0..<11).map { index in
        Item(
            name: ["plain", "with \"quotes\" and \\", "[brackets] {braces}", "new\nline\ttab\u{1B}", "Ação 😀 /x/"][
                index % 5],
            values: index % 3 == 0 ? [] : [Double(index) / 7, -.infinity, 1e21],
            nested: index % 2 == 0 ? [:] : ["k\(index)": [index, -index], "empty": []])
    }

    @Test("Arrays nested at any depth, empty or not, in blocks of any size, come out as the encoder's")
    func sameAsTheEncoder() throws {
        let root = Root(alpha: Self.awkward, inner: Inner(rows: Array(Self.awkward.reversed())))
        let arrays: [ReportJSON.StreamedArray<Root>] = [.init(\.inner.rows), .init(\.alpha), .init(\.emptyBefore)]
        let expected = try Self.encoded(root)
        for blockSize in [1, 2, 3, 10, 11, 4_096] {
            #expect(try Self.streamed(root, arrays, blockSize: blockSize) == expected, "blocks of \(blockSize)")
        }
        // One element, and none at all.
        var single = root
        single.alpha = [Self.awkward[3]]
        single.inner.rows = []
        #expect(try Self.streamed(single, arrays, blockSize: 1) == Self.encoded(single))
        #expect(try Self.streamed(root, [], blockSize: 1) == expected)
        // Streamed, not left to the encoder: a write per block of each array, and the pieces between.
        #expect(try Self.writes(root, arrays, blockSize: 1).writes > 2 * Self.awkward.count)
    }

    /// An array the document shows twice cannot be spliced in one place: the encoder writes it all.
    struct Twice: Encodable {
        var items: [Item]

        enum CodingKeys: String, CodingKey { case first, second }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .first)
            try container.encode(items, forKey: .second)
        }
    }

    @Test("A document the splice does not reproduce is left to the encoder")
    func fallsBack() throws {
        let twice = Twice(items: Self.awkward)
        let written = try Self.writes(twice, [.init(\.items)], blockSize: 2)
        #expect(written.document == (try Self.encoded(twice)))
        #expect(written.writes == 1)
    }

    @Test("A sync report streamed is the encoder's document")
    func syncReport() async throws {
        let store = try await TestStore(messages: 400, files: 120, chats: 8, seed: 31)
        let report = try await store.syncRunner(dryRun: true).run()
        #expect(!report.plan.links.isEmpty && !report.plan.unmatched.isEmpty)
        let expected = try Self.encoded(report)
        for blockSize in [7, 4_096] {
            let written = try Self.writes(report, SyncReport.jsonStreaming, blockSize: blockSize)
            #expect(written.document == expected)
            #expect(written.writes > 4, "the plan's arrays were spliced, not left to the encoder")
        }
    }
}
