/// Who a strategy is: its key in profiles and reports, its name, what it compares, and examples.
public struct StrategyDescription: Sendable {
    /// snake_case; the strategy's key in profiles and reports (`timestamp_distance`).
    public let identifier: String
    /// A human name (`Timestamp distance`).
    public let name: String
    /// One sentence: what it compares.
    public let summary: String
    /// Veto, identifier or fuzzy.
    public let tier: StrategyTier
    /// Pairs and the level each must give; the test suite runs them for every strategy.
    public let examples: [StrategyExample]
    /// Sections of a profile for the strategy and what each must decode to, or the error it must
    /// give; the test suite runs them for every strategy, with the defaults and an unknown key.
    public let configurationExamples: [ConfigurationExample]
    /// Whether a finding's chance is per message of the file's conversation (a count over its
    /// size), as time's is. The prior already stands one in the conversation's size against each
    /// pair, so such bits grow with the size by as much: they are not held under the bound's
    /// ceiling, which would stop them growing while the prior's doubt does not.
    public let chancePerConversation: Bool

    public init(
        identifier: String,
        name: String,
        summary: String,
        tier: StrategyTier,
        examples: [StrategyExample],
        configurationExamples: [ConfigurationExample],
        chancePerConversation: Bool = false
    ) {
        self.identifier = identifier
        self.name = name
        self.summary = summary
        self.tier = tier
        self.examples = examples
        self.configurationExamples = configurationExamples
        self.chancePerConversation = chancePerConversation
    }
}

/// One worked example of a strategy: a file, a message, the calibration in force, the expected level.
///
/// Records where it was written, so a failing example points at itself (as SwiftLint's `Example`).
public struct StrategyExample: Sendable, CustomStringConvertible {
    public let file: AudioFile
    public let message: AudioMessage
    public let calibration: InstanceCalibration
    /// The strategy's section of a profile, as YAML (`"ninth_digit: false"`); empty for defaults.
    public let configuration: String
    /// The profile's `allow_cross_chat`, which reaches strategies through the ``ScoringContext``.
    public let allowCrossChat: Bool
    /// The instance's messages as a whole, for strategies that need them (term frequency, a
    /// conversation's pace, download order); `nil`: none, as in most examples.
    public let population: Population?
    /// The level's raw value, or `nil` when the strategy must find no evidence.
    public let expectedLevel: String?
    public let filePath: StaticString
    public let line: UInt

    public init(
        _ file: AudioFile,
        _ message: AudioMessage,
        calibration: InstanceCalibration = .example,
        configuration: String = "",
        allowCrossChat: Bool = false,
        population: Population? = nil,
        expect expectedLevel: String?,
        filePath: StaticString = #filePath,
        line: UInt = #line
    ) {
        self.file = file
        self.message = message
        self.calibration = calibration
        self.configuration = configuration
        self.allowCrossChat = allowCrossChat
        self.population = population
        self.expectedLevel = expectedLevel
        self.filePath = filePath
        self.line = line
    }

    public var description: String {
        "\(file.fileName) vs message \(message.rowID) → \(expectedLevel ?? "no evidence") (line \(line))"
    }
}
