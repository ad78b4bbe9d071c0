/// Why an evaluation, a tuning run or a generation cannot go on; one line that says what to do.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case badTruthFile(path: String, line: Int, reason: String)
    case badReport(path: String, reason: String)
    case badOption(String)

    public var description: String {
        switch self {
        case let .badTruthFile(path, line, reason):
            line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        case let .badReport(path, reason):
            "\(path): not an evaluation report saved with --json (\(reason))"
        case let .badOption(reason):
            reason
        }
    }
}
