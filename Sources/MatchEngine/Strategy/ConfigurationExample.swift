/// One worked example of a strategy's settings: its section of a profile, as YAML, and the
/// configuration it must decode to, or the key and the words its error must name.
///
/// Records where it was written, so a failing example points at itself (as ``StrategyExample``).
///
/// ```swift
/// .decodes("tolerance_seconds: 5", to: TimestampDistanceConfiguration.with { $0.toleranceSeconds = 5 }),
/// .rejects("tolerance_seconds: soon", naming: "tolerance_seconds", saying: "expected a whole number"),
/// ```
public struct ConfigurationExample: Sendable, CustomStringConvertible {
    /// What the section must give.
    public enum Expectation: Sendable {
        /// This configuration.
        case decodes(any StrategyConfiguration)
        /// An error naming `key` (as `strategies.<identifier>.<key>`) and saying `reason`.
        case rejects(key: String, reason: String)
    }

    /// The strategy's section of a profile; empty for the defaults.
    public let yaml: String
    public let expectation: Expectation
    public let filePath: StaticString
    public let line: UInt

    public init(_ yaml: String, _ expectation: Expectation, filePath: StaticString = #filePath, line: UInt = #line) {
        self.yaml = yaml
        self.expectation = expectation
        self.filePath = filePath
        self.line = line
    }

    /// `yaml` must decode to `value`.
    public static func decodes(
        _ yaml: String, to value: some StrategyConfiguration, filePath: StaticString = #filePath, line: UInt = #line
    ) -> ConfigurationExample {
        ConfigurationExample(yaml, .decodes(value), filePath: filePath, line: line)
    }

    /// `yaml` must be refused with an error naming `key` and saying `reason` (`expected a number`).
    public static func rejects(
        _ yaml: String, naming key: String, saying reason: String, filePath: StaticString = #filePath,
        line: UInt = #line
    ) -> ConfigurationExample {
        ConfigurationExample(yaml, .rejects(key: key, reason: reason), filePath: filePath, line: line)
    }

    /// Whether `configuration` is the one this example expects (`false` for a rejecting example).
    public func accepts(_ configuration: any StrategyConfiguration) -> Bool {
        guard case .decodes(let expected) = expectation else { return false }
        return expected.isEqual(to: configuration)
    }

    public var description: String {
        let section = yaml.isEmpty ? "(empty)" : "`\(yaml.split(separator: "\n").joined(separator: "; "))`"
        switch expectation {
        case .decodes: return "\(section) decodes (line \(line))"
        case .rejects(let key, _): return "\(section) is refused at \(key) (line \(line))"
        }
    }
}

extension StrategyConfiguration {
    /// The defaults with `change` applied: how examples spell a custom configuration.
    public static func with(_ change: (inout Self) -> Void) -> Self {
        var value = Self()
        change(&value)
        return value
    }

    /// Whether `other` is a configuration of this type with these values.
    func isEqual(to other: any StrategyConfiguration) -> Bool {
        (other as? Self) == self
    }
}
