import MatchEngine
import Strategies
import Testing

/// Every example of every built-in strategy, run through one parameterised test: a newcomer adds
/// an example to the strategy's description, not a test here.
struct StrategyExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let strategy: String
        let example: StrategyExample
        var testDescription: String { "\(strategy): \(example)" }
    }

    static let cases: [Case] = builtInStrategies.flatMap { type in
        type.description.examples.map { Case(strategy: type.description.identifier, example: $0) }
    }

    @Test("Each example gives its expected level", arguments: cases)
    func example(_ testCase: Case) throws {
        let example = testCase.example
        let configured = try configuredStrategy(testCase.strategy, yaml: example.configuration)
        let context = ScoringContext(
            calibration: example.calibration, allowCrossChat: example.allowCrossChat, population: example.population)
        let found = configured.compare(example.file, example.message, in: context).map {
            configured.levels[$0.level].identifier
        }
        #expect(
            found == example.expectedLevel,
            "\(testCase.strategy) found \(found ?? "no evidence"), expected \(example.expectedLevel ?? "no evidence")",
            sourceLocation: example.sourceLocation
        )
    }

    @Test("Every strategy has examples, and every level is shown by one")
    func coverage() throws {
        for type in builtInStrategies {
            let configured = try configuredStrategy(type.description.identifier, yaml: "")
            let shown = Set(type.description.examples.compactMap(\.expectedLevel))
            let levels = Set(configured.levels.map(\.identifier))
            #expect(shown.isSubset(of: levels), "\(type.description.identifier) examples name unknown levels")
            #expect(
                levels.subtracting(shown).isEmpty,
                "\(type.description.identifier): no example shows \(levels.subtracting(shown).sorted())"
            )
            #expect(type.description.examples.contains { $0.expectedLevel == nil } || type.description.tier == .veto)
        }
    }

    @Test("Anchor levels are identifier levels that add bits, and every identifier strategy has one")
    func anchors() throws {
        for type in builtInStrategies {
            let identifier = type.description.identifier
            let anchors = try configuredStrategy(identifier, yaml: "").levels.filter(\.isAnchor)
            #expect(anchors.isEmpty == (type.description.tier != .identifier), "\(identifier)")
            #expect(anchors.allSatisfy { $0.defaultBits > 0 && $0.effect != .contradict }, "\(identifier)")
        }
    }
}

func configuredStrategy(_ identifier: String, yaml: String) throws -> ConfiguredStrategy {
    let body = yaml.isEmpty ? "    {}" : yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    let profile = try ProfileLoader.profile(yaml: "strategies:\n  \(identifier):\n\(body)\n", fileName: "example.yml")
    return try #require(profile.strategy(identifier))
}

extension StrategyExample {
    var sourceLocation: SourceLocation {
        SourceLocation(fileID: "Strategies/\(filePath)", filePath: "\(filePath)", line: Int(line), column: 1)
    }
}
