/// Asks every strategy about a pair, then turns what they found into a score or a waterfall: one
/// computation for both (``EvidenceWeights/contribution(strategy:level:chance:)``), so what
/// `explain` shows is what the plan decided on.
struct Scorer: Sendable {
    let strategies: [ConfiguredStrategy]
    /// The strategies' comparisons and level effects, for the loop every pair runs. It used to take
    /// each strategy object and its levels array, retaining and releasing both for every strategy
    /// of every pair, on objects every core shares, so each count moved its cache line between the
    /// cores: `swift_retain` called from here was 5.5 % of a million-row sync's samples in `perf`,
    /// 0.3 % after. Calling a comparison still retains its closure's context once.
    private let comparisons: [ConfiguredStrategy.Comparison]
    /// Every strategy's level effects, one strategy after another, from ``levelStart``.
    private let effects: [EvidenceEffect]
    private let levelStart: [Int]

    init(strategies: [ConfiguredStrategy]) {
        self.strategies = strategies
        comparisons = strategies.map(\.comparison)
        effects = strategies.flatMap { $0.levels.map(\.effect) }
        var start: [Int] = []
        var next = 0
        for strategy in strategies {
            start.append(next)
            next += strategy.levels.count
        }
        levelStart = start
    }

    /// What every strategy found for one pair.
    struct Evidence: Sendable {
        /// Per strategy, in the profile's order; `nil`: no evidence (or not asked, after a veto).
        var findings: [ConfiguredStrategy.ErasedFinding?]
        /// The strategy that vetoed the pair, if one did.
        var vetoedBy: Int?
        var confirmed = false
        var doubted = false
        var contradicted = false

        /// Whether an identifier's agreement raises the score to the floor: none disagreed.
        var floored: Bool { confirmed && !doubted }
        var effect: PairEffect { contradicted ? .contradicted : floored ? .confirmed : .none }
    }

    /// Every strategy's finding; stops at the first veto.
    ///
    /// Declared read-only, which it is: strategies compare and allocate, never write what they were
    /// given or anything the caller holds (the engine is pure). Without it the caller copies the
    /// message it reads from an array before every call, since an opaque strategy might otherwise
    /// change that array under it: a dozen retains, releases and a 250-byte copy per pair, about a
    /// tenth of a full run's CPU at a million messages in `perf`.
    @_effects(readonly)
    func evidence(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Evidence {
        var evidence = Evidence(findings: Array(repeating: nil, count: strategies.count))
        for index in comparisons.indices {
            guard let finding = comparisons[index](file, message, context) else { continue }
            evidence.findings[index] = finding
            switch effects[levelStart[index] + finding.level] {
            case .veto:
                evidence.vetoedBy = index
                return evidence
            case .confirm: evidence.confirmed = true
            case .doubt: evidence.doubted = true
            case .contradict: evidence.contradicted = true
            case .none: break
            }
        }
        return evidence
    }

    /// The pair's score: the prior, each strategy's contribution, then an identifier's floor or
    /// cap; `-infinity` when vetoed.
    func score(_ evidence: Evidence, prior: Double, weights: EvidenceWeights) -> Double {
        guard evidence.vetoedBy == nil else { return -.infinity }
        var total = prior
        for (index, finding) in evidence.findings.enumerated() {
            guard let finding else { continue }
            total += weights.contribution(strategy: index, level: finding.level, chance: finding.chance)
        }
        return weights.adjusted(total, confirmed: evidence.floored, contradicted: evidence.contradicted)
    }

    /// The full waterfall of a pair: the prior, then every strategy's level, bits (estimated and
    /// the profile's), weight and note, the total and the score; kept as findings that refer to
    /// `legend` (``legend(_:)`` of the same weights), one for all the run's waterfalls.
    func waterfall(
        _ file: AudioFile, _ message: AudioMessage, in context: ScoringContext, prior: Double,
        weights: EvidenceWeights, legend: WaterfallLegend
    ) -> Waterfall {
        let evidence = evidence(file, message, in: context)
        var findings: [WaterfallLegend.Finding] = []
        findings.reserveCapacity(strategies.count)
        var total = prior
        for (index, strategy) in strategies.enumerated() {
            guard let finding = evidence.findings[index] else {
                findings.append(
                    .init(
                        contribution: 0, bits: 0, measurement: nil, chance: nil, strategy: UInt8(index), level: -1,
                        notAsked: evidence.vetoedBy.map { $0 < index } == true))
                continue
            }
            let vetoed = strategy.levels[finding.level].effect == .veto
            let contribution =
                vetoed ? 0 : weights.contribution(strategy: index, level: finding.level, chance: finding.chance)
            total += contribution
            findings.append(
                .init(
                    contribution: contribution.rounded(toPlaces: 3),
                    bits: (strategy.weight == 0 ? 0 : contribution / strategy.weight).rounded(toPlaces: 3),
                    measurement: finding.measurement,
                    chance: finding.chance,
                    strategy: UInt8(index),
                    level: Int8(finding.level),
                    notAsked: false
                )
            )
        }
        let vetoedBy = evidence.vetoedBy.map { strategies[$0].identifier }
        let score =
            vetoedBy == nil
            ? weights.adjusted(total, confirmed: evidence.floored, contradicted: evidence.contradicted) : -.infinity
        return Waterfall(
            prior: prior, legend: legend, findings: findings, total: total, score: score, vetoedBy: vetoedBy)
    }

    /// What the waterfalls this scorer makes under `weights` share: one for a run's waterfalls,
    /// not one each.
    func legend(_ weights: EvidenceWeights) -> WaterfallLegend {
        WaterfallLegend(strategies: strategies, profileBits: weights.profileBits)
    }

    /// The identifier-tier strategy that added most to a pair (`content_hash`, …), or `fuzzy`
    /// when no identifier spoke for it: what evaluation breaks precision down by.
    func tier(_ evidence: Evidence, weights: EvidenceWeights) -> String {
        tier(weights: weights) { index in evidence.findings[index].map { ($0.level, $0.chance) } }
    }

    /// ``tier(_:weights:)`` of a pair as blocking kept it: its levels, and its chances as its score
    /// read them. A run's decider names every link's tier, and scoring each link again to do so
    /// was two-thirds of deciding.
    func tier(of pair: Int, in pairs: CandidatePairs, weights: EvidenceWeights) -> String {
        let base = pair * pairs.width
        return tier(weights: weights) { index in
            let level = pairs.levels[base + index]
            guard level >= 0 else { return nil }
            let chance = pairs.chance[base + index]
            return (Int(level), chance.isNaN ? nil : Double(chance))
        }
    }

    /// The identifier strategy whose finding (`level` and `chance`, per strategy) adds most.
    private func tier(weights: EvidenceWeights, finding: (Int) -> (level: Int, chance: Double?)?) -> String {
        var best: (identifier: String, contribution: Double)?
        for (index, strategy) in strategies.enumerated() where strategy.description.tier == .identifier {
            guard let finding = finding(index) else { continue }
            let level = strategy.levels[finding.level]
            let contribution =
                level.effect == .confirm
                ? .infinity : weights.contribution(strategy: index, level: finding.level, chance: finding.chance)
            if contribution > 0, contribution > (best?.contribution ?? 0) {
                best = (strategy.identifier, contribution)
            }
        }
        return best?.identifier ?? "fuzzy"
    }
}

extension CandidatePairs {
    /// Appends a pair that no veto ended.
    mutating func append(message: Int, slot: Int32, evidence: Scorer.Evidence) {
        self.message.append(Int32(message))
        self.slot.append(slot)
        effect.append(evidence.effect)
        for finding in evidence.findings {
            levels.append(Int8(finding?.level ?? -1))
            chance.append(finding?.chance.map { Float($0) } ?? .nan)
        }
    }
}

/// Odds like `1 in 4,096`: a whole number with thousands separated.
func formatOdds(_ value: Double) -> String {
    guard value.isFinite, value < 1e15 else { return "a great many" }
    let digits = String(Int64(value.rounded()))
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return out
}
