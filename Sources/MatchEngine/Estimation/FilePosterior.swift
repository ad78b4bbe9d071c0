/// The probability that a file is each of its candidate messages' file, or none of theirs.
///
/// The hypotheses are "the file belongs to message j", one for every message of its conversation,
/// and "it belongs to none of them" (an orphan, a deleted message, a row never loaded). A pair's
/// score is the log2 odds of its hypothesis against "none": the prior (one message among the
/// conversation's, and the instance's orphan share) plus the evidence. So the probability of
/// hypothesis j is `2^s_j / (1 + Σ_i 2^s_i)`, the sum running over every message of the
/// conversation: the candidates blocking proposed, scored exactly, and the rest, which blocking
/// left out because their times are far from the file's, counted together (`others`).
public enum FilePosterior {
    /// The probabilities of each candidate and of "none".
    ///
    /// - Parameters:
    ///   - scores: each candidate's log2 odds against "none" (`-infinity` for a vetoed pair).
    ///   - others: log2 of the summed odds of the messages not scored (`-infinity` for none).
    public static func probabilities(_ scores: [Double], others: Double = -.infinity) -> (
        candidates: [Double], none: Double
    ) {
        var candidates: [Double] = []
        candidates.reserveCapacity(scores.count)
        let none = appendProbabilities(of: scores[...], others: others, to: &candidates)
        return (candidates, none)
    }

    /// ``probabilities(_:others:)``, each candidate's appended to `candidates` and "none"'s
    /// returned, with the same arithmetic in the same order: estimation asks it of every file a
    /// dozen times, and need not make an array each time.
    static func appendProbabilities(of scores: ArraySlice<Double>, others: Double, to candidates: inout [Double])
        -> Double
    {
        // Base-2 log-sum-exp, "none" contributing 2^0.
        var top = max(0, others)
        for score in scores where score > top { top = score }
        var total = exp2(-top) + (others.isFinite ? exp2(others - top) : 0)
        for score in scores where score.isFinite { total += exp2(score - top) }
        for score in scores { candidates.append(score.isFinite ? exp2(score - top) / total : 0) }
        return exp2(-top) / total
    }

    /// log2 of `2^a + 2^b`, exact where either is infinite.
    public static func log2Sum(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        let high = max(a, b)
        return high + log2(1 + exp2(min(a, b) - high))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
