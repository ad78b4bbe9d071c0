import Foundation
import MatchEngine
import Strategies
import Testing

struct ProfileTests {
    static let presetsFolder = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "strategies/presets")

    static func loadPreset(_ name: String) throws -> Profile {
        let url = presetsFolder.appending(path: name)
        let text = try String(contentsOf: url, encoding: .utf8)
        return try ProfileLoader.profile(yaml: text, fileName: name)
    }

    @Test("presets/default.yml says exactly what the code's defaults are")
    func defaultPresetIsTheDefault() throws {
        let preset = try Self.loadPreset("default.yml")
        let code = Profile.builtInDefault
        #expect(preset.targetPrecision == code.targetPrecision)
        #expect(preset.reviewProbability == code.reviewProbability)
        #expect(preset.estimation == code.estimation)
        #expect(preset.identifierFloor == code.identifierFloor)
        #expect(preset.contradictionCap == code.contradictionCap)
        #expect(preset.allowCrossChat == code.allowCrossChat)
        #expect(preset.blocking == code.blocking)
        #expect(preset.calibration == code.calibration)
        #expect(preset.strategies.map(\.identifier) == code.strategies.map(\.identifier))
        for (fromFile, fromCode) in zip(preset.strategies, code.strategies) {
            #expect(fromFile.weight == fromCode.weight, "\(fromFile.identifier)")
            #expect(fromFile.levels == fromCode.levels, "\(fromFile.identifier) levels")
            #expect(fromFile.pinned == fromCode.pinned, "\(fromFile.identifier) pin")
            #expect(
                String(describing: fromFile.configuration) == String(describing: fromCode.configuration),
                "\(fromFile.identifier) settings"
            )
            // Every level and every setting is spelled out, so the file documents them all.
        }
    }

    @Test("Every preset loads")
    func presetsLoad() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.presetsFolder.path).filter {
            $0.hasSuffix(".yml")
        }
        #expect(!names.isEmpty)
        for name in names { _ = try Self.loadPreset(name) }
    }

    @Test(
        "Errors name the file and the key",
        arguments: [
            ("flor: 8", "profile.yml: flor: unknown key"),
            ("target_precision: high", "profile.yml: target_precision: expected a number"),
            ("target_precision: 1.2", "profile.yml: target_precision must be between 0.5 and 1"),
            ("floor: 8", "profile.yml: floor: `floor` is no longer set"),
            ("estimation:\n  orphan_share: lots", "profile.yml: estimation.orphan_share: expected auto or a share"),
            ("estimation:\n  strenght: 3", "profile.yml: estimation.strenght: unknown key"),
            ("strategies:\n  chat_idd: {}", "profile.yml: strategies.chat_idd: unknown strategy"),
            ("blocking:\n  max_delay: 3", "profile.yml: blocking.max_delay: unknown key"),
            (
                "calibration:\n  clock_offset: yesterday",
                "profile.yml: calibration.clock_offset: expected auto or an offset"
            ),
            ("calibration:\n  hash_derivation: crc32", "profile.yml: calibration.hash_derivation: unknown derivation"),
            ("strategies:\n  file_size:\n    weight: -1", "profile.yml: strategies.file_size.weight: weight must be"),
            ("target_precision: [1", "profile.yml: not valid YAML"),
        ]
    )
    func errors(yaml: String, expected: String) {
        #expect {
            try ProfileLoader.profile(yaml: yaml, fileName: "profile.yml")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test("A profile may pin the calibration and switch a strategy off")
    func pinsAndSwitches() throws {
        let profile = try ProfileLoader.profile(
            yaml: """
                calibration:
                  hash_derivation: [md5, id_prefix]
                  clock_offset: "-04:00"
                estimation:
                  orphan_share: 0.05
                strategies:
                  file_size: {enabled: false}
                  audio_duration: {weight: 2, pin: true}
                """,
            fileName: "p.yml"
        )
        #expect(profile.calibration.hashDerivations == [.md5, .idPrefix])
        #expect(profile.calibration.clockOffset == -4 * 3600)
        #expect(profile.strategy("file_size") == nil)
        #expect(profile.strategy("audio_duration")?.weight == 2)
        #expect(profile.strategy("audio_duration")?.pinned == true)
        #expect(profile.strategy("chat_id")?.pinned == false)
        #expect(profile.estimation.orphanShare == 0.05)
        #expect(profile.strategies.count == builtInStrategies.count - 1)
    }

    @Test("An empty profile is the defaults")
    func emptyIsDefault() throws {
        let profile = try ProfileLoader.profile(yaml: "# nothing\n", fileName: "empty.yml")
        #expect(profile.targetPrecision == Profile.builtInDefault.targetPrecision)
        #expect(profile.strategies.count == builtInStrategies.count)
    }
}
