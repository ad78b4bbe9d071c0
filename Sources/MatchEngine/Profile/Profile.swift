/// What a match runs with: the precision a link must reach, how evidence weights are estimated,
/// and every strategy with its settings and its bits.
///
/// `strategies/presets/default.yml` spells out exactly ``Profile/init(strategies:)``'s defaults
/// (a test keeps the two equal), so running without a profile and with the default one is the same.
public struct Profile: Sendable {
    /// A file is linked when the probability that its best candidate is its message reaches this.
    public var targetPrecision = 0.999
    /// Below that, its best candidate is shown for review when the probability reaches this.
    public var reviewProbability = 0.5
    /// A confirmed identifier raises a pair's score to at least this (bits).
    public var identifierFloor: Double = 20
    /// A contradicted identifier caps a pair's score at this (bits).
    public var contradictionCap: Double = 0
    /// Whether a file may be linked to a message of another chat (forwarded or group media). Off,
    /// another chat is a veto.
    public var allowCrossChat = false
    /// How the strategies' bits are estimated from each instance's own pairs.
    public var estimation = EstimationSettings()
    /// How candidate pairs are found.
    public var blocking = BlockingSettings()
    /// What calibration may estimate and what is pinned.
    public var calibration = CalibrationSettings()
    /// The strategies in force, in the order of the built-in list.
    public var strategies: [ConfiguredStrategy]

    /// The defaults, with every strategy of `strategies` at its default settings.
    public init(strategies: [any Strategy.Type]) {
        self.strategies = strategies.map { $0.withDefaults() }
    }

    /// The strategy with this identifier, if it is in force.
    public func strategy(_ identifier: String) -> ConfiguredStrategy? {
        strategies.first { $0.identifier == identifier }
    }
}

/// How the bits of each strategy level are estimated per instance (see ``WeightEstimator``).
public struct EstimationSettings: Sendable, Hashable, Codable {
    /// Estimate m and u per instance; off, the profile's bits are used as written.
    public var enabled = true
    /// How many pairs' worth of belief the profile's bits carry against the data.
    public var strength = 20.0
    /// How far an estimate may move from the profile's bits.
    public var boundBits = 8.0
    /// The share of files that belong to no message; `nil`: estimated per instance.
    public var orphanShare: Double?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
        case strength
        case boundBits = "bound_bits"
        case orphanShare = "orphan_share"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self, alsoAllowing: [])
        try container.update(&enabled, .enabled)
        try container.update(&strength, .strength)
        try container.update(&boundBits, .boundBits)
        if let share = try? container.decodeIfPresent(Double.self, forKey: .orphanShare) {
            orphanShare = share
        } else if container.contains(.orphanShare), (try? container.decode(String.self, forKey: .orphanShare)) != "auto"
        {
            throw DecodingError.dataCorruptedError(
                forKey: .orphanShare, in: container, debugDescription: "expected auto or a share like 0.05")
        }
        guard strength >= 0, boundBits >= 0, orphanShare.map { $0 > 0 && $0 < 1 } ?? true else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "strength and bound_bits must not be negative; orphan_share is between 0 and 1")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(strength, forKey: .strength)
        try container.encode(boundBits, forKey: .boundBits)
        if let orphanShare {
            try container.encode(orphanShare, forKey: .orphanShare)
        } else {
            try container.encode("auto", forKey: .orphanShare)
        }
    }
}

/// How the engine finds candidate pairs without scoring every file against every message.
public struct BlockingSettings: Sendable, Hashable, Codable {
    /// How long after a message its file may have been written (back-fill runs come days later).
    public var maxDelayDays: Double = 30
    /// How long before a message's time its file may seem written (clock slack, insert times).
    public var earlyToleranceSeconds: Int64 = 900

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxDelayDays = "max_delay_days"
        case earlyToleranceSeconds = "early_tolerance_seconds"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self, alsoAllowing: [])
        try container.update(&maxDelayDays, .maxDelayDays)
        try container.update(&earlyToleranceSeconds, .earlyToleranceSeconds)
        guard maxDelayDays > 0, earlyToleranceSeconds >= 0 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "windows must not be negative")
            )
        }
    }
}

/// What calibration estimates from the data, and what a profile pins instead.
public struct CalibrationSettings: Sendable, Hashable, Codable {
    /// `nil`: detect per instance. Otherwise the derivations to use everywhere.
    public var hashDerivations: [HashDerivation]?
    /// `nil`: detect per instance. Otherwise file-name time minus UTC, in seconds.
    public var clockOffset: Int64?
    /// How many anchored files an estimate needs before it is trusted.
    public var minimumSupport: Int = 3

    public init(hashDerivations: [HashDerivation]? = nil, clockOffset: Int64? = nil, minimumSupport: Int = 3) {
        self.hashDerivations = hashDerivations
        self.clockOffset = clockOffset
        self.minimumSupport = minimumSupport
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case hashDerivation = "hash_derivation"
        case clockOffset = "clock_offset"
        case minimumSupport = "min_support"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self, alsoAllowing: [])
        try container.update(&minimumSupport, .minimumSupport)
        if let single = try? container.decodeIfPresent(String.self, forKey: .hashDerivation) {
            if single != "auto" {
                guard let derivation = HashDerivation(rawValue: single) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .hashDerivation,
                        in: container,
                        debugDescription: "unknown derivation `\(single)`; use auto or one of "
                            + HashDerivation.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                hashDerivations = [derivation]
            }
        } else if container.contains(.hashDerivation) {
            hashDerivations = try container.decode([HashDerivation].self, forKey: .hashDerivation)
        }
        if let text = try container.decodeIfPresent(String.self, forKey: .clockOffset), text != "auto" {
            guard let seconds = ClockOffset.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .clockOffset,
                    in: container,
                    debugDescription: "expected auto or an offset like -03:00, got `\(text)`"
                )
            }
            clockOffset = seconds
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch hashDerivations {
        case nil: try container.encode("auto", forKey: .hashDerivation)
        case let list?: try container.encode(list, forKey: .hashDerivation)
        }
        try container.encode(clockOffset.map(ClockOffset.format) ?? "auto", forKey: .clockOffset)
        try container.encode(minimumSupport, forKey: .minimumSupport)
    }
}

/// Offsets written as `±HH:MM`.
public enum ClockOffset {
    /// `-03:00` → −10800; `nil` when malformed.
    public static func parse(_ text: String) -> Int64? {
        var rest = Substring(text.trimmingWhitespace())
        var sign: Int64 = 1
        if rest.first == "-" || rest.first == "−" {
            sign = -1
            rest = rest.dropFirst()
        } else if rest.first == "+" {
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let hours = Int64(parts[0]), (0...14).contains(hours) else { return nil }
        let minutes = parts.count == 2 ? Int64(parts[1]) : 0
        guard let minutes, (0...59).contains(minutes) else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// An offset to the second as a zone and a clock error: −10740 → `-03:00, clock 60 s fast`.
    public static func describe(_ seconds: Int64) -> String {
        let zone = (Double(seconds) / 900).rounded() * 900
        let error = seconds - Int64(zone)
        guard error != 0 else { return format(Int64(zone)) }
        return "\(format(Int64(zone))), clock \(abs(error)) s \(error > 0 ? "fast" : "slow")"
    }

    /// −10800 → `-03:00`.
    public static func format(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        return "\(sign)\(pad(Int(magnitude / 3600))):\(pad(Int(magnitude % 3600 / 60)))"
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
