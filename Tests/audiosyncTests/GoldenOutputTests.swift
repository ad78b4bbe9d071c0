import Foundation
import Testing

/// `sync --json` on a generated store, compared whole with what the binary printed before: a
/// restructuring must not change a decision, a count or a key. Timings and the store's own paths
/// are left out. The expected documents are `Golden/*.json`; after a deliberate change of
/// behaviour, `scripts/write-golden.sh` rewrites them (this test then writes its document and
/// fails, so no run passes by rewriting its own expectations), and the diff is reviewed.
@Suite(.serialized)
struct GoldenOutputTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test("sync --json, a dry run then a real run, is what it was", arguments: [true, false])
    func syncDocument(dryRun: Bool) async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 8, seed: 3)
        if !dryRun {
            // The real run follows a dry run on the same store, as the expected document did.
            _ = try BinaryTests.run(Self.arguments(store, dryRun: true))
        }
        let outcome = try BinaryTests.run(Self.arguments(store, dryRun: dryRun))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let file = Self.folder.appendingPathComponent(dryRun ? "sync-dry-run.json" : "sync.json")
        if ProcessInfo.processInfo.environment["AUDIOSYNC_WRITE_GOLDEN"] == "1" {
            try outcome.stdout.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("wrote \(file.path) (AUDIOSYNC_WRITE_GOLDEN=1); review the diff, then test without it")
            return
        }
        let expected = try Self.comparable(Data(contentsOf: file))
        let actual = try Self.comparable(Data(outcome.stdout.utf8))
        #expect(actual == expected)
    }

    static func arguments(_ store: TestStore, dryRun: Bool) -> [String] {
        ["sync", "--media-root", store.mediaRoot, "--database", store.database, "--json", "--no-probe-cache"]
            + (dryRun ? ["--dry-run"] : [])
    }

    /// The document as sorted, pretty JSON text without `timings` and without the paths of the
    /// store, which live in a temporary folder.
    static func comparable(_ data: Data) throws -> String {
        var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        document["timings"] = nil
        document["media_root"] = nil
        document["database"] = nil
        let text = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: text, as: UTF8.self)
    }
}
