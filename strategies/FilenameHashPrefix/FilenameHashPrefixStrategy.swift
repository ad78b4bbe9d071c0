import Foundation
public import MatchEngine

/// Does the token in the file name come from the message's WhatsApp id? Under the derivation
/// calibration found for the instance (`id[:8]`, `id[-8:]`, MD5/SHA-1/SHA-256 prefixes), or the
/// full id in a `wapi_` name. A file named outside the span of time the derivation was seen in use
/// is compared as in an instance whose derivation is unknown.
public struct FilenameHashPrefixStrategy: Strategy {
    public enum Level: String, EvidenceLevel {
        case fullID = "full_id"
        case fullIDMismatch = "full_id_mismatch"
        case hash8
        case hash8Uncalibrated = "hash8_uncalibrated"
        case hash8OtherDerivation = "hash8_other_derivation"
        case mismatch
        case mismatchUncalibrated = "mismatch_uncalibrated"

        public var defaultBits: Double {
            switch self {
            case .fullID: 30
            case .fullIDMismatch: -20
            // 8 hex characters: 1 in 4 billion by chance for hashes; `3EB0…` ids share their
            // first 4, leaving about 1 in 65 thousand. Within one chat that is near-certain.
            case .hash8: 14
            case .hash8Uncalibrated: 8
            case .hash8OtherDerivation: 2
            case .mismatch: -12
            case .mismatchUncalibrated: -3
            }
        }

        public var effect: EvidenceEffect {
            switch self {
            case .fullID: .confirm
            case .fullIDMismatch: .contradict
            // Another message's token under the instance's own derivation: identical bytes then
            // say "a copy of that message's note" (a forward) as much as "this message's file".
            case .mismatch: .doubt
            default: .none
            }
        }

        // Only under the instance's derivation: an uncalibrated or other-derivation hit may be chance.
        public var isAnchor: Bool { self == .hash8 || self == .fullID }

        public var summary: String {
            switch self {
            case .fullID: "the file name holds the message's full id"
            case .fullIDMismatch: "the file name holds another message's full id"
            case .hash8: "HASH8 matches the id under the instance's derivation"
            case .hash8Uncalibrated: "HASH8 matches the id under some derivation (instance not calibrated)"
            case .hash8OtherDerivation: "HASH8 matches the id only under a derivation the instance does not use"
            case .mismatch: "HASH8 does not match the id under the instance's derivation"
            case .mismatchUncalibrated: "HASH8 does not match the id under any derivation"
            }
        }
    }

    public static let description = StrategyDescription(
        identifier: "filename_hash_prefix",
        name: "File name hash prefix",
        summary:
            "Compares the file name's token with the message id under the calibrated HASH8 derivation or as a full id.",
        tier: .identifier,
        // Hash tokens are the first 8 hex digits as Python's hashlib gives them for the id
        // `3EB0C767D0D1E2F3A4B5`: MD5 6A9EA3A6, SHA-1 892EE0B5, SHA-256 2116048F.
        examples: [
            StrategyExample(.example(token: "9D07958D"), .example(id: "9D07958D2C41A7E05B3F"), expect: "hash8"),
            StrategyExample(.example(token: "9D07958D"), .example(id: "9d07958d2c41a7e05b3f"), expect: "hash8"),
            StrategyExample(.example(token: "9D07958D"), .example(id: "3EB0C767D0D1E2F3A4B5"), expect: "mismatch"),
            StrategyExample(
                .example(token: "D0D1E2F3"),
                .example(id: "3EB0C767D0D1E2F3"),
                calibration: InstanceCalibration(hashDerivations: [.idSuffix], clockOffset: nil),
                expect: "hash8"
            ),
            StrategyExample(
                .example(token: "6A9EA3A6"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: InstanceCalibration(hashDerivations: [.md5], clockOffset: nil),
                expect: "hash8"
            ),
            StrategyExample(
                .example(token: "2116048F"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: .uncalibrated,
                expect: "hash8_uncalibrated"
            ),
            StrategyExample(
                .example(token: "892EE0B5"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                expect: "hash8_other_derivation"
            ),
            StrategyExample(
                .example(token: "892EE0B5"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                configuration: "try_other_derivations: false",
                expect: "mismatch"
            ),
            StrategyExample(
                .example(token: "ABCDEF12"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: .uncalibrated,
                expect: "mismatch_uncalibrated"
            ),
            // Named after the last file the instance's derivation names (2025-07-01 00:00:00): the
            // downloader changed how it names files.
            StrategyExample(
                .example(token: "ABCDEF12"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: InstanceCalibration(
                    hashDerivations: [.idPrefix], clockOffset: nil,
                    derivationSpan: DerivationSpan(from: nil, to: 1_751_328_000)),
                expect: "mismatch_uncalibrated"
            ),
            StrategyExample(
                .example(token: "3EB0C767"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: InstanceCalibration(
                    hashDerivations: [.idPrefix], clockOffset: nil,
                    derivationSpan: DerivationSpan(from: nil, to: 1_751_328_000)),
                expect: "hash8"
            ),
            StrategyExample(
                .example(token: "ABCDEF12"),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                calibration: InstanceCalibration(
                    hashDerivations: [.idPrefix], clockOffset: nil,
                    derivationSpan: DerivationSpan(from: nil, to: 1_767_225_600)),
                expect: "mismatch"
            ),
            StrategyExample(
                .example(token: "3EB0C767D0D1E2F3A4B5", tokenKind: .fullID),
                .example(id: "3EB0C767D0D1E2F3A4B5"),
                expect: "full_id"
            ),
            StrategyExample(
                .example(token: "3EB0C767D0D1E2F3A4B5", tokenKind: .fullID),
                .example(id: "3EB0C767D0D1E2F3A4B6"),
                expect: "full_id_mismatch"
            ),
            StrategyExample(.example(token: nil), .example(), expect: nil),
            StrategyExample(.example(), .example(id: nil), expect: nil),
        ],
        configurationExamples: [
            .decodes(
                "try_other_derivations: false",
                to: FilenameHashPrefixConfiguration.with { $0.tryOtherDerivations = false }
            ),
            .rejects(
                "try_other_derivations: sometimes", naming: "try_other_derivations", saying: "expected true or false"),
        ]
    )

    public let configuration: FilenameHashPrefixConfiguration

    public init(configuration: FilenameHashPrefixConfiguration) {
        self.configuration = configuration
    }

    public func compare(_ file: AudioFile, _ message: AudioMessage, in context: ScoringContext) -> Finding<Level>? {
        guard let token = file.name.token, let kind = file.name.tokenKind, let id = message.whatsappID else {
            return nil
        }
        if kind == .fullID {
            let same = token.utf8.count == id.utf8.count && token.uppercased() == id.uppercased()
            return Finding(same ? .fullID : .fullIDMismatch)
        }
        let calibrated = context.calibration.hashDerivations
        // The instance's index says when this message gives the token under no derivation in use
        // (every candidate but the file's own), which spares hashing its id to find it does not;
        // the answer is the same.
        let packed = HashDerivation.pack(token)
        let mayBeInUse = context.population?.mayBeToken(packed, ofRow: message.rowID) ?? true
        if calibrated.isEmpty {
            return uncalibrated(token, id: id, among: HashDerivation.allCases, mayMatch: mayBeInUse, context)
        }
        if mayBeInUse, let derivation = calibrated.first(where: { $0.matches(token: token, id: id) }) {
            return Finding(.hash8, chance: chance(token, id: id, derivation, context))
        }
        // Named before or after the instance's derivations were in use (its downloader changed how
        // it names files): what the name does not match says no more than in an instance whose
        // derivation is unknown.
        if !context.calibration.derivationsHold(atName: file.name.time?.secondsSinceEpoch) {
            return uncalibrated(
                token, id: id, among: HashDerivation.allCases.filter { !calibrated.contains($0) },
                mayMatch: context.population?.mayBeOtherToken(packed) ?? true, context)
        }
        if configuration.tryOtherDerivations, context.population?.mayBeOtherToken(packed) ?? true {
            let other = HashDerivation.allCases.contains { derivation in
                !calibrated.contains(derivation) && derivation.matches(token: token, id: id)
            }
            if other { return Finding(.hash8OtherDerivation) }
        }
        return Finding(.mismatch)
    }

    /// The finding where the instance's derivation is not known for the file: a hit under any of
    /// `derivations` counts for less, and a mismatch casts no doubt. `mayMatch` false: the index
    /// knows no message gives the token under them.
    private func uncalibrated(
        _ token: String, id: String, among derivations: [HashDerivation], mayMatch: Bool, _ context: ScoringContext
    ) -> Finding<Level> {
        guard mayMatch, let derivation = derivations.first(where: { $0.matches(token: token, id: id) }) else {
            return Finding(.mismatchUncalibrated)
        }
        return Finding(.hash8Uncalibrated, chance: chance(token, id: id, derivation, context))
    }

    /// How likely a message that is not the file's carries the same `HASH8`: the other messages
    /// of the instance that do (term frequency), and at least what the token's random bits leave
    /// to chance — a WhatsApp Web id (`3EB0…`) has only 16 random bits in its first 8 characters.
    private func chance(_ token: String, id: String, _ derivation: HashDerivation, _ context: ScoringContext) -> Double?
    {
        guard let population = context.population, population.messageCount > 0 else { return nil }
        let others = max(0, population.messagesSharing(token: HashDerivation.pack(token)) - 1)
        let bits = Self.randomBits(of: id, under: derivation)
        return max(Double(others) / Double(population.messageCount), exp2(-Double(bits)))
    }

    /// The random bits in the 8 characters a derivation takes from an id: hashes and the end of an
    /// id are random; the start of a Web id (`3EB0`) or an iOS id (`3A`) is not.
    static func randomBits(of id: String, under derivation: HashDerivation) -> Int {
        guard derivation == .idPrefix else { return 32 }
        // The id's first 8 characters, upper-cased and packed (asked per matching pair: no string is built).
        let head = HashDerivation.idPrefix.packedToken(of: id)
        let fixed = fixedStarts.first { head & $0.mask == $0.start }?.characters ?? 0
        return 4 * (8 - fixed)
    }

    /// The starts of ids that are not random, packed as ``HashDerivation/pack(_:)-(String)`` packs a token.
    private static let fixedStarts = [("3EB0", 4), ("BAE5", 4), ("3A", 2)].map { start, characters in
        (start: HashDerivation.pack(start), mask: UInt64.max << (8 * (8 - characters)), characters: characters)
    }
}
