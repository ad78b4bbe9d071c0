import Foundation
import MatchEngine
import Strategies
import Testing

/// `audiosync profile show` prints `builtInProfileText`: it must be `default.yml` to the byte, and
/// decode to the built-in profile.
struct BuiltInProfileTextTests {
    @Test("The embedded profile text is strategies/presets/default.yml (run `make presets` after changing it)")
    func embeddedTextIsTheFile() throws {
        let url = PresetDocumentTests.root.appending(path: "strategies/presets/default.yml")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(builtInProfileText + "\n" == file, "run `make presets`")
    }

    @Test("The embedded profile text reads back as the built-in profile")
    func embeddedTextIsTheDefault() throws {
        let profile = try ProfileLoader.profile(yaml: builtInProfileText, fileName: "built-in")
        #expect(profile.strategies.map(\.identifier) == Profile.builtInDefault.strategies.map(\.identifier))
        #expect(profile.targetPrecision == Profile.builtInDefault.targetPrecision)
    }
}
