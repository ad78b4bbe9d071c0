public import Logging
public import MatchEngine
import MessageStore

/// `audiosync explain`: the candidates of one file or message, each with its waterfall.
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
    public func run(_ subject: Matcher.Subject, progress: SyncRunner.Progress? = nil) async throws -> Explanation {
        let inputs = try await SyncInputs.gather(
            database: database, media: media, allowCrossChat: profile.profile.allowCrossChat, logger: logger,
            progress: progress)
        let matcher = Matcher(profile: profile.profile, tenancy: inputs.tenancy, logger: logger)
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
