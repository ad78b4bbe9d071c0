import Foundation
public import MatchEngine

/// Does the decoded duration agree with the message's `seconds`? Gateways truncate it (a 2.46 s
/// note says 2; under a second says 0), some round it.
public struct AudioDurationStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case exact
        case rounded
        case near
        case far
        case estimateShorter = "estimate_shorter"

        public var defaultBits: Double {
            switch self {
            // Voice notes spread over tens of seconds: one whole second matches by chance about
            // one time in twenty-five.
            case .exact: 5
            case .rounded: 3
            case .near: -1.5
            case .far: -8
            case .estimateShorter: 0
            }
        }

        public var summary: String {
            switch self {
            case .exact: "duration truncates to the declared seconds"
            case .rounded: "duration rounds to the declared seconds"
            case .near: "duration within 2 s of the declared seconds"
            case .far: "duration far from the declared seconds"
            case .estimateShorter: "file cut short: its duration is only a lower bound"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "audio_duration",
        name: "Audio duration",
        summary: "Compares the decoded duration with the message's declared whole seconds.",
        tier: .fuzzy,
        examples: [
            StrategyExample(.example(duration: 7.46), .example(seconds: 7), expect: "exact"),
            StrategyExample(.example(duration: 2.46), .example(seconds: 2), expect: "exact"),
            StrategyExample(.example(duration: 0.62), .example(seconds: 0), expect: "exact"),
            // Decoders and gateways disagree by a few milliseconds at the boundary.
            StrategyExample(.example(duration: 6.98), .example(seconds: 7), expect: "exact"),
            StrategyExample(.example(duration: 7.62), .example(seconds: 8), expect: "rounded"),
            StrategyExample(
                .example(duration: 7.62),
                .example(seconds: 8),
                configuration: "accept_rounded: false",
                expect: "near"
            ),
            StrategyExample(.example(duration: 8.9), .example(seconds: 7), expect: "near"),
            StrategyExample(.example(duration: 31.2), .example(seconds: 7), expect: "far"),
            StrategyExample(
                .example(duration: 3.1, problem: .truncated), .example(seconds: 7), expect: "estimate_shorter"),
            StrategyExample(.example(duration: nil), .example(seconds: 7), expect: nil),
            StrategyExample(.example(duration: 7.46), .example(seconds: nil), expect: nil),
        ],
        configurationExamples: [
            .decodes(
                "tolerance_seconds: 0.1\naccept_rounded: false",
                to: AudioDurationConfiguration.with {
                    $0.toleranceSeconds = 0.1
                    $0.acceptRounded = false
                }
            ),
            .rejects("tolerance_seconds: a little", naming: "tolerance_seconds", saying: "expected a number"),
            .rejects("tolerance_seconds: 0.5", naming: "tolerance_seconds", saying: "below 0.5"),
        ]
    )

    public let configuration: AudioDurationConfiguration

    public func note(for finding: Finding<Level>) -> String {
        guard let difference = finding.measurement else { return finding.level.summary }
        let sign = difference < 0 ? "−" : "+"
        return
            "\(finding.level.summary) (decoded \(sign)\(String(format: "%.2f", abs(difference))) s from the declared whole seconds)"
    }

    public init(configuration: AudioDurationConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let duration = file.duration, let seconds = message.declaredSeconds, seconds >= 0 else { return nil }
        let declared = Double(seconds)
        let difference = duration - declared
        if file.durationIsEstimate && duration < declared {
            return Finding(.estimateShorter, measured: difference)
        }
        let tolerance = configuration.toleranceSeconds
        if duration + tolerance >= declared && duration - tolerance < declared + 1 {
            return Finding(.exact, measured: difference, chance: chance(of: seconds, context))
        }
        if configuration.acceptRounded && (duration + 0.5).rounded(.down) == declared {
            return Finding(.rounded, measured: difference, chance: chance(of: seconds, context))
        }
        if abs(difference) < 2 { return Finding(.near, measured: difference) }
        return Finding(.far, measured: difference)
    }

    /// How likely a message that is not the file's declares the same whole seconds: the others of
    /// the instance that do (short notes are common, a 47-second one is not), half a message at
    /// the least.
    private func chance(of seconds: Int, _ context: ScoringContext) -> Double? {
        guard let population = context.population, population.messageCount > 0 else { return nil }
        let others = max(0.5, Double(population.messagesDeclaring(seconds: seconds) - 1))
        return min(1, others / Double(population.messageCount))
    }
}
