import Foundation
import MatchEngine
import Yams

/// Writes a profile as YAML that `--profile` reads back, with a comment on each number saying
/// where it came from.
enum ProfileWriter {
    static func yaml(_ profile: Profile, estimates: [Tuner.LevelEstimate], header: [String]) throws -> String {
        var lines = header.map { "# " + $0 }
        lines.append("")
        lines.append("target_precision: \(profile.targetPrecision)")
        lines.append("review_probability: \(profile.reviewProbability)")
        lines.append("estimation:")
        for line in try YAMLEncoder().encode(profile.estimation).split(separator: "\n") {
            lines.append("  " + line)
        }
        lines.append("identifier_floor: \(number(profile.identifierFloor))")
        lines.append("contradiction_cap: \(number(profile.contradictionCap))")
        lines.append("allow_cross_chat: \(profile.allowCrossChat)")
        lines.append("blocking:")
        lines.append("  max_delay_days: \(number(profile.blocking.maxDelayDays))")
        lines.append("  early_tolerance_seconds: \(profile.blocking.earlyToleranceSeconds)")
        lines.append("calibration:")
        for line in try YAMLEncoder().encode(profile.calibration).split(separator: "\n") {
            lines.append("  " + line)
        }
        lines.append("strategies:")
        for strategy in profile.strategies {
            lines.append("  \(strategy.identifier):")
            lines.append("    weight: \(number(strategy.weight))")
            if strategy.pinned { lines.append("    pin: true") }
            let settings = try YAMLEncoder().encode(strategy.configuration)
            if settings.trimmingCharacters(in: .whitespacesAndNewlines) != "{}" {
                for line in settings.split(separator: "\n") { lines.append("    " + line) }
            }
            lines.append("    levels:")
            for level in strategy.levels {
                let note = estimates.first { $0.strategy == strategy.identifier && $0.level == level.identifier }?.note
                lines.append("      \(level.identifier): \(number(level.bits))" + (note.map { "  # " + $0 } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int64(value)) : String(value.rounded(toPlaces: 2))
    }
}
