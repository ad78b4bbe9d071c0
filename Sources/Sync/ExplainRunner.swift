public import Logging
public import MatchEngine
import MessageStore

/// `audiosync explain`: the candidates of one file or message, each with its waterfall.
public struct ExplainRunner: Sendable {
    public let options: SyncOptions
    public let logger: Logger

    public init(options: SyncOptions, logger: Logger = Logger(label: "audiosync.explain")) {
        self.options = options
        self.logger = logger
    }

    /// - Throws: ``SyncError/notFound(_:)`` when the store has no such file or message.
    public func run(_ subject: Matcher.Subject, progress: SyncRunner.Progress? = nil) async throws -> Explanation {
        let inputs = try await SyncRunner(options: options, logger: logger).gather(progress: progress)
        let matcher = Matcher(profile: options.profile, logger: logger)
        guard let explanation = matcher.explain(subject, files: inputs.files, messages: inputs.load.messages) else {
            switch subject {
            case let .file(path):
                throw SyncError.notFound("no audio file \(path) under the media root (give the path relative to it)")
            case let .message(rowID): throw SyncError.notFound("no usable audio message with core_mensagem.id \(rowID)")
            }
        }
        return explanation
    }
}

/// Why a sync-side command could not answer.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case notFound(String)

    public var description: String {
        switch self {
        case let .notFound(message): message
        }
    }
}

extension Explanation {
    /// The text people read: the decision, the calibration, then each candidate's waterfall.
    public var text: String {
        var lines = ["audiosync explain — \(subject)", "  decision: \(decision)"]
        if let calibration {
            let plan = MatchPlan(
                thresholds: .init(prior: 0, floor: 0, margin: 0, reviewBand: 0), calibration: [calibration])
            lines.append("")
            lines.append("calibration")
            lines += plan.calibrationLines()
        }
        lines.append("")
        lines.append(
            candidates.isEmpty
                ? "no candidates: blocking found no message that could be its own" : "candidates (best first)")
        for candidate in candidates {
            let score = candidate.score.isFinite ? formatBits(candidate.score) : "vetoed"
            lines.append("  \(candidate.file) ↔ message \(candidate.messageRowID)   score \(score)")
            if let waterfall = candidate.waterfall { lines += waterfall.lines(indent: "    ") }
        }
        return lines.joined(separator: "\n")
    }
}
