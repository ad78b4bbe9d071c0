/// What the engine believes about one instance's downloader: how it derived `HASH8` from the
/// message id and how its file-name clock relates to UTC.
public struct InstanceCalibration: Sendable, Hashable, Codable {
    /// The derivations in use, most supported first. Empty when undetermined: every derivation is
    /// then tried, and a match counts for less.
    public var hashDerivations: [HashDerivation]
    /// File-name time minus UTC, in seconds (−10800 for a server on UTC−03:00; −10740 when its
    /// clock is also a minute fast); `nil` when undetermined.
    public var clockOffset: Int64?
    /// mtime minus UTC, in seconds (the server clock's error); `nil` when mtimes do not follow
    /// downloads (copied files) or too few files tell.
    public var mtimeOffset: Int64?
    /// The chat folder where this instance's downloader files what the connected phone itself sent
    /// (the instance's own number), when calibration found one.
    public var ownNumberFolder: String?

    public init(
        hashDerivations: [HashDerivation], clockOffset: Int64?, mtimeOffset: Int64? = nil,
        ownNumberFolder: String? = nil
    ) {
        self.hashDerivations = hashDerivations
        self.clockOffset = clockOffset
        self.mtimeOffset = mtimeOffset
        self.ownNumberFolder = ownNumberFolder
    }

    /// Nothing known.
    public static let uncalibrated = InstanceCalibration(hashDerivations: [], clockOffset: nil)

    /// The usual deployment, for examples: `HASH8` is the id's first 8 characters; the server runs
    /// on America/Sao_Paulo time (UTC−03:00).
    public static let example = InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: -3 * 3600)

    enum CodingKeys: String, CodingKey {
        case hashDerivations = "hash_derivations"
        case clockOffset = "clock_offset_seconds"
        case mtimeOffset = "mtime_offset_seconds"
        case ownNumberFolder = "own_number_folder"
    }
}
