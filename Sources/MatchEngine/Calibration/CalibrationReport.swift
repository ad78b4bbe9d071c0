/// What calibration found for one instance, and how sure it is.
public struct CalibrationReport: Sendable, Hashable, Codable {
    /// Where an estimate came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Estimated from this instance's data.
        case detected
        /// Too little support here; taken from all instances together.
        case global
        /// Set by the profile.
        case pinned
        /// Not enough support anywhere; the engine goes without.
        case undetermined
    }

    public var clientFolder: String
    public var instanceID: String
    /// The calibration in force for the instance.
    public var calibration: InstanceCalibration
    /// Files whose names carry a `HASH8` token, examined for the derivation.
    public var tokenFiles: Int
    /// For each derivation, how many of those files name a message of their chat under it.
    public var derivationHits: [String: Int]
    public var derivationSource: Source
    /// Files tied to one message by an identifier, whose times the offset was estimated from.
    public var anchoredPairs: Int
    /// How many anchored pairs fall in the live-download window under the chosen offset.
    public var offsetSupport: Int
    public var offsetSource: Source
    /// Anchors by what tied them (`token`, `content_hash`, `size`).
    public var anchors: [String: Int] = [:]
    /// How many anchors put the mtime clock where it is.
    public var mtimeOffsetSupport = 0
    /// How many anchored files of the own-number folder belong to the phone's notes in other chats.
    public var ownNumberSupport = 0
    /// The starts of the instance's scheduled download runs (``ScheduledRuns``), as name-clock
    /// times of the day (`HH:MM:SS`), with the days each was seen on.
    public var scheduledRunStarts: [String: Int] = [:]
    /// The weights the instance was scored with, estimated from its pairs; `nil` before scoring.
    public var weights: WeightsReport?

    enum CodingKeys: String, CodingKey {
        case clientFolder
        case instanceID = "instance"
        case calibration, tokenFiles, derivationHits, derivationSource, anchoredPairs, offsetSupport, offsetSource
        case anchors, mtimeOffsetSupport, ownNumberSupport, scheduledRunStarts, weights
    }
}

/// The evidence weights an instance was scored with: per strategy level, the profile's bits and
/// the estimate beside them, with m and u.
public struct WeightsReport: Sendable, Hashable, Codable {
    public struct Level: Sendable, Hashable, Codable {
        public var strategy: String
        public var level: String
        public var profileBits: Double
        public var bits: Double
        /// `nil` when the bits were not estimated.
        public var m: Double?
        public var u: Double?
    }

    /// Whether the bits were estimated from the instance's pairs.
    public var estimated: Bool
    /// The share of files that belong to no message.
    public var orphanShare: Double
    /// Expected true pairs behind each strategy's m.
    public var support: [String: Double]
    public var levels: [Level]

    init(_ weights: EvidenceWeights, support: [Double], strategies: [ConfiguredStrategy]) {
        estimated = weights.m != nil
        orphanShare = weights.orphanShare.rounded(toPlaces: 4)
        self.support = Dictionary(
            uniqueKeysWithValues: zip(strategies, support).map { ($0.identifier, $1.rounded(toPlaces: 1)) })
        levels = strategies.enumerated().flatMap { index, strategy in
            strategy.levels.enumerated().map { level, setting in
                Level(
                    strategy: strategy.identifier,
                    level: setting.identifier,
                    profileBits: weights.profileBits[index][level],
                    bits: weights.bits[index][level].rounded(toPlaces: 3),
                    m: weights.m.map { $0[index][level].rounded(toPlaces: 6) },
                    u: weights.u.map { $0[index][level].rounded(toPlaces: 8) }
                )
            }
        }
    }
}
