/// Why a review decision was refused. Nothing was written.
public enum ReviewError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pair is not among the items of the latest plan.
    case notUnderReview(file: String, messageRowID: Int64)
    /// The item was decided already in this session.
    case alreadyDecided(file: String, state: ReviewItem.State)
    /// A row the decision would write was written earlier in this session, or changed since the plan
    /// was read: the plan must be made again first.
    case stale(file: String, rows: [Int64])
    /// The message already holds this file.
    case alreadyLinked(file: String, messageRowID: Int64)
    /// The session has no plan yet (it is being made).
    case noPlan

    public var description: String {
        switch self {
        case let .notUnderReview(file, message):
            "file \(file) with message \(message) is not a pair under review in the latest plan (see `audiosync review list`)"
        case let .alreadyDecided(file, state):
            "file \(file) was decided already in this session (\(state.rawValue))"
        case let .stale(file, rows):
            "message \(rows.map(String.init).joined(separator: ", ")) changed since the plan was made; refresh the plan and review \(file) again"
        case let .alreadyLinked(file, message):
            "message \(message) already holds \(file); nothing to write"
        case .noPlan:
            "no plan yet: it is being made"
        }
    }
}
