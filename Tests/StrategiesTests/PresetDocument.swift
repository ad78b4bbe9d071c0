import Foundation
import MatchEngine
import Strategies
import Yams

/// The parts of `strategies/presets/default.yml` and `docs/profiles.md` that list the strategies,
/// written from the code, so that adding a strategy never means editing them by hand: each sits
/// between a BEGIN and an END line, `make presets` rewrites it, and a test keeps it equal.
enum PresetDocument {
    /// A part of a file that the code writes.
    struct Section: Sendable {
        let path: String
        let begin: String
        let end: String
        let render: @Sendable () throws -> String

        /// `text` with the lines between `begin` and `end` replaced by the rendering, or `nil`
        /// when the markers are missing.
        func rewrite(_ text: String) throws -> String? {
            guard let start = text.range(of: begin + "\n"),
                let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
            else { return nil }
            return String(text[..<start.upperBound]) + (try render()) + String(text[stop.lowerBound...])
        }
    }

    static let sections = [
        Section(
            path: "strategies/presets/default.yml",
            begin: "# BEGIN strategies: written from the code by `make presets`; a test keeps it equal.",
            end: "# END strategies",
            render: { try presetStrategies(Profile.builtInDefault) }
        ),
        Section(
            path: "docs/profiles.md",
            begin: "<!-- BEGIN strategies: written from the code by `make presets`; a test keeps it equal. -->",
            end: "<!-- END strategies -->",
            render: { try profilesTable(Profile.builtInDefault) }
        ),
    ]

    /// The `strategies:` mapping of the default profile: each strategy's weight, settings and level
    /// bits, with what each level means.
    static func presetStrategies(_ profile: Profile) throws -> String {
        var lines = ["strategies:"]
        for strategy in profile.strategies {
            lines.append("  \(strategy.identifier):")
            lines.append("    weight: \(number(strategy.weight))")
            for (key, value) in try settings(of: strategy.configuration) { lines.append("    \(key): \(value)") }
            lines.append("    levels:")
            let entries = strategy.levels.map { "\($0.identifier): \(number($0.bits))" }
            let width = entries.map(\.count).max() ?? 0
            for (entry, level) in zip(entries, strategy.levels) {
                let marks = marks(of: level)
                let padding = String(repeating: " ", count: width - entry.count)
                lines.append(
                    "      \(entry)\(padding)  # " + (marks.isEmpty ? "" : "[\(marks.joined(separator: ", "))] ")
                        + level.summary)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table of strategies in `docs/profiles.md`: identifier, tier, settings and level bits.
    static func profilesTable(_ profile: Profile) throws -> String {
        var lines = [
            "| identifier | tier | settings (default) | levels (default bits) |",
            "| --- | --- | --- | --- |",
        ]
        for strategy in profile.strategies {
            let settings = try settings(of: strategy.configuration).map { "`\($0.key)` (\($0.value))" }
            let levels = strategy.levels.map { level in
                let marks = marks(of: level)
                // A veto's bits are never added.
                let bits = level.effect == .veto ? "" : " " + signed(level.bits)
                return level.identifier + bits + (marks.isEmpty ? "" : " (\(marks.joined(separator: ", ")))")
            }
            let cells = [
                "`\(strategy.identifier)`", strategy.description.tier.rawValue,
                settings.isEmpty ? "none" : settings.joined(separator: ", "), levels.joined(separator: ", "),
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What a level does besides its bits: its effect, and whether it anchors tuning without labels.
    static func marks(of level: ConfiguredStrategy.LevelSetting) -> [String] {
        (level.effect == .none ? [] : [level.effect.rawValue]) + (level.isAnchor ? ["anchor"] : [])
    }

    /// A configuration's settings in declaration order, each value as a profile would spell it.
    static func settings(of configuration: any StrategyConfiguration) throws -> [(key: String, value: String)] {
        guard let mapping = try Yams.compose(yaml: try YAMLEncoder().encode(configuration))?.mapping else { return [] }
        return mapping.map { key, value in
            let text = value.string ?? "\(value)"
            // Yams writes doubles as `5e-2` and `0.0`; a profile reads `0.05` and `0` the same.
            let isNumber = text.contains { ".eE".contains($0) } && Double(text) != nil
            return (key.string ?? "\(key)", isNumber ? number(Double(text)!) : text)
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// As the table has always written them: a true minus sign.
    static func signed(_ value: Double) -> String {
        value < 0 ? "−" + number(-value) : number(value)
    }
}
