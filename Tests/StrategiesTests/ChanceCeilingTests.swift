import MatchEngine
import Strategies
import Testing

/// A finding's own chance is held within `bound_bits` of its level's profile bits, except above
/// for a chance per message of the conversation (time's): the prior stands one in the
/// conversation's size against each pair, and with a ceiling a close note in a chat of thousands
/// could never outweigh it (held-out world 112, independent store 26: time's +15.0 at the ceiling).
struct ChanceCeilingTests {
    let profile = Profile.builtInDefault

    /// The default weights with m at one half everywhere, as estimation leaves them known.
    var weights: EvidenceWeights {
        var weights = EvidenceWeights(profile: profile, orphanShare: 0.1)
        weights.m = weights.bits.map { $0.map { _ in 0.5 } }
        return weights
    }

    func index(_ strategy: String, _ level: String) throws -> (strategy: Int, level: Int) {
        let strategyIndex = try #require(profile.strategies.firstIndex { $0.identifier == strategy })
        let levelIndex = try #require(profile.strategies[strategyIndex].levels.firstIndex { $0.identifier == level })
        return (strategyIndex, levelIndex)
    }

    @Test("Time's chance of 1 in 2^30 gives its 29 bits, past its profile's 7 and the bound's 8")
    func timeUnbounded() throws {
        let (strategy, level) = try index("timestamp_distance", "within_10s")
        #expect(profile.strategies[strategy].levels[level].bits == 7)
        #expect(weights.contribution(strategy: strategy, level: level, chance: 0x1p-30) == 29)
        // Below, the bound holds as for every estimate: m of 2^−20 against a chance of one gives
        // 7 − 8, not −20.
        var rare = weights
        rare.m?[strategy][level] = 0x1p-20
        #expect(rare.contribution(strategy: strategy, level: level, chance: 1) == -1)
    }

    @Test("A size's chance, per message of the instance, stays under the ceiling: 11 + 8")
    func sizeBounded() throws {
        let (strategy, level) = try index("file_size", "exact")
        #expect(profile.strategies[strategy].levels[level].bits == 11)
        #expect(weights.contribution(strategy: strategy, level: level, chance: 0x1p-30) == 19)
    }
}
