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

    enum CodingKeys: String, CodingKey {
        case clientFolder
        case instanceID = "instance"
        case calibration, tokenFiles, derivationHits, derivationSource, anchoredPairs, offsetSupport, offsetSource
    }
}
