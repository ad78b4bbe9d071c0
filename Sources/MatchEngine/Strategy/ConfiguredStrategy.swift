/// A strategy with its settings and weights from a profile, with its types erased so a list of
/// different strategies can be scored in one loop.
///
/// A class: the scorer's loop takes each strategy of the list for every pair it scores, and a
/// struct of this many references cost a retain and a release of each field every time (9 % of a
/// sync at a million messages in `perf`); an instance costs one.
public final class ConfiguredStrategy: Sendable {
    /// The strategy's description.
    public let description: StrategyDescription
    /// The profile's multiplier for this strategy's bits (1 by default; 0 switches it off).
    public let weight: Double
    /// The strategy's levels in declaration order, with the bits and effect in force.
    public let levels: [LevelSetting]
    /// The strategy's settings, for rendering the profile in force (it is `Encodable`).
    public let configuration: any StrategyConfiguration
    /// Whether the profile pins the bits (`pin: true`): they are used as written, not estimated.
    public let pinned: Bool

    private let rebuild: @Sendable (Double, [String: Double], Bool) throws -> ConfiguredStrategy
    private let compareErased: Comparison
    private let noteErased: @Sendable (Int, Double?) -> String

    /// The bits and effect of one level as a profile sets them.
    public struct LevelSetting: Sendable, Hashable {
        public let identifier: String
        public let bits: Double
        public let defaultBits: Double
        public let effect: EvidenceEffect
        public let summary: String
        /// See ``EvidenceLevel/isAnchor``.
        public let isAnchor: Bool
    }

    /// Configures `strategy` with `configuration`, a weight and per-level bits overrides.
    ///
    /// - Throws: ``ProfileError/unknownLevel`` when `levelBits` names a level the strategy lacks.
    public init<S: Strategy>(
        _ strategy: S.Type,
        configuration: S.Configuration = .init(),
        weight: Double = 1,
        levelBits: [String: Double] = [:],
        pinned: Bool = false
    ) throws {
        let instance = S(configuration: configuration)
        let allLevels = Array(S.Level.allCases)
        for key in levelBits.keys where S.Level(rawValue: key) == nil {
            throw ProfileError.unknownLevel(
                strategy: S.description.identifier,
                level: key,
                valid: allLevels.map(\.rawValue)
            )
        }
        self.description = S.description
        self.weight = weight
        self.pinned = pinned
        self.levels = allLevels.map { level in
            LevelSetting(
                identifier: level.rawValue,
                bits: levelBits[level.rawValue] ?? level.defaultBits,
                defaultBits: level.defaultBits,
                effect: instance.effect(of: level),
                summary: level.summary,
                isAnchor: level.isAnchor
            )
        }
        self.compareErased = { file, message, context in
            instance.compareErased(file, message, in: context, levels: allLevels)
        }
        self.noteErased = { index, measurement in
            instance.note(for: Finding(allLevels[index], measured: measurement))
        }
        self.configuration = configuration
        self.rebuild = { weight, bits, pinned in
            try ConfiguredStrategy(
                S.self, configuration: configuration, weight: weight, levelBits: bits, pinned: pinned)
        }
    }

    /// The same strategy and settings with another weight and level bits (what tuning writes).
    ///
    /// - Parameter levelBits: bits by level identifier; levels not named keep their default bits.
    /// - Throws: ``ProfileError/unknownLevel(strategy:level:valid:)``.
    public func with(weight: Double? = nil, levelBits: [String: Double], pinned: Bool? = nil) throws
        -> ConfiguredStrategy
    {
        try rebuild(weight ?? self.weight, levelBits, pinned ?? self.pinned)
    }

    /// The strategy's identifier.
    public var identifier: String { description.identifier }

    /// A finding with its level as an index into ``levels``.
    public struct ErasedFinding: Sendable, Hashable {
        public var level: Int
        public var measurement: Double?
        public var chance: Double?

        @inlinable
        public init(level: Int, measurement: Double?, chance: Double?) {
            self.level = level
            self.measurement = measurement
            self.chance = chance
        }
    }

    /// Compares a pair: the level's index in ``levels``, the measurement and the finding's own
    /// chance, or `nil` for no evidence.
    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> ErasedFinding? {
        compareErased(file, message, context)
    }

    /// How ``compare(_:_:in:)`` compares, as a function: what the scorer calls for every pair.
    typealias Comparison = @Sendable (AudioFile, AudioMessage, ScoringContext) -> ErasedFinding?

    /// The comparison itself, for a caller that holds it beside the strategy (``Scorer``).
    var comparison: Comparison { compareErased }

    /// The human note for a finding.
    public func note(level: Int, measurement: Double?) -> String {
        noteErased(level, measurement)
    }
}

extension Strategy {
    /// The strategy at its default settings, weight 1 and default bits.
    static func withDefaults() -> ConfiguredStrategy {
        // Cannot throw: no level overrides to check.
        try! ConfiguredStrategy(Self.self)
    }
}
