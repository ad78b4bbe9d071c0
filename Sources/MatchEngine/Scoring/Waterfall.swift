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
    public let lines: [Line]
    /// Prior plus contributions.
    public let total: Double
    /// The score after an identifier's floor or cap; `-infinity` when vetoed.
    public let score: Double
    /// The strategy that vetoed the pair, if one did.
    public let vetoedBy: String?

    private let reportedPrior: Double
    private let reportedTotal: Double
    /// JSON has no infinity: a vetoed pair has no score.
    @Nullable private var reportedScore: Double?

    public var isVetoed: Bool { vetoedBy != nil }

    enum CodingKeys: String, CodingKey {
        case reportedPrior = "prior"
        case lines
        case reportedTotal = "total"
        case reportedScore = "score"
        case vetoedBy
    }

    public init(prior: Double, lines: [Line], total: Double, score: Double, vetoedBy: String?) {
        self.prior = prior
        self.lines = lines
        self.total = total
        self.score = score
        self.vetoedBy = vetoedBy
        reportedPrior = prior.rounded(toPlaces: 3)
        reportedTotal = total.rounded(toPlaces: 3)
        reportedScore = score.isFinite ? score.rounded(toPlaces: 3) : nil
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
