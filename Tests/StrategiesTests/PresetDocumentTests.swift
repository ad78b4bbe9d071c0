import Foundation
import Testing

/// The lists of strategies in `strategies/presets/default.yml` and `docs/profiles.md` are the code's.
///
/// With `AUDIOSYNC_WRITE_PRESETS=1` (what `make presets` sets) the test writes them instead of
/// checking them: a separate run, never the one that checks.
struct PresetDocumentTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(
        "The files that list every strategy list them as the code defines them",
        arguments: PresetDocument.sections.map(\.path))
    func listsAreTheCode(_ path: String) throws {
        let section = try #require(PresetDocument.sections.first { $0.path == path })
        let url = Self.root.appending(path: path)
        let text = try String(contentsOf: url, encoding: .utf8)
        let written = try #require(
            try section.rewrite(text), "\(path) lacks the lines `\(section.begin)` and `\(section.end)`")
        if ProcessInfo.processInfo.environment["AUDIOSYNC_WRITE_PRESETS"] == "1" {
            try written.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(text == written, "\(path) does not list the strategies as the code does: run `make presets`")
    }
}
