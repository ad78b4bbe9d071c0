public import MatchEngine

/// How a matcher's links compare with the truth: precision first, then recall, broken down.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// Counts and rates over one set of files.
    public struct Metrics: Sendable, Codable, Equatable {
        /// Files in the set.
        public var files = 0 { didSet { reportRates() } }
        /// Files that belong to a message.
        public var belonging = 0 { didSet { reportRates() } }
        /// Links made (a file to a message); one file may appear in several for the legacy script.
        public var links = 0 { didSet { reportRates() } }
        public var correct = 0 { didSet { reportRates() } }
        public var wrong = 0 { didSet { reportRates() } }
        /// Files that belong to a message and did not get it.
        public var missed = 0 { didSet { reportRates() } }

        // The rates as the JSON carries them, to 6 decimals, kept in step with the counts. The
        // computed rates below are exact: the text, the comparisons and the tuner use those.
        private var reportedPrecision = 1.0
        private var reportedRecall = 1.0
        private var reportedF1 = 1.0

        public var precision: Double { links == 0 ? 1 : Double(correct) / Double(links) }
        public var recall: Double { belonging == 0 ? 1 : Double(correct) / Double(belonging) }
        public var f1: Double {
            let sum = precision + recall
            return sum == 0 ? 0 : 2 * precision * recall / sum
        }

        public init() {}

        enum CodingKeys: String, CodingKey {
            case files, belonging, links, correct, wrong, missed
            case reportedPrecision = "precision"
            case reportedRecall = "recall"
            case reportedF1 = "f1"
        }

        private mutating func reportRates() {
            reportedPrecision = precision.rounded(toPlaces: 6)
            reportedRecall = recall.rounded(toPlaces: 6)
            reportedF1 = f1.rounded(toPlaces: 6)
        }
    }

    /// A link the truth disagrees with.
    public struct WrongLink: Sendable, Codable, Equatable {
        public var file: String
        public var linkedTo: Int64
        @Nullable public var belongsTo: Int64?
        public var acrossChats: Bool
        public var acrossClients: Bool
        @Nullable public var tier: String?
    }

    /// `audiosync` or `legacy`.
    public var matcher: String
    public var overall: Metrics
    /// Files the truth does not mark damaged.
    public var undamaged: Metrics
    /// Per defect the generator recorded on the files.
    public var perDefect: [String: Metrics]
    /// Per tier that carried the link (`content_hash`, `filename_hash_prefix`, `fuzzy`).
    public var perTier: [String: Metrics]
    public var wrongLinks: [WrongLink]
    public var wrongAcrossChats: Int
    public var wrongAcrossClients: Int
    /// Pairs sent to review.
    public var reviews: Int
    /// Messages that received files of more than one recording (the legacy script's failure).
    public var messagesWithSeveralRecordings: Int
    /// Files whose message is a row audiosync cannot use (its `conteudo` is not JSON, or it has no
    /// audio fields): no write can link them, so they count as missed by every matcher.
    public var belongingToUnusableRows = 0
    /// How true the stated probabilities are: of the pairs linked or sent to review with a stated
    /// probability in each band, how many are right. Empty for a matcher that states none.
    public var reliability: [ReliabilityBand] = []

    /// One band of stated probabilities and how many of its pairs were right.
    public struct ReliabilityBand: Sendable, Codable, Equatable {
        /// The band's lower bound (inclusive) and upper bound (exclusive, 1 included in the last).
        public var from: Double
        public var to: Double
        /// Pairs stated in the band, those right, and the right ones the statements expect.
        public var pairs: Int
        public var right: Int
        public var expectedRight: Double

        public init(from: Double, to: Double, pairs: Int = 0, right: Int = 0, expectedRight: Double = 0) {
            self.from = from
            self.to = to
            self.pairs = pairs
            self.right = right
            self.expectedRight = expectedRight
        }

        /// The bands the table is drawn in.
        public static let bands: [(Double, Double)] = [
            (0.5, 0.9), (0.9, 0.99), (0.99, 0.999), (0.999, 0.9999), (0.9999, 0.99999), (0.99999, 1),
        ]
    }

    public init(
        matcher: String,
        overall: Metrics,
        undamaged: Metrics,
        perDefect: [String: Metrics],
        perTier: [String: Metrics],
        wrongLinks: [WrongLink],
        wrongAcrossChats: Int,
        wrongAcrossClients: Int,
        reviews: Int,
        messagesWithSeveralRecordings: Int
    ) {
        self.matcher = matcher
        self.overall = overall
        self.undamaged = undamaged
        self.perDefect = perDefect
        self.perTier = perTier
        self.wrongLinks = wrongLinks
        self.wrongAcrossChats = wrongAcrossChats
        self.wrongAcrossClients = wrongAcrossClients
        self.reviews = reviews
        self.messagesWithSeveralRecordings = messagesWithSeveralRecordings
    }
}

/// Scores links against a truth file.
public enum Evaluator {
    /// One link to score, with the tier that carried it when the matcher says.
    public struct ScoredLink: Sendable {
        public var file: String
        public var messageRowID: Int64
        public var tier: String?

        public init(file: String, messageRowID: Int64, tier: String? = nil) {
            self.file = file
            self.messageRowID = messageRowID
            self.tier = tier
        }
    }

    /// A pair a matcher stated a probability for (a link or a review).
    public struct StatedPair: Sendable {
        public var file: String
        public var messageRowID: Int64
        public var probability: Double

        public init(file: String, messageRowID: Int64, probability: Double) {
            self.file = file
            self.messageRowID = messageRowID
            self.probability = probability
        }
    }

    /// The links of a plan: each linked file and each of its duplicates.
    public static func links(of plan: MatchPlan) -> [ScoredLink] {
        plan.links.flatMap { link in
            ([link.file] + link.duplicates).map {
                ScoredLink(file: $0, messageRowID: link.messageRowID, tier: link.tier)
            }
        }
    }

    /// The probabilities a plan stated: its links (duplicates aside) and its reviews.
    public static func statements(of plan: MatchPlan) -> [StatedPair] {
        plan.links.map { StatedPair(file: $0.file, messageRowID: $0.messageRowID, probability: $0.probability) }
            + plan.reviews.map {
                StatedPair(file: $0.file, messageRowID: $0.messageRowID, probability: $0.probability)
            }
    }

    public static func evaluate(
        matcher: String,
        links: [ScoredLink],
        reviews: Int,
        files: [AudioFile],
        messages: [AudioMessage],
        truth: TruthFile,
        stated: [StatedPair] = []
    ) -> EvaluationReport {
        let messageByRow = Dictionary(messages.map { ($0.rowID, $0) }, uniquingKeysWith: { first, _ in first })
        let fileByPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var linksByFile: [String: [ScoredLink]] = [:]
        for link in links { linksByFile[link.file, default: []].append(link) }

        var overall = EvaluationReport.Metrics()
        var undamaged = EvaluationReport.Metrics()
        var perDefect: [String: EvaluationReport.Metrics] = [:]
        var perTier: [String: EvaluationReport.Metrics] = [:]
        var wrongLinks: [EvaluationReport.WrongLink] = []
        var recordingsByMessage: [Int64: Set<String>] = [:]

        for entry in truth.entries {
            let fileLinks = linksByFile[entry.file] ?? []
            let correct = fileLinks.filter { $0.messageRowID == entry.messageRowID }.count
            let wrong = fileLinks.count - correct
            let damaged = entry.defects.contains("damaged")
            let belongs = entry.messageRowID != nil
            overall.record(belongs: belongs, links: fileLinks.count, correct: correct, wrong: wrong)
            if !damaged { undamaged.record(belongs: belongs, links: fileLinks.count, correct: correct, wrong: wrong) }
            for defect in Set(entry.defects) {
                perDefect[defect, default: .init()].record(
                    belongs: belongs,
                    links: fileLinks.count,
                    correct: correct,
                    wrong: wrong
                )
            }
            for link in fileLinks {
                let isCorrect = link.messageRowID == entry.messageRowID
                perTier[link.tier ?? "none", default: .init()].record(
                    belongs: true,
                    links: 1,
                    correct: isCorrect ? 1 : 0,
                    wrong: isCorrect ? 0 : 1
                )
                // Files of one recording share their true message; an orphan is its own recording.
                recordingsByMessage[link.messageRowID, default: []].insert(
                    entry.messageRowID.map(String.init) ?? entry.file)
                guard !isCorrect else { continue }
                let message = messageByRow[link.messageRowID]
                let file = fileByPath[entry.file]
                // A group note of an unnamed sender linked from a person's folder counts as across
                // chats when wrong: nothing said that folder was its sender's.
                let acrossChats =
                    message.map { m in file.map { !ChatRelation(file: $0, message: m).isSameConversation } ?? false }
                    ?? false
                let acrossClients =
                    message.map { m in file.map { $0.keys.client != m.chatKeys.client } ?? false }
                    ?? false
                wrongLinks.append(
                    .init(
                        file: entry.file,
                        linkedTo: link.messageRowID,
                        belongsTo: entry.messageRowID,
                        acrossChats: acrossChats,
                        acrossClients: acrossClients,
                        tier: link.tier
                    )
                )
            }
        }
        // Per-tier "belonging" is the tier's own links: recall is not meaningful there.
        for key in perTier.keys { perTier[key]!.belonging = perTier[key]!.links }
        let truthByFile = truth.messageByFile
        var reliability = EvaluationReport.ReliabilityBand.bands.map {
            EvaluationReport.ReliabilityBand(from: $0.0, to: $0.1)
        }
        for pair in stated {
            guard
                let band = reliability.firstIndex(where: {
                    pair.probability >= $0.from && (pair.probability < $0.to || $0.to == 1)
                }),
                let truthOfFile = truthByFile[pair.file]
            else { continue }
            reliability[band].pairs += 1
            reliability[band].expectedRight += pair.probability
            if truthOfFile == pair.messageRowID { reliability[band].right += 1 }
        }
        for index in reliability.indices {
            reliability[index].expectedRight = reliability[index].expectedRight.rounded(toPlaces: 2)
        }
        var report = EvaluationReport(
            matcher: matcher,
            overall: overall,
            undamaged: undamaged,
            perDefect: perDefect,
            perTier: perTier,
            wrongLinks: wrongLinks.sorted { ($0.file, $0.linkedTo) < ($1.file, $1.linkedTo) },
            wrongAcrossChats: wrongLinks.filter(\.acrossChats).count,
            wrongAcrossClients: wrongLinks.filter(\.acrossClients).count,
            reviews: reviews,
            messagesWithSeveralRecordings: recordingsByMessage.values.filter { $0.count > 1 }.count
        )
        report.reliability = stated.isEmpty ? [] : reliability
        report.belongingToUnusableRows = truth.entries.count { entry in
            entry.messageRowID.map { messageByRow[$0] == nil } ?? false
        }
        return report
    }
}

extension EvaluationReport.Metrics {
    mutating func record(belongs: Bool, links: Int, correct: Int, wrong: Int) {
        files += 1
        if belongs { belonging += 1 }
        self.links += links
        self.correct += correct
        self.wrong += wrong
        if belongs && correct == 0 { missed += 1 }
    }
}
