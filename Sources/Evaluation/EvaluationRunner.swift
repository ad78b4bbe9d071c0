import Foundation
public import Logging
import MatchEngine
import MessageStore
public import Sync

/// `audiosync evaluate`: the engine and the legacy script on one store, scored against labels.
public struct EvaluationRunner: Sendable {
    public let database: DatabaseLocation
    public let media: MediaLocation
    public let profile: ProfileChoice
    public let truthPath: String
    public let logger: Logger

    public init(
        database: DatabaseLocation, media: MediaLocation, profile: ProfileChoice, truthPath: String,
        logger: Logger = Logger(label: "audiosync.evaluate")
    ) {
        self.database = database
        self.media = media
        self.profile = profile
        self.truthPath = truthPath
        self.logger = logger
    }

    /// Both matchers' reports, with what they ran on.
    public struct Document: Sendable, Codable {
        public var schemaVersion = 1
        public var mediaRoot: String
        public var database: String
        public var profile: String
        public var audiosync: EvaluationReport
        public var legacy: EvaluationReport
        public var seconds: Double
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> Document {
        let truth = try TruthFile(contentsOf: URL(fileURLWithPath: truthPath))
        let started = ContinuousClock.now
        let inputs = try await SyncInputs.gather(
            database: database, media: media, allowCrossChat: profile.profile.allowCrossChat, logger: logger,
            progress: progress)
        progress?("match", 0, 1)
        let plan = Matcher(profile: profile.profile, logger: logger)
            .plan(files: inputs.files, messages: inputs.load.messages, options: .init(explainLinks: false))
        let ours = Evaluator.evaluate(
            matcher: "audiosync",
            links: Evaluator.links(of: plan),
            reviews: plan.reviews.count,
            files: inputs.files,
            messages: inputs.load.messages,
            truth: truth,
            stated: Evaluator.statements(of: plan)
        )
        let legacyLinks = LegacyMatcher.match(
            files: inputs.files.filter(\.isUsableAudio), messages: inputs.load.messages)
        let legacy = Evaluator.evaluate(
            matcher: "legacy",
            links: legacyLinks.map {
                Evaluator.ScoredLink(file: $0.file, messageRowID: $0.messageRowID, tier: "legacy")
            },
            reviews: 0,
            files: inputs.files,
            messages: inputs.load.messages,
            truth: truth
        )
        let elapsed = ContinuousClock.now - started
        return Document(
            mediaRoot: media.root,
            database: database.database,
            profile: profile.source,
            audiosync: ours,
            legacy: legacy,
            seconds: elapsed.seconds
        )
    }
}

extension EvaluationRunner.Document {
    /// Reads a document saved with `audiosync evaluate --json`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError.badReport(path: path, reason: "cannot read it")
        }
        do {
            self = try ReportJSON.decoder().decode(Self.self, from: data)
        } catch {
            throw EvaluationError.badReport(path: path, reason: "\(error)")
        }
    }
}
