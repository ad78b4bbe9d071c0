/// The blocked pairs of an instance, grouped by file, with what each strategy found for each:
/// compact, so a million pairs can be re-scored every estimation round.
struct CandidatePairs: Sendable {
    /// Strategies per pair.
    let width: Int
    /// `pairs × width` level indices; -1: the strategy found no evidence.
    var levels: [Int8] = []
    /// `pairs × width` a finding's own chance (term frequency); NaN: the level's u.
    var chance: [Float] = []
    /// Per pair: the message it proposes (its run index), and its effect on the score.
    var message: [Int32] = []
    var effect: [PairEffect] = []
    /// Per pair: the message as a dense key, `0..<slotCount` (its place in the instance), so that
    /// sums over a message's pairs, made every estimation round, index an array, not a dictionary.
    var slot: [Int32] = []
    var slotCount = 0
    /// Per file: where its pairs start (`files + 1` entries), its conversation's size, and
    /// how many messages of its conversation blocking left out.
    var fileStart: [Int] = [0]
    var conversationSize: [Int] = []
    var unscored: [Int] = []

    init(width: Int, slotCount: Int = 0) {
        self.width = width
        self.slotCount = slotCount
    }

    var fileCount: Int { conversationSize.count }
    var count: Int { message.count }

    mutating func startFile(conversationSize: Int, blocked: Int) {
        self.conversationSize.append(conversationSize)
        unscored.append(max(0, conversationSize - blocked))
    }

    mutating func endFile() { fileStart.append(message.count) }
}

/// What a confirmed or contradicted identifier does to a pair's score.
enum PairEffect: UInt8, Sendable, Hashable {
    case none
    case confirmed
    case contradicted
}
