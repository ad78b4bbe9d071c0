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
