/// How a pair's score was built: the prior, then each strategy's level and weighted bits.
///
/// `prior`, `total` and `score` are exact: the text rounds them to one decimal itself. The JSON
/// carries them as the schema says, to 3 decimals and with no score for a vetoed pair; those
/// figures are stored beside the exact ones when the waterfall is made.
public struct Waterfall: Sendable, Hashable, Encodable {
    /// One strategy's part.
    public struct Line: Sendable, Hashable, Codable {
        public var strategy: String
        /// The level found; `nil` (`null` in the JSON) when the strategy had no data.
        @Nullable public var level: String?
        /// The level's bits in force for the instance: estimated from its pairs (or the finding's
        /// own chance), or the profile's when pinned.
        public var bits: Double
        /// The profile's bits for the level, beside the estimate; `nil` when no level was found.
        @Nullable public var profileBits: Double?
        /// The strategy's weight in the profile.
        public var weight: Double
        /// `weight × bits`: what this line adds.
        public var contribution: Double
        public var effect: EvidenceEffect
        public var note: String

        enum CodingKeys: String, CodingKey {
            case strategy, level, bits
            case profileBits = "profile_bits"
            case weight, contribution, effect, note
        }
    }

    public let prior: Double
    /// The strategies' lines, in the profile's order.
    public var lines: [Line] {
        switch storage {
        case .lines(let lines): lines
        case .findings(let legend, let findings): findings.map(legend.line)
        }
    }
    /// Prior plus contributions.
    public let total: Double
    /// The score after an identifier's floor or cap; `-infinity` when vetoed.
    public let score: Double
    /// The strategy that vetoed the pair, if one did.
    public let vetoedBy: String?

    private let storage: Storage
    private let reportedPrior: Double
    private let reportedTotal: Double
    /// JSON has no infinity: a vetoed pair has no score.
    @Nullable private var reportedScore: Double?

    /// How the lines are kept. A plan whose JSON is asked for keeps a waterfall for every link and
    /// its runner-up until the document is written: 600,000 of them at a million rows. As
    /// ``Line``s, each was an array of eight 96-byte lines and three or four notes of a hundred
    /// bytes, built by interpolation, each with room to spare; as findings, eight lines of 48
    /// bytes and a reference to what the run scored with, and the notes are written when read.
    private enum Storage: Sendable {
        case lines([Line])
        case findings(WaterfallLegend, [WaterfallLegend.Finding])
    }

    public var isVetoed: Bool { vetoedBy != nil }

    enum CodingKeys: String, CodingKey {
        case reportedPrior = "prior"
        case lines
        case reportedTotal = "total"
        case reportedScore = "score"
        case vetoedBy
    }

    public init(prior: Double, lines: [Line], total: Double, score: Double, vetoedBy: String?) {
        self.init(prior: prior, storage: .lines(lines), total: total, score: score, vetoedBy: vetoedBy)
    }

    /// A waterfall kept as its findings, its lines made from `legend` when read.
    init(
        prior: Double, legend: WaterfallLegend, findings: [WaterfallLegend.Finding], total: Double, score: Double,
        vetoedBy: String?
    ) {
        self.init(prior: prior, storage: .findings(legend, findings), total: total, score: score, vetoedBy: vetoedBy)
    }

    private init(prior: Double, storage: Storage, total: Double, score: Double, vetoedBy: String?) {
        self.prior = prior
        self.storage = storage
        self.total = total
        self.score = score
        self.vetoedBy = vetoedBy
        reportedPrior = prior.rounded(toPlaces: 3)
        reportedTotal = total.rounded(toPlaces: 3)
        reportedScore = score.isFinite ? score.rounded(toPlaces: 3) : nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reportedPrior, forKey: .reportedPrior)
        try container.encode(lines, forKey: .lines)
        try container.encode(reportedTotal, forKey: .reportedTotal)
        try container.encode(_reportedScore, forKey: .reportedScore)
        try container.encodeIfPresent(vetoedBy, forKey: .vetoedBy)
    }

    /// Two waterfalls are equal when they show the same, however they keep their lines.
    public static func == (left: Waterfall, right: Waterfall) -> Bool {
        left.prior == right.prior && left.total == right.total && left.score == right.score
            && left.vetoedBy == right.vetoedBy && left.lines == right.lines
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(prior)
        hasher.combine(total)
        hasher.combine(score)
        hasher.combine(vetoedBy)
        hasher.combine(lines)
    }
}

/// What a run's waterfalls share: the strategies that found their findings and the profile's bits
/// beside each level. A waterfall kept as findings (``Waterfall``) refers to one of these, and
/// makes its lines from it when they are read.
final class WaterfallLegend: Sendable {
    let strategies: [ConfiguredStrategy]
    /// Per strategy and level, the profile's bits.
    let profileBits: [[Double]]

    init(strategies: [ConfiguredStrategy], profileBits: [[Double]]) {
        self.strategies = strategies
        self.profileBits = profileBits
    }

    /// One strategy's part of a waterfall, as found: the line without its words.
    struct Finding: Sendable {
        /// `weight × bits`, and the bits, each rounded as the line shows them.
        var contribution: Double
        var bits: Double
        var measurement: Double?
        var chance: Double?
        /// The strategy's place in ``WaterfallLegend/strategies``.
        var strategy: UInt8
        /// The level's place in the strategy's levels; -1: no finding.
        var level: Int8
        /// With no finding: whether the strategy was not asked, a strategy before it having vetoed
        /// the pair (else it had no data).
        var notAsked: Bool
    }

    /// The line a finding shows.
    func line(_ finding: Finding) -> Waterfall.Line {
        let index = Int(finding.strategy)
        let strategy = strategies[index]
        guard finding.level >= 0 else {
            return Waterfall.Line(
                strategy: strategy.identifier, level: nil, bits: 0, profileBits: nil, weight: strategy.weight,
                contribution: 0, effect: .none,
                note: finding.notAsked ? "not asked (vetoed)" : "no evidence (data missing)")
        }
        let level = Int(finding.level)
        var note = strategy.note(level: level, measurement: finding.measurement)
        if let chance = finding.chance { note += "; by chance 1 in \(formatOdds(1 / chance))" }
        return Waterfall.Line(
            strategy: strategy.identifier,
            level: strategy.levels[level].identifier,
            bits: finding.bits,
            profileBits: profileBits[index][level],
            weight: strategy.weight,
            contribution: finding.contribution,
            effect: strategy.levels[level].effect,
            note: note
        )
    }
}

extension Waterfall: PrettyJSONWritable {
    public func writePrettyJSON(to writer: inout PrettyJSONWriter) {
        writer.object { writer in
            writer.key("lines")
            writer.array(lines) { line, writer in writer.value(line) }
            writer.key("prior")
            writer.number(reportedPrior)
            writer.key("score")
            if let reportedScore { writer.number(reportedScore) } else { writer.null() }
            writer.key("total")
            writer.number(reportedTotal)
            if let vetoedBy {
                writer.key("vetoed_by")
                writer.string(vetoedBy)
            }
        }
    }
}

extension Waterfall.Line: PrettyJSONWritable {
    public func writePrettyJSON(to writer: inout PrettyJSONWriter) {
        writer.object { writer in
            writer.key("bits")
            writer.number(bits)
            writer.key("contribution")
            writer.number(contribution)
            writer.key("effect")
            writer.string(effect.rawValue)
            writer.key("level")
            if let level { writer.string(level) } else { writer.null() }
            writer.key("note")
            writer.string(note)
            writer.key("profile_bits")
            if let profileBits { writer.number(profileBits) } else { writer.null() }
            writer.key("strategy")
            writer.string(strategy)
            writer.key("weight")
            writer.number(weight)
        }
    }
}
