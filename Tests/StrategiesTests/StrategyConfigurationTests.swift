import MatchEngine
import Strategies
import Testing

/// Every configuration example of every built-in strategy, with the defaults and an unknown key
/// for each, run through one parameterised test: a newcomer adds examples to the strategy's
/// description, not a test here.
struct StrategyConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let strategy: String
        let example: ConfigurationExample
        var testDescription: String { "\(strategy): \(example)" }
    }

    /// What every strategy must do whatever its settings: an empty section is the defaults, and a
    /// key it does not know is an error naming it.
    static func commonExamples(_ type: any Strategy.Type) -> [ConfigurationExample] {
        [
            .decodes("", to: defaults(of: type)),
            .rejects("tolerence_secs: 3", naming: "tolerence_secs", saying: "unknown key"),
        ]
    }

    static func defaults<S: Strategy>(of _: S.Type) -> S.Configuration { S.Configuration() }

    static let cases: [Case] = builtInStrategies.flatMap { type in
        (commonExamples(type) + type.description.configurationExamples).map {
            Case(strategy: type.description.identifier, example: $0)
        }
    }

    @Test("Each configuration example decodes to its value or gives its error", arguments: cases)
    func example(_ testCase: Case) throws {
        let example = testCase.example
        let location = example.sourceLocation
        switch example.expectation {
        case .decodes:
            let strategy = try configuredStrategy(testCase.strategy, yaml: example.yaml)
            #expect(
                example.accepts(strategy.configuration), "decoded \(strategy.configuration)", sourceLocation: location)
        case .rejects(let key, let reason):
            let error = try #require(throws: ProfileError.self, sourceLocation: location) {
                try configuredStrategy(testCase.strategy, yaml: example.yaml)
            }
            #expect(
                error.description.hasPrefix("example.yml: strategies.\(testCase.strategy).\(key): "), "\(error)",
                sourceLocation: location)
            #expect(error.description.contains(reason), "\(error)", sourceLocation: location)
        }
    }

    @Test(
        "Every strategy's examples set each of its settings to a value other than the default, and give a wrong type",
        arguments: builtInStrategies.map { $0.description.identifier })
    func coverage(_ identifier: String) throws {
        let type = try #require(builtInStrategies.first { $0.description.identifier == identifier })
        let examples = type.description.configurationExamples
        let defaults = Self.defaults(of: type)
        let keys = try Self.keys(of: defaults)
        let custom = examples.filter(\.isDecoding)
        for key in keys {
            #expect(
                custom.contains { $0.yaml.split(separator: "\n").contains { $0.hasPrefix("\(key):") } },
                "no example sets \(identifier).\(key)")
        }
        #expect(custom.allSatisfy { !$0.accepts(defaults) }, "an example decodes to the defaults: it shows nothing")
        // The loader words a type mismatch `expected a number`, `expected true or false`, …
        let wrongTypes = examples.filter { !$0.isDecoding && $0.reason.hasPrefix("expected ") }
        #expect(keys.isEmpty || !wrongTypes.isEmpty, "no example gives \(identifier) a value of the wrong type")
    }

    @Test(
        "An empty section is weight 1 and every level at its default bits; level overrides change the bits; an unknown level is an error",
        arguments: builtInStrategies.map { $0.description.identifier })
    func levels(_ identifier: String) throws {
        let defaults = try configuredStrategy(identifier, yaml: "")
        let builtIn = try #require(Profile.builtInDefault.strategy(identifier))
        #expect(defaults.weight == 1)
        #expect(defaults.levels == builtIn.levels)
        #expect(defaults.levels.allSatisfy { $0.bits == $0.defaultBits })
        #expect(try configuredStrategy(identifier, yaml: "weight: 0.5").weight == 0.5)
        let first = defaults.levels[0].identifier
        let changed = try configuredStrategy(identifier, yaml: "levels: {\(first): 1.25}")
        #expect(changed.levels[0].bits == 1.25)
        #expect(changed.levels.dropFirst() == defaults.levels.dropFirst())
        let error = try #require(throws: ProfileError.self) {
            try configuredStrategy(identifier, yaml: "levels: {no_such_level: 1}")
        }
        #expect(error.description.contains("no_such_level"), "\(error)")
    }

    /// The keys a configuration writes: every setting it has.
    static func keys(of configuration: any StrategyConfiguration) throws -> [String] {
        try PresetDocument.settings(of: configuration).map(\.key)
    }
}

extension ConfigurationExample {
    var isDecoding: Bool {
        if case .decodes = expectation { return true }
        return false
    }

    var reason: String {
        if case .rejects(_, let reason) = expectation { return reason }
        return ""
    }

    var sourceLocation: SourceLocation {
        SourceLocation(fileID: "Strategies/\(filePath)", filePath: "\(filePath)", line: Int(line), column: 1)
    }
}
