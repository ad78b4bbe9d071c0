/// How a pair's score was built: the prior, then each strategy's level and weighted bits.
public struct Waterfall: Sendable, Hashable, Codable {
    /// One strategy's part.
    public struct Line: Sendable, Hashable, Codable {
        public var strategy: String
        /// The level found; `nil` when the strategy had no data.
        public var level: String?
        /// The level's bits in the profile.
        public var bits: Double
        /// The strategy's weight in the profile.
        public var weight: Double
        /// `weight × bits`: what this line adds.
        public var contribution: Double
        public var effect: EvidenceEffect
        public var note: String
    }

    public var prior: Double
    public var lines: [Line]
    /// Prior plus contributions.
    public var total: Double
    /// The score after an identifier's floor or cap; `-infinity` when vetoed.
    public var score: Double
    /// The strategy that vetoed the pair, if one did.
    public var vetoedBy: String?

    public var isVetoed: Bool { vetoedBy != nil }

    enum CodingKeys: String, CodingKey {
        case prior, lines, total, score
        case vetoedBy = "vetoed_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prior.rounded(toPlaces: 3), forKey: .prior)
        try container.encode(lines, forKey: .lines)
        try container.encode(total.rounded(toPlaces: 3), forKey: .total)
        // JSON has no infinity: a vetoed pair has no score.
        try container.encode(score.isFinite ? score.rounded(toPlaces: 3) : nil, forKey: .score)
        try container.encodeIfPresent(vetoedBy, forKey: .vetoedBy)
    }

    public init(prior: Double, lines: [Line], total: Double, score: Double, vetoedBy: String?) {
        self.prior = prior
        self.lines = lines
        self.total = total
        self.score = score
        self.vetoedBy = vetoedBy
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prior = try container.decode(Double.self, forKey: .prior)
        lines = try container.decode([Line].self, forKey: .lines)
        total = try container.decode(Double.self, forKey: .total)
        score = try container.decodeIfPresent(Double.self, forKey: .score) ?? -.infinity
        vetoedBy = try container.decodeIfPresent(String.self, forKey: .vetoedBy)
    }
}

extension Double {
    /// Rounded to `places` decimals, for stable JSON.
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
