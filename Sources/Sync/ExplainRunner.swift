public import Logging
public import MatchEngine
import MessageStore

/// `audiosync explain`: the candidates of one file or message, each with its waterfall, and the
/// run's decision for it as a code and a sentence.
public struct ExplainRunner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let profile: ProfileChoice
    public let logger: Logger

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice,
        logger: Logger = Logger(label: "audiosync.explain")
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.logger = logger
    }

    /// - Throws: ``SyncError/notFound(_:)`` when the store has no such file or message.
    public func run(_ subject: Matcher.Subject, progress: SyncRunner.Progress? = nil) async throws -> ExplainReport {
        let inputs = try await SyncInputs.gather(
            database: database, media: media, allowCrossChat: profile.profile.allowCrossChat, logger: logger,
            progress: progress)
        progress?("match", 0, 1)
        let matcher = Matcher(profile: profile.profile, tenancy: inputs.tenancy, logger: logger)
        guard let explanation = matcher.explain(subject, files: inputs.files, messages: inputs.load.messages) else {
            switch subject {
            case let .file(path):
                throw SyncError.notFound(
                    "no audio file \(path) under the media root: give its path relative to the media root, as `audiosync scan` lists it"
                )
            case let .message(rowID):
                throw SyncError.notFound(
                    "no usable audio message with core_mensagem.id \(rowID) in scope: check the id (a message whose content cannot be read is counted as unusable by `audiosync sync --dry-run`)"
                )
            }
        }
        // The decision is read from the plan the sync would make, so that its code and its
        // sentence are the sync's own (explain re-scores only the subject's pairs).
        let plan = matcher.plan(
            files: inputs.files, messages: inputs.load.messages, options: .init(explainLinks: false))
        switch subject {
        case let .file(path):
            let file = inputs.files.first { $0.path == path }
            return ExplainReport(
                subject: .init(kind: "file", file: path, messageID: nil),
                decision: ExplainReport.decision(forFile: path, in: plan, problem: file?.problem),
                message: nil, file: file.map(ExplainReport.FileFacts.init),
                calibration: explanation.calibration, candidates: explanation.candidates)
        case let .message(rowID):
            let message = inputs.load.messages.first { $0.rowID == rowID }
            return ExplainReport(
                subject: .init(kind: "message", file: nil, messageID: rowID),
                decision: ExplainReport.decision(forMessage: rowID, in: plan),
                message: message.map(ExplainReport.MessageFacts.init), file: nil,
                calibration: explanation.calibration, candidates: explanation.candidates)
        }
    }
}

extension ExplainReport {
    init(
        subject: Subject, decision: (Decision, String), message: MessageFacts?, file: FileFacts?,
        calibration: CalibrationReport?, candidates: [MatchPlan.Candidate]
    ) {
        self.init(
            subject: subject, decision: decision.0, decisionText: decision.1, message: message, file: file,
            calibration: calibration, candidates: candidates)
    }
}
