import Foundation
import Testing

@testable import MatchEngine

/// Estimation recovers how telling a level is from an instance's own pairs, within the bounds the
/// profile sets, and leaves pinned strategies alone.
struct WeightEstimatorTests {
    /// Two independent strategies with two levels each, `agree` and `disagree`. Each of `files`
    /// files has its true message (agreeing with probabilities `trueAgree`) and three unrelated
    /// candidates (agreeing with probabilities `falseAgree`); `orphans` more files have four
    /// unrelated candidates. (One strategy alone cannot tell "many orphans" from "a weak level":
    /// a mixture needs two signals to be identified, as a store has several.)
    static func pairs(files: Int, orphans: Int, trueAgree: [Double], falseAgree: [Double]) -> CandidatePairs {
        var pairs = CandidatePairs(width: 2)
        var random = SeededGenerator(seed: 7)
        var message: Int32 = 0
        func add(_ agree: [Double]) {
            pairs.message.append(message)
            pairs.slot.append(message)
            message += 1
            pairs.slotCount = Int(message)
            pairs.effect.append(.none)
            for share in agree {
                pairs.levels.append(Double.random(in: 0..<1, using: &random) < share ? 0 : 1)
                pairs.chance.append(.nan)
            }
        }
        for file in 0..<(files + orphans) {
            // Every message of the conversation is blocked: the model then holds for the data.
            pairs.startFile(conversationSize: 4, blocked: 4)
            if file < files { add(trueAgree) }
            for _ in 0..<(file < files ? 3 : 4) { add(falseAgree) }
            pairs.endFile()
        }
        return pairs
    }

    static func start(bits: [[Double]]) -> EvidenceWeights {
        var profile = Profile(strategies: [])
        profile.estimation.boundBits = 8
        var weights = EvidenceWeights(profile: profile, orphanShare: 0.1)
        weights.bits = bits
        weights.profileBits = bits
        weights.strategyWeights = bits.map { _ in 1 }
        return weights
    }

    @Test("m is estimated from the pairs: a level true pairs show 90 % of the time")
    func recoversM() throws {
        let pairs = Self.pairs(files: 400, orphans: 40, trueAgree: [0.9, 0.8], falseAgree: [0.05, 0.1])
        // A light prior: the data speak (the prior's own pull is the next test's).
        let estimator = WeightEstimator(settings: .init(strength: 2), unscoredBits: -10)
        let u = [[0.05, 0.95], [0.1, 0.9]]
        // The profile believes agreeing says little (1 bit); the data say log2(0.9 / 0.05) ≈ 4.2.
        let (weights, support) = estimator.estimate(
            start: Self.start(bits: [[1, -1], [1, -1]]), pinned: [false, false],
            random: .init(shares: u, trueShare: 0), pairs: pairs,
            estimateOrphanShare: true)
        let m = try #require(weights.m)
        #expect(abs(m[0][0] - 0.9) < 0.05, "m(agree) \(m[0][0])")
        #expect(abs(m[1][0] - 0.8) < 0.06, "m(agree) \(m[1][0])")
        #expect(abs(weights.bits[0][0] - log2(0.9 / 0.05)) < 0.4, "bits \(weights.bits[0][0])")
        #expect(weights.bits[0][1] < 0)
        #expect(support[0] > 300)
        // About 40 of 440 files are orphans.
        #expect(abs(weights.orphanShare - 40.0 / 440) < 0.05, "orphan share \(weights.orphanShare)")
    }

    @Test("Few pairs: the profile's bits hold; many pairs: the data move them")
    func priorStrength() {
        let u = [[0.05, 0.95], [0.1, 0.9]]
        let start = Self.start(bits: [[1, -1], [1, -1]])
        let estimator = WeightEstimator(settings: .init(strength: 20), unscoredBits: -10)
        let few = estimator.estimate(
            start: start, pinned: [false, false], random: .init(shares: u, trueShare: 0),
            pairs: Self.pairs(files: 5, orphans: 0, trueAgree: [0.9, 0.8], falseAgree: [0.05, 0.1]),
            estimateOrphanShare: false)
        let many = estimator.estimate(
            start: start, pinned: [false, false], random: .init(shares: u, trueShare: 0),
            pairs: Self.pairs(files: 2_000, orphans: 0, trueAgree: [0.9, 0.8], falseAgree: [0.05, 0.1]),
            estimateOrphanShare: false)
        #expect(abs(few.weights.bits[0][0] - 1) < abs(many.weights.bits[0][0] - 1))
        #expect(abs(many.weights.bits[0][0] - log2(0.9 / 0.05)) < 0.5, "\(many.weights.bits[0][0])")
    }

    @Test("A pinned strategy keeps the profile's bits; an estimate stays within the bound")
    func pinnedAndBounded() {
        let pairs = Self.pairs(files: 300, orphans: 0, trueAgree: [0.99, 0.99], falseAgree: [0.0001, 0.0001])
        let estimator = WeightEstimator(settings: .init(boundBits: 3), unscoredBits: -10)
        let u = [[0.0001, 0.9999], [0.0001, 0.9999]]
        let start = Self.start(bits: [[2, -1], [2, -1]])
        let pinned = estimator.estimate(
            start: start, pinned: [true, false], random: .init(shares: u, trueShare: 0), pairs: pairs,
            estimateOrphanShare: false)
        #expect(pinned.weights.bits[0] == [2, -1])
        #expect(pinned.weights.bits[1][0] == 5, "log2(0.99/0.0001) ≈ 13 is held at 2 + 3")
    }

    @Test("u is cleared of the true pairs a random draw catches")
    func clearedOfTruePairs() {
        // One in 30 random pairs is a true one, which always shows `agree`; unrelated pairs agree
        // one time in a thousand. The random pairs then agree 3.4 % of the time.
        let u = 0.001
        let share = 1.0 / 30
        let random = [[share + (1 - share) * u, (1 - share) * (1 - u)]]
        let cleared = WeightEstimator.cleared(random, of: [[1, 0]], share: share)
        #expect(abs(cleared[0][0] - u) < 1e-9, "\(cleared[0][0])")
    }

    @Test("u: an instance's own counts, smoothed toward all instances'")
    func unrelatedShares() {
        let shares = WeightEstimator.unrelatedShares(counts: [[0, 10]], pooled: [[50, 950]], strength: 50)
        // Pooled 5 % agree; the instance saw none in 10: pulled toward the pool, not to zero.
        #expect(shares[0][0] > 0.03 && shares[0][0] < 0.05)
        #expect(abs(shares[0].reduce(0, +) - 1) < 1e-9)
    }

    @Test("Level counts over many pairs, each strategy summed on its own core, equal one thread's to the last bit")
    func levelCountsAsOneThread() {
        var random = SplitMix(seed: 11)
        var pairs = CandidatePairs(width: 4)
        var weights: [Double] = []
        let levels = [3, 5, 2, 7]
        // More pairs than the inline limit, so the strategies are spread over the cores.
        for pair in 0..<120_000 {
            pairs.message.append(Int32(pair))
            for strategy in 0..<4 {
                let draw = Int(random.next() % UInt64(levels[strategy] + 1))
                pairs.levels.append(Int8(draw == levels[strategy] ? -1 : draw))
            }
            // Some pairs weigh nothing; the rest a fraction with every bit in use.
            let weight = Double(random.next() % 1_000_003) / 1_000_003
            weights.append(pair % 7 == 0 ? 0 : weight)
        }
        var expected = levels.map { Array(repeating: 0.0, count: $0) }
        for pair in 0..<pairs.count where weights[pair] > 0 {
            for strategy in 0..<4 {
                let level = Int(pairs.levels[pair * 4 + strategy])
                if level >= 0 { expected[strategy][level] += weights[pair] }
            }
        }
        #expect(WeightEstimator.levelCounts(pairs: pairs, weights: weights, levelCounts: levels) == expected)
    }

    @Test("Rounds stop once the weights have settled, at what running every round would give")
    func stopsWhenSettled() throws {
        let pairs = Self.pairs(files: 400, orphans: 40, trueAgree: [0.9, 0.8], falseAgree: [0.05, 0.1])
        let u = [[0.05, 0.95], [0.1, 0.9]]
        func estimate(iterations: Int, settled: Double) -> EvidenceWeights {
            let estimator = WeightEstimator(
                settings: .init(strength: 2, iterations: iterations, settled: settled), unscoredBits: -10)
            return estimator.estimate(
                start: Self.start(bits: [[1, -1], [1, -1]]), pinned: [false, false],
                random: .init(shares: u, trueShare: 0), pairs: pairs, estimateOrphanShare: true
            ).weights
        }
        // Any movement counts as settled: one round, exactly.
        let once = estimate(iterations: 12, settled: .infinity)
        let oneRound = estimate(iterations: 1, settled: 0)
        #expect(once.bits == oneRound.bits && once.m == oneRound.m && once.orphanShare == oneRound.orphanShare)
        // Stopped when settled, against every one of forty rounds: the same within the tolerance.
        let settled = estimate(iterations: 40, settled: 1e-6)
        let every = estimate(iterations: 40, settled: 0)
        #expect(settled.bits != once.bits)
        for (a, b) in zip(settled.bits.joined(), every.bits.joined()) { #expect(abs(a - b) < 1e-5, "\(a) \(b)") }
        #expect(abs(settled.orphanShare - every.orphanShare) < 1e-6)
    }

    @Test("Settled: no bits, no m and no orphan share moved by more than the tolerance")
    func settledMeansNothingMoved() {
        var before = Self.start(bits: [[1, -1]])
        before.m = [[0.9, 0.1]]
        #expect(WeightEstimator.hasSettled(from: before, to: before, within: 1e-6))
        var bits = before
        bits.bits[0][1] = -1.001
        #expect(!WeightEstimator.hasSettled(from: before, to: bits, within: 1e-6))
        // Bits held at their bound while m still moves: a finding's own chance is weighed against m.
        var m = before
        m.m = [[0.8, 0.2]]
        #expect(!WeightEstimator.hasSettled(from: before, to: m, within: 1e-6))
        var share = before
        share.orphanShare *= 1.01
        #expect(!WeightEstimator.hasSettled(from: before, to: share, within: 1e-6))
    }

    @Test("The flat table gives every contribution exactly as the weights compute it")
    func tableAgreesWithWeights() {
        var random = SplitMix(seed: 3)
        func unit() -> Double { Double(random.next() % 1_000_000) / 1_000_000 }
        for withM in [false, true] {
            var weights = Self.start(bits: [[3, -1, 0.5], [8, -2], [1, 0, -1, -4]])
            weights.profileBits = [[2, -1, 0], [6, -3], [1, 1, -1, -2]]
            weights.strategyWeights = [1, 0.5, 2]
            weights.boundBits = 3
            weights.chancePerConversation = [false, true, false]
            if withM { weights.m = weights.bits.map { levels in levels.map { _ in unit() * 0.9 } } }
            let table = EvidenceWeights.Table(weights)
            for strategy in weights.bits.indices {
                for level in weights.bits[strategy].indices {
                    // No chance, a chance of zero, and chances from tiny to large, as a Float holds them.
                    let chances: [Float?] = [nil, 0, 1e-9, Float(unit()), Float(unit() * 1e-3), 1]
                    for chance in chances {
                        let expected = weights.contribution(
                            strategy: strategy, level: level, chance: chance.map(Double.init))
                        let got = table.contribution(strategy: strategy, level: level, chance: Double(chance ?? .nan))
                        #expect(
                            got == expected, "strategy \(strategy) level \(level) chance \(String(describing: chance))")
                    }
                }
            }
        }
    }
}
