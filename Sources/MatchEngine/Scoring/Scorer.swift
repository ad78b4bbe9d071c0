/// Turns the strategies' findings for a pair into one score: the prior plus each strategy's bits
/// times its weight, then the identifier tier's floor or cap. Vetoes end the pair.
struct Scorer: Sendable {
    let profile: Profile

    /// The outcome of scoring one pair.
    struct Outcome: Sendable {
        /// Prior plus weighted bits.
        var total: Double
        /// ``total`` after a confirmed identifier's floor or a contradicted one's cap.
        var score: Double
        /// The index of the strategy that vetoed the pair, if one did.
        var vetoedBy: Int?
        var confirmed: Bool
        var contradicted: Bool
    }

    /// Scores a pair; stops at the first veto.
    func score(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Outcome {
        var total = profile.prior
        var confirmed = false
        var contradicted = false
        for (index, strategy) in profile.strategies.enumerated() {
            guard let finding = strategy.compare(file, message, in: context) else { continue }
            let level = strategy.levels[finding.level]
            switch level.effect {
            case .veto:
                return Outcome(
                    total: -.infinity, score: -.infinity, vetoedBy: index, confirmed: false, contradicted: false)
            case .confirm: confirmed = true
            case .contradict: contradicted = true
            case .none: break
            }
            total += strategy.weight * level.bits
        }
        return Outcome(
            total: total,
            score: adjusted(total, confirmed: confirmed, contradicted: contradicted),
            vetoedBy: nil,
            confirmed: confirmed,
            contradicted: contradicted
        )
    }

    /// A contradiction wins over a confirmation: one identifier disagreeing is enough to doubt.
    func adjusted(_ total: Double, confirmed: Bool, contradicted: Bool) -> Double {
        if contradicted { return min(total, profile.contradictionCap) }
        if confirmed { return max(total, profile.identifierFloor) }
        return total
    }

    /// The full waterfall of a pair: every strategy's level, bits, weight and note.
    func waterfall(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Waterfall {
        var lines: [Waterfall.Line] = []
        var total = profile.prior
        var confirmed = false
        var contradicted = false
        var vetoedBy: String?
        for strategy in profile.strategies {
            guard let finding = strategy.compare(file, message, in: context) else {
                lines.append(
                    Waterfall.Line(
                        strategy: strategy.identifier,
                        level: nil,
                        bits: 0,
                        weight: strategy.weight,
                        contribution: 0,
                        effect: .none,
                        note: "no evidence (data missing)"
                    )
                )
                continue
            }
            let level = strategy.levels[finding.level]
            switch level.effect {
            case .veto: vetoedBy = vetoedBy ?? strategy.identifier
            case .confirm: confirmed = true
            case .contradict: contradicted = true
            case .none: break
            }
            let contribution = level.effect == .veto ? 0 : strategy.weight * level.bits
            total += contribution
            lines.append(
                Waterfall.Line(
                    strategy: strategy.identifier,
                    level: level.identifier,
                    bits: level.bits,
                    weight: strategy.weight,
                    contribution: contribution,
                    effect: level.effect,
                    note: strategy.note(level: finding.level, measurement: finding.measurement)
                )
            )
        }
        let score = vetoedBy == nil ? adjusted(total, confirmed: confirmed, contradicted: contradicted) : -.infinity
        return Waterfall(prior: profile.prior, lines: lines, total: total, score: score, vetoedBy: vetoedBy)
    }

    /// The identifier-tier strategy that added most to a pair (`content_hash`, …), or `fuzzy`
    /// when no identifier spoke for it: what evaluation breaks precision down by.
    func tier(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> String {
        var best: (identifier: String, contribution: Double)?
        for strategy in profile.strategies where strategy.description.tier == .identifier {
            guard let finding = strategy.compare(file, message, in: context) else { continue }
            let level = strategy.levels[finding.level]
            let contribution = level.effect == .confirm ? .infinity : strategy.weight * level.bits
            if contribution > 0, contribution > (best?.contribution ?? 0) {
                best = (strategy.identifier, contribution)
            }
        }
        return best?.identifier ?? "fuzzy"
    }
}
