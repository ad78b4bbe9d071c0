/// The weights one instance is scored with: for every strategy level its m (the share of true
/// pairs that show it), its u (the share of unrelated pairs that do) and the bits log2(m/u) that
/// follow, the profile's bits beside them, and the share of files that are no message's.
///
/// Estimated from the instance's own pairs (``WeightEstimator``), or the profile's as written when
/// estimation is off or pinned. Every score and every waterfall line is computed here, by the
/// same functions.
public struct EvidenceWeights: Sendable, Hashable {
    /// Per strategy (in the profile's order), per level: the bits in force.
    public var bits: [[Double]]
    /// The profile's bits, for the report beside the estimate.
    public var profileBits: [[Double]]
    /// m and u per level; `nil` when not estimated (the profile's bits only).
    public var m: [[Double]]?
    public var u: [[Double]]?
    /// The profile's multiplier of each strategy.
    public var strategyWeights: [Double]
    /// The share of files that belong to no message of their conversation.
    public var orphanShare: Double
    /// How far a finding's own chance may move its bits from its level's.
    public var boundBits: Double
    /// Per strategy: whether its chance is per message of the conversation, so its bits are not
    /// held under the bound's ceiling (``StrategyDescription/chancePerConversation``).
    public var chancePerConversation: [Bool]
    /// A confirmed identifier raises a score to this; a contradicted one caps it here.
    public var identifierFloor: Double
    public var contradictionCap: Double

    /// The profile's weights, unestimated.
    public init(profile: Profile, orphanShare: Double) {
        let bits = profile.strategies.map { $0.levels.map(\.bits) }
        self.bits = bits
        self.profileBits = bits
        self.m = nil
        self.u = nil
        self.strategyWeights = profile.strategies.map(\.weight)
        self.orphanShare = orphanShare
        self.boundBits = profile.estimation.boundBits
        self.chancePerConversation = profile.strategies.map(\.description.chancePerConversation)
        self.identifierFloor = profile.identifierFloor
        self.contradictionCap = profile.contradictionCap
    }

    /// What one strategy adds for a finding: its weight times the level's bits, or, when the
    /// finding knows its own chance and m is known, times log2(m / chance) held within the bound
    /// of the profile's bits (as every estimate is); only above it for a strategy whose chance is
    /// per message of the conversation, whose bits must grow with its size as the prior's doubt
    /// does.
    public func contribution(strategy: Int, level: Int, chance: Double?) -> Double {
        var levelBits = bits[strategy][level]
        if let chance, chance > 0, let m {
            let own = log2(max(m[strategy][level], 1e-12) / chance)
            let profile = profileBits[strategy][level]
            let ceiling =
                chancePerConversation.indices.contains(strategy) && chancePerConversation[strategy]
                ? .infinity : profile + boundBits
            levelBits = min(ceiling, max(profile - boundBits, own))
        }
        return strategyWeights[strategy] * levelBits
    }

    /// ``contribution(strategy:level:chance:)`` of every level, laid out flat for the loops that
    /// score every blocked pair in every estimation round: the same arithmetic on the same values,
    /// without reaching through nested arrays and an optional for each finding.
    struct Table: Sendable {
        /// Each strategy's first level in the flat arrays.
        let start: [Int]
        let weight: [Double]
        let bits: [Double]
        /// m held above 1e-12; empty when m is not known.
        let m: [Double]
        /// The profile's bits less the bound, and plus it (infinite for a chance per conversation).
        let lowest: [Double]
        let ceiling: [Double]

        init(_ weights: EvidenceWeights) {
            var start: [Int] = []
            var next = 0
            for levels in weights.bits {
                start.append(next)
                next += levels.count
            }
            self.start = start
            weight = weights.strategyWeights
            bits = weights.bits.flatMap { $0 }
            m = weights.m.map { $0.flatMap { $0.map { max($0, 1e-12) } } } ?? []
            lowest = weights.profileBits.flatMap { $0.map { $0 - weights.boundBits } }
            ceiling = weights.profileBits.indices.flatMap { strategy in
                let perConversation =
                    weights.chancePerConversation.indices.contains(strategy) && weights.chancePerConversation[strategy]
                return weights.profileBits[strategy].map { perConversation ? .infinity : $0 + weights.boundBits }
            }
        }

        /// ``EvidenceWeights/contribution(strategy:level:chance:)``, a chance of NaN for none.
        @inline(__always)
        func contribution(strategy: Int, level: Int, chance: Double) -> Double {
            let index = start[strategy] + level
            var levelBits = bits[index]
            if chance > 0, !m.isEmpty {
                let own = log2(m[index] / chance)
                levelBits = min(ceiling[index], max(lowest[index], own))
            }
            return weight[strategy] * levelBits
        }
    }

    /// The log2 prior odds that a file is one particular message of its conversation rather than
    /// no message's: the conversation holds `size` messages, and `orphanShare` of files are none's.
    public func priorBits(conversationSize size: Int) -> Double {
        log2((1 - orphanShare) / orphanShare) - log2(Double(max(1, size)))
    }

    /// A score after an identifier's floor or cap. A contradiction wins over a confirmation: one
    /// identifier disagreeing is enough to doubt.
    public func adjusted(_ total: Double, confirmed: Bool, contradicted: Bool) -> Double {
        if contradicted { return min(total, contradictionCap) }
        if confirmed { return max(total, identifierFloor) }
        return total
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
