/// One way of comparing a file with a message: the plug-in unit of the engine.
///
/// A strategy looks at one aspect of a candidate pair and says which of its ``Level``s the pair
/// falls in, or `nil` when the data it needs is missing (missing data is never a penalty).
/// How much a level weighs is not the strategy's business: the levels carry default weights in
/// bits, and a profile may override them (that is what tuning writes).
///
/// Adding one: a folder under `strategies/` with `<Name>Strategy.swift` and
/// `<Name>Configuration.swift`, one line in `BuiltInStrategies.swift`, then `make presets` to
/// rewrite the lists written from the code. See `docs/adding-a-strategy.md`.
public protocol Strategy: Sendable {
    /// The strategy's settings, decoded from its section of a profile.
    associatedtype Configuration: StrategyConfiguration
    /// The closed set of outcomes the strategy can report.
    associatedtype Level: EvidenceLevel

    /// Identifier, name, summary, tier and examples.
    static var description: StrategyDescription { get }

    /// The settings this instance runs with.
    var configuration: Configuration { get }

    init(configuration: Configuration)

    /// Compares one file with one message.
    ///
    /// - Returns: the level the pair falls in and the quantity measured (a delay in seconds, a
    ///   size difference, …) for the explanation; `nil` when the data needed is missing.
    ///
    /// Pure: it writes nothing but its own locals (no cache), since ``Scorer`` promises the
    /// compiler that asking every strategy about a pair changes nothing the caller holds.
    func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>?

    /// What a level does beyond its weight (veto, confirm, contradict) under this configuration.
    func effect(of level: Level) -> EvidenceEffect

    /// A short human sentence for the explanation of a finding.
    func note(for finding: Finding<Level>) -> String

    /// ``compare(_:_:in:)`` with the level as its index in `levels` (`Level.allCases` in order):
    /// what the scorer's type-erased loop calls. A strategy never writes it: the default below is
    /// inlinable, so each strategy's module compiles it for its own `Level`. Called through a
    /// closure in generic code instead, every pair paid for looking up `Finding<Level>`'s type at
    /// run time (a quarter of a sync's time at a million messages, in `perf`).
    func compareErased(
        _ file: AudioFile, _ message: AudioMessage, in context: ScoringContext, levels: [Level]
    ) -> ConfiguredStrategy.ErasedFinding?
}

extension Strategy {
    public func effect(of level: Level) -> EvidenceEffect { level.effect }

    @inlinable
    public func compareErased(
        _ file: AudioFile, _ message: AudioMessage, in context: ScoringContext, levels: [Level]
    ) -> ConfiguredStrategy.ErasedFinding? {
        guard let finding = compare(file, message, in: context) else { return nil }
        // Level sets are a handful of cases; a linear search beats hashing the raw value.
        let index = levels.firstIndex(of: finding.level)!
        return ConfiguredStrategy.ErasedFinding(
            level: index, measurement: finding.measurement, chance: finding.chance)
    }

    public func note(for finding: Finding<Level>) -> String {
        guard let measurement = finding.measurement else { return finding.level.summary }
        return "\(finding.level.summary) (\(formatMeasurement(measurement)))"
    }
}

/// What a strategy found for one pair: a level and, optionally, the measured quantity and how
/// common this very finding is.
public struct Finding<Level: EvidenceLevel>: Sendable, Hashable {
    public var level: Level
    public var measurement: Double?
    /// The chance that a message of the file's conversation that is *not* its message would give
    /// this same finding, when the strategy can tell it for this pair (term frequency): a `HASH8`
    /// that three messages of the instance share, a span of time in which a busy chat holds ten
    /// messages. It stands in for the level's u, so the pair's bits are log2(m / chance). `nil`:
    /// the level's u, as estimated for the instance.
    public var chance: Double?

    public init(_ level: Level, measured measurement: Double? = nil, chance: Double? = nil) {
        self.level = level
        self.measurement = measurement
        self.chance = chance
    }
}

/// The outcomes of a strategy: a closed set, each with a default weight and an effect.
///
/// The raw value is the level's key in profiles and reports (`within_10s`).
public protocol EvidenceLevel: RawRepresentable<String>, CaseIterable, Sendable, Hashable {
    /// The default weight in bits: log2(m/u), how much likelier this level is among true pairs
    /// than among random candidate pairs.
    var defaultBits: Double { get }
    /// What the level does beyond its weight; `.none` for most.
    var effect: EvidenceEffect { get }
    /// A few words for reports (`file written 3 s after the message`).
    var summary: String { get }
    /// Whether the level ties a file to one message by an identifier on its own (the same
    /// SHA-256, HASH8 under the instance's derivation, the full id): what tuning without labels
    /// takes as a true pair. Only identifier-tier strategies have anchors; most levels are none.
    var isAnchor: Bool { get }
}

extension EvidenceLevel {
    public var effect: EvidenceEffect { .none }
    public var isAnchor: Bool { false }
}

/// What a level does beyond adding its weight.
public enum EvidenceEffect: String, Sendable, Hashable, Codable {
    /// Only its weight counts.
    case none
    /// The pair is impossible (another client, another chat): it is dropped.
    case veto
    /// A near-certain identifier agrees: the score is raised to at least the identifier floor.
    case confirm
    /// An identifier disagrees, though not surely (a deployment may switch how it names files): its
    /// weight counts, and no other identifier's agreement raises the score to the floor. Identical
    /// bytes under a name token of another message are a forward's, as often as the message's own.
    case doubt
    /// A near-certain identifier disagrees: the score is capped below the review band.
    case contradict
}

/// The three tiers of the design: vetoes end a pair, identifiers are near-certain, fuzzy signals add up.
public enum StrategyTier: String, Sendable, Hashable, Codable {
    case veto
    case identifier
    case fuzzy
}

func formatMeasurement(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value.rounded(toPlaces: 3))
}
