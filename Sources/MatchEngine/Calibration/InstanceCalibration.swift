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
    /// Where the name clock's offset changes (a zone that keeps daylight saving time), in name-time
    /// order: ``clockOffset`` holds before the first. Empty for a clock of one offset.
    public var clockChanges: [ClockChange] = []
    /// The name times between which ``hashDerivations`` were seen in use, when calibration found a
    /// long stretch of files before or after it that none of them names (a downloader that changed
    /// how it names files, to or from a derivation audiosync does not know); `nil`: all of them.
    public var derivationSpan: DerivationSpan?
    /// How the name clock gains or loses (a server clock that no time service corrects):
    /// ``clockOffset`` is its offset at the drift's reference time. `nil`: a steady offset.
    public var clockDrift: ClockDrift?
    /// The same for the mtime clock and ``mtimeOffset``.
    public var mtimeDrift: ClockDrift?

    public init(
        hashDerivations: [HashDerivation], clockOffset: Int64?, mtimeOffset: Int64? = nil,
        ownNumberFolder: String? = nil, clockChanges: [ClockChange] = [], derivationSpan: DerivationSpan? = nil,
        clockDrift: ClockDrift? = nil, mtimeDrift: ClockDrift? = nil
    ) {
        self.hashDerivations = hashDerivations
        self.clockOffset = clockOffset
        self.mtimeOffset = mtimeOffset
        self.ownNumberFolder = ownNumberFolder
        self.clockChanges = clockChanges
        self.derivationSpan = derivationSpan
        self.clockDrift = clockDrift
        self.mtimeDrift = mtimeDrift
    }

    /// Whether ``hashDerivations`` held when a file was named at `name` (its name time, the wall
    /// clock read as UTC): outside ``derivationSpan`` the instance's derivation is not known, and
    /// a token that does not match says nothing against a message. A file without a name time is
    /// taken to be inside.
    public func derivationsHold(atName name: Int64?) -> Bool {
        guard let span = derivationSpan, let name else { return true }
        return span.contains(name)
    }

    /// The offset of a name reading `name` (its wall-clock time as if it were UTC): ``clockOffset``,
    /// or the one a change set from then on; `nil` when undetermined, or when the name falls
    /// between the last anchor before a change and the first after it, where either may hold.
    public func clockOffset(atName name: Int64) -> Int64? {
        // Calibration reads a drift only for a clock without changes: the two never come together.
        if let clockDrift, let clockOffset { return clockOffset + clockDrift.seconds(at: name) }
        var offset = clockOffset
        for change in clockChanges {
            if name <= change.after { return offset }
            if name < change.from { return nil }
            offset = change.offset
        }
        return offset
    }

    /// When a file was written, in seconds since 1970 (UTC): its name's time at the name clock's
    /// offset there, or else (with `useMtime`) its mtime less the mtime's offset. `nil` when the
    /// name's offset is unknown (it could be 14 hours either way: no evidence, not a guess) or the
    /// file tells neither. What `timestamp_distance` measures from and `download_order` defers to.
    public func fileTime(of file: AudioFile, useMtime: Bool = true) -> (time: Int64, fromMtime: Bool)? {
        if let name = file.name.time {
            return clockOffset(atName: name.secondsSinceEpoch).map { (name.secondsSinceEpoch - $0, false) }
        }
        guard useMtime, let mtime = file.modificationTime else { return nil }
        return (mtime - (mtimeOffset ?? 0) - (mtimeDrift?.seconds(at: mtime) ?? 0), true)
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
        case clockChanges = "clock_changes"
        case derivationSpan = "hash_derivation_span"
        case clockDrift = "clock_drift"
        case mtimeDrift = "mtime_drift"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hashDerivations = try container.decode([HashDerivation].self, forKey: .hashDerivations)
        clockOffset = try container.decodeIfPresent(Int64.self, forKey: .clockOffset)
        mtimeOffset = try container.decodeIfPresent(Int64.self, forKey: .mtimeOffset)
        ownNumberFolder = try container.decodeIfPresent(String.self, forKey: .ownNumberFolder)
        clockChanges = try container.decodeIfPresent([ClockChange].self, forKey: .clockChanges) ?? []
        derivationSpan = try container.decodeIfPresent(DerivationSpan.self, forKey: .derivationSpan)
        clockDrift = try container.decodeIfPresent(ClockDrift.self, forKey: .clockDrift)
        mtimeDrift = try container.decodeIfPresent(ClockDrift.self, forKey: .mtimeDrift)
    }

    /// Written as before when the clock has one offset: `clock_changes` only when there are some.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hashDerivations, forKey: .hashDerivations)
        try container.encodeIfPresent(clockOffset, forKey: .clockOffset)
        try container.encodeIfPresent(mtimeOffset, forKey: .mtimeOffset)
        try container.encodeIfPresent(ownNumberFolder, forKey: .ownNumberFolder)
        if !clockChanges.isEmpty { try container.encode(clockChanges, forKey: .clockChanges) }
        try container.encodeIfPresent(derivationSpan, forKey: .derivationSpan)
        try container.encodeIfPresent(clockDrift, forKey: .clockDrift)
        try container.encodeIfPresent(mtimeDrift, forKey: .mtimeDrift)
    }
}

/// The name times between which an instance's `HASH8` derivations were seen in use: from the
/// first file they name, when a long run of files before it matches none, to the last, when a long
/// run after it matches none. An open end reaches as far as the files do.
public struct DerivationSpan: Sendable, Hashable, Codable {
    /// The name time (wall clock read as UTC) of the first file named under the derivations.
    public var from: Int64?
    /// The name time of the last.
    public var to: Int64?

    public init(from: Int64?, to: Int64?) {
        self.from = from
        self.to = to
    }

    public func contains(_ name: Int64) -> Bool {
        if let from, name < from { return false }
        if let to, name > to { return false }
        return true
    }

    enum CodingKeys: String, CodingKey {
        case from = "from_name_time"
        case to = "to_name_time"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decodeNameTimeIfPresent(forKey: .from)
        to = try container.decodeNameTimeIfPresent(forKey: .to)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let from { try container.encodeNameTime(from, forKey: .from) }
        if let to { try container.encodeNameTime(to, forKey: .to) }
    }
}

/// A change of a name clock's offset, as a zone keeping daylight saving time makes twice a year.
/// Calibration sees it between two anchors: the last named under the old offset and the first
/// under the new one.
public struct ClockChange: Sendable, Hashable, Codable {
    /// The name time (wall clock read as UTC) of the last anchor under the old offset.
    public var after: Int64
    /// The name time of the first anchor under the new offset, which holds from then on.
    public var from: Int64
    /// The new offset (name time minus UTC, seconds).
    public var offset: Int64

    public init(after: Int64, from: Int64, offset: Int64) {
        self.after = after
        self.from = from
        self.offset = offset
    }

    enum CodingKeys: String, CodingKey {
        case after = "after_name_time"
        case from = "from_name_time"
        case offset = "offset_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        after = try container.decodeNameTime(forKey: .after)
        from = try container.decodeNameTime(forKey: .from)
        offset = try container.decode(Int64.self, forKey: .offset)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNameTime(after, forKey: .after)
        try container.encodeNameTime(from, forKey: .from)
        try container.encode(offset, forKey: .offset)
    }
}

/// A clock that gains or loses at a steady rate: a server whose clock no time service corrects
/// drifts by a second or more a day, minutes over a store's months.
public struct ClockDrift: Sendable, Hashable, Codable {
    /// Seconds the clock gains a day (negative: loses).
    public var secondsPerDay: Double
    /// The clock reading (Unix seconds as the clock reads them) at which the offset it goes with holds.
    public var reference: Int64

    public init(secondsPerDay: Double, reference: Int64) {
        self.secondsPerDay = secondsPerDay
        self.reference = reference
    }

    /// What the clock has gained since ``reference`` by the time it reads `reading`.
    public func seconds(at reading: Int64) -> Int64 {
        Int64((secondsPerDay * Double(reading - reference) / 86_400).rounded())
    }

    enum CodingKeys: String, CodingKey {
        case secondsPerDay = "seconds_per_day"
        case reference = "reference_unix"
    }
}

extension KeyedDecodingContainer {
    /// A name-clock time written `YYYY-MM-DDTHH:MM:SS` (the wall clock read as UTC), in seconds.
    fileprivate func decodeNameTime(forKey key: Key) throws -> Int64 {
        try nameTime(decode(String.self, forKey: key), forKey: key)
    }

    fileprivate func decodeNameTimeIfPresent(forKey key: Key) throws -> Int64? {
        try decodeIfPresent(String.self, forKey: key).map { try nameTime($0, forKey: key) }
    }

    private func nameTime(_ text: String, forKey key: Key) throws -> Int64 {
        guard let time = LocalTime(text: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected YYYY-MM-DDTHH:MM:SS")
        }
        return time.secondsSinceEpoch
    }
}

extension KeyedEncodingContainer {
    /// A name-clock time (seconds, the wall clock read as UTC) written `YYYY-MM-DDTHH:MM:SS`.
    fileprivate mutating func encodeNameTime(_ seconds: Int64, forKey key: Key) throws {
        try encode(LocalTime(secondsSinceEpoch: seconds).iso8601, forKey: key)
    }
}
