/// What a match run decided, with the reasons: the value a dry run prints, `apply` writes and
/// `evaluate` scores.
public struct MatchPlan: Sendable, Encodable {
    /// The thresholds the decisions were made with.
    public var thresholds: Thresholds
    /// What calibration found, per instance.
    public var calibration: [CalibrationReport]
    /// Files linked to messages.
    public var links: [Link]
    /// Pairs that need a person: good enough to consider, not clear enough to link.
    public var reviews: [Review]
    /// Files left alone, with why.
    public var unmatched: [UnmatchedFile]
    /// Existing `localPath` values checked against the evidence.
    public var claims: [ClaimCheck]
    /// How much work blocking and scoring did.
    public var work: Work

    public init(
        thresholds: Thresholds,
        calibration: [CalibrationReport] = [],
        links: [Link] = [],
        reviews: [Review] = [],
        unmatched: [UnmatchedFile] = [],
        claims: [ClaimCheck] = [],
        work: Work = Work()
    ) {
        self.thresholds = thresholds
        self.calibration = calibration
        self.links = links
        self.reviews = reviews
        self.unmatched = unmatched
        self.claims = claims
        self.work = work
    }

    /// What a decision needs: the probability of a link and of a review, and what follows from
    /// them in bits.
    public struct Thresholds: Sendable, Hashable, Codable {
        /// A file is linked when the probability that its best candidate is its message reaches this.
        public var targetPrecision: Double
        /// Below that, shown for review from this probability.
        public var reviewProbability: Double
        /// Derived: the score (log2 odds against "none of these") a lone candidate needs to be
        /// linked, and how far a link must beat an equal rival; both log2(p / (1 − p)).
        public var floor: Double
        public var margin: Double

        public init(targetPrecision: Double, reviewProbability: Double) {
            self.targetPrecision = targetPrecision
            self.reviewProbability = reviewProbability
            let bits = log2(targetPrecision / (1 - targetPrecision))
            self.floor = bits.rounded(toPlaces: 3)
            self.margin = bits.rounded(toPlaces: 3)
        }
    }

    /// A file linked to a message.
    public struct Link: Sendable, Hashable, Encodable {
        /// `core_mensagem.id`.
        public var messageRowID: Int64
        /// The file's path relative to the media root.
        public var file: String
        /// Byte-identical re-downloads of the same file, reported instead of linked.
        public var duplicates: [String]
        public var score: Double
        /// The probability that the file is this message's: its share against its other
        /// candidates and "none of these", less the claims of other files on the message.
        public var probability: Double
        /// How far the link beats the best alternative for its file or its message; `nil` when
        /// it had none.
        @Nullable public var margin: Double?
        /// The best alternative, if there was one.
        @Nullable public var runnerUp: Candidate?
        /// The identifier tier that carried the link (`content_hash`, `filename_hash_prefix`) or `fuzzy`.
        public var tier: String
        /// How the score was built; `nil` when the run was asked not to explain links.
        public var waterfall: Waterfall?

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case file, duplicates, score, probability, margin, runnerUp, tier, waterfall
        }
    }

    /// A pair shown for review, with its competitors.
    public struct Review: Sendable, Hashable, Encodable {
        public enum Reason: String, Sendable, Hashable, Codable {
            /// A rival (another message for the file, or another file for the message) keeps the
            /// probability below the target.
            case ambiguous
            /// No rival, but the evidence is too thin to reach the target.
            case belowTarget = "below_target"
        }

        public var file: String
        public var messageRowID: Int64
        public var reason: Reason
        public var score: Double
        public var probability: Double
        @Nullable public var margin: Double?
        /// The pair and its competitors, best first.
        public var candidates: [Candidate]

        enum CodingKeys: String, CodingKey {
            case file
            case messageRowID = "message_id"
            case reason, score, probability, margin, candidates
        }
    }

    /// One scored pair, as shown beside a decision.
    public struct Candidate: Sendable, Hashable, Encodable {
        public var file: String
        public var messageRowID: Int64
        public var score: Double
        /// The probability, on the file's side, that the file is this message's.
        public var probability: Double?
        public var waterfall: Waterfall?

        public init(file: String, messageRowID: Int64, score: Double, probability: Double?, waterfall: Waterfall?) {
            self.file = file
            self.messageRowID = messageRowID
            self.score = score
            self.probability = probability
            self.waterfall = waterfall
        }

        enum CodingKeys: String, CodingKey {
            case file
            case messageRowID = "message_id"
            case score, probability, waterfall
        }
    }

    /// A file no message gets, and why.
    public struct UnmatchedFile: Sendable, Hashable, Encodable {
        public var file: String
        public var reason: UnmatchedReason
        /// The best pair it had, if any was scored.
        @Nullable public var best: Candidate?
        /// For `no_candidates`, why blocking found none (`folder_not_a_chat`, `no_time`,
        /// `nothing_in_window`).
        @Nullable public var detail: String?

        public init(file: String, reason: UnmatchedReason, best: Candidate?, detail: String? = nil) {
            self.file = file
            self.reason = reason
            self.best = best
            self.detail = detail
        }
    }

    /// Why a file is left alone.
    public enum UnmatchedReason: String, Sendable, Hashable, Codable, CaseIterable {
        /// Empty, not audio, or unreadable.
        case damaged
        /// A byte-identical re-download of a file that is linked or decided otherwise.
        case duplicate
        /// No client of the database has the file's client folder.
        case unknownClient = "unknown_client"
        /// Several clients fit the file's folders (look-alike names, a shared instance id) and
        /// nothing tells them apart.
        case ambiguousClient = "ambiguous_client"
        /// The instance folder names an instance of another client than the client folder does.
        case instanceOfOtherClient = "instance_of_other_client"
        /// The file's instance has no messages.
        case unknownInstance = "unknown_instance"
        /// Blocking found no message that could be its own.
        case noCandidates = "no_candidates"
        /// Its best pair is too unlikely even for review.
        case unlikely
        /// Its best message went to a better file.
        case outscored
        /// The file is in review.
        case inReview = "in_review"
    }

    /// An existing `localPath` checked against the evidence.
    public struct ClaimCheck: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
            /// The evidence links the same file (or a byte-identical copy).
            case confirmed
            /// The evidence links another file, or gives this file to another message, or vetoes it.
            case contradicted
            /// The path names no file of the store.
            case missingFile = "missing_file"
            /// The evidence neither links nor contradicts it; it is kept.
            case unverified
        }

        public var messageRowID: Int64
        public var localPath: String
        public var status: Status
        /// The file the evidence links to this message instead, if any.
        @Nullable public var proposedFile: String?
        /// The message the evidence gives the claimed file to instead, if any.
        @Nullable public var fileWantedBy: Int64?
        public var detail: String

        enum CodingKeys: String, CodingKey {
            case messageRowID = "message_id"
            case localPath, status, proposedFile, fileWantedBy, detail
        }
    }

    /// How much work the run did.
    public struct Work: Sendable, Hashable, Codable {
        public var partitions = 0
        public var files = 0
        public var messages = 0
        /// Pairs blocking proposed and strategies scored.
        public var scoredPairs = 0
        /// Of those, pairs a veto ended.
        public var vetoedPairs = 0
        /// Connected components the assignment solved, and the largest one's node count.
        public var components = 0
        public var largestComponent = 0
        /// Files whose time window was cut short (no time at all, a crowded chat).
        public var truncatedBlocking = 0
        /// Files blocking found no candidate for, by reason.
        public var noCandidates: [String: Int] = [:]

        public init() {}
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
