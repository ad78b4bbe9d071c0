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

    /// The engine's report and the legacy approach's two parts', with what they ran on.
    public struct Document: Sendable, Codable {
        public var schemaVersion = 2
        public var mediaRoot: String
        public var database: String
        public var profile: String
        public var audiosync: EvaluationReport
        /// The first sync script, scored by the rows it wrote.
        public var legacyScript: EvaluationReport
        /// What the script said it did.
        public var legacyScriptRun: ScriptSummary
        /// The CRM's audio endpoint, scored by the file it played for each message the script left
        /// without a link.
        public var legacyEndpoint: EvaluationReport
        public var seconds: Double
    }

    /// The legacy sync script's own account beside what it wrote.
    public struct ScriptSummary: Sendable, Codable, Equatable {
        /// Files with a token and a time it looked at.
        public var filesExamined: Int
        /// Files its report counted as mapped.
        public var filesMapped: Int
        /// Rows it wrote (a message took only the first file mapped to it).
        public var rowsWritten: Int
        /// The most files it mapped to one message.
        public var mostFilesOnOneMessage: Int
        /// Of the files it mapped, those mapped to a message they do not belong to.
        public var mappedWrong: Int
        /// Messages it mapped files of more than one recording to.
        public var messagesGivenSeveralRecordings: Int
    }

    public func run(progress: SyncRunner.Progress? = nil) async throws -> Document {
        let truth = try TruthFile(contentsOf: URL(fileURLWithPath: truthPath))
        let started = ContinuousClock.now
        let inputs = try await SyncInputs.gather(
            database: database, media: media, allowCrossChat: profile.profile.allowCrossChat, logger: logger,
            progress: progress)
        progress?("match", 0, 1)
        let plan = Matcher(profile: profile.profile, tenancy: inputs.tenancy, logger: logger)
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
        // The server's clock, as the script and the endpoint read it: the zone calibration found.
        let zone = plan.calibration.compactMap(\.calibration.clockOffset).first.map {
            ($0 + 450).floorDivided(by: 900) * 900
        }
        let usable = inputs.files.filter(\.isUsableAudio)
        let script = LegacyMatcher.syncScript(
            files: usable, messages: inputs.load.messages, serverOffset: zone ?? -10_800)
        let linked = Set(script.written.map(\.messageRowID))
            .union(inputs.load.messages.filter { $0.localPath != nil }.map(\.rowID))
        let endpoint = LegacyMatcher.endpoint(
            files: usable, messages: inputs.load.messages, linked: linked, serverOffset: zone ?? -10_800)
        func legacy(_ name: String, _ links: [LegacyMatcher.Link]) -> EvaluationReport {
            // The script's tier names its part, so per-tier figures keep the two apart.
            Evaluator.evaluate(
                matcher: name,
                links: links.map { Evaluator.ScoredLink(file: $0.file, messageRowID: $0.messageRowID, tier: name) },
                reviews: 0, files: inputs.files, messages: inputs.load.messages, truth: truth)
        }
        let mapped = legacy("legacy_script", script.mapped)
        let elapsed = ContinuousClock.now - started
        return Document(
            mediaRoot: media.root,
            database: redactedDatabaseLocation(database.database),
            profile: profile.source,
            audiosync: ours,
            legacyScript: legacy("legacy_script", script.written),
            legacyScriptRun: ScriptSummary(
                filesExamined: script.examined, filesMapped: script.mapped.count, rowsWritten: script.written.count,
                mostFilesOnOneMessage: script.mostFilesOnOneMessage, mappedWrong: mapped.overall.wrong,
                messagesGivenSeveralRecordings: mapped.messagesWithSeveralRecordings),
            legacyEndpoint: legacy("legacy_endpoint", endpoint),
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
