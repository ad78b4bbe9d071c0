/// Why a file or a message ended as it did: its decision in the plan and every candidate pair
/// blocking proposed for it, each with its waterfall (vetoed pairs included).
public struct Explanation: Sendable, Encodable {
    /// What is explained: `file <path>` or `message <id>`.
    public var subject: String
    /// The plan's decision, in words.
    public var decision: String
    /// The calibration of the partition it belongs to, if it belongs to one.
    public var calibration: CalibrationReport?
    /// The candidate pairs, best first.
    public var candidates: [MatchPlan.Candidate]
}
