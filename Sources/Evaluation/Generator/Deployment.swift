import Crypto
import Foundation
import MatchEngine

/// How one deployment of the CRM behaves: its downloader's clocks and naming, its gateway's
/// fields, how often it back-fills, transcodes or files notes under its own number.
///
/// `generate --defects` fixes these shares (``fixed(_:)``: the same store as ever for a seed);
/// `generate --world` draws a whole deployment from the seed (``draw(seed:)``), so that accuracy
/// is measured over many worlds rather than tuned on one. The draw is written beside the truth
/// file as `world.json`.
public struct Deployment: Sendable, Codable, Equatable {
    /// Whether the shares were drawn (`--world`) or fixed by `--defects`.
    public var drawn = false

    // MARK: Ids

    /// Shares of message ids in each shape: WhatsApp Web (`3EB0…`, only 4 random hex digits in
    /// the first 8), iOS (`3A…`) and Android (32 hex digits). `nil`: the fixed 2:1:1 mix.
    public var webIDShare: Double?
    public var iosIDShare: Double?
    /// Messages given an id sharing its first and last 8 characters with another of their chat.
    public var collisionShare = 0.0

    // MARK: The downloader

    /// Whether instances name files by one of the known derivations only (`false`: some by one
    /// audiosync does not know).
    public var unknownDerivations = false
    /// Whether instances use other derivations than `id[:8]`, and other zones than UTC−03:00.
    public var variedDerivations = false
    public var variedZones = false
    /// The largest error of an instance's server clock, in seconds, either way (0: exact).
    public var maxClockSkew: Int64 = 0
    /// Live downloads land 1 s plus an exponential delay of this mean after the row's insert.
    public var meanLiveDelay = 9.5
    /// Live rows whose file a back-fill run downloaded hours to weeks later, in runs that fetch
    /// a folder's files in the order of their rows.
    public var lateDownloadShare = 0.0
    /// Rows of history imports: inserted minutes to weeks after the send, their file fetched
    /// seconds to minutes after the insert.
    public var historyImportShare = 0.0
    /// Of history-import rows, those without `messageTimestamp`.
    public var historyWithoutTimestampShare = 0.5
    /// Files stored as an MP3 or M4A transcode while the row keeps the original's hash, size and
    /// mimetype.
    public var transcodeShare = 0.0
    /// Of the connected phone's own notes (`from_me`), those filed under the instance's own number.
    public var ownNumberShare = 0.0
    /// Files whose mtime is a later copy's (a restore), not the download's.
    public var mtimeCopyShare = 0.0

    // MARK: Defect shares (the `--defects` ones)

    public var fullIDShare = 0.0
    public var backfillShare = 0.0
    public var redownloadShare = 0.0
    public var forwardedShare = 0.0
    public var orphanShare = 0.0
    public var damagedShare = 0.0
    public var lyingExtensionShare = 0.0
    public var ninthDigitShare = 0.0
    public var jidVariantShare = 0.0
    public var groupShare = 0.0
    public var missingSecondsShare = 0.0
    public var roundedSecondsShare = 0.0
    public var missingHashesShare = 0.0
    public var gatewayFormatShare = 0.0
    public var nonJSONShare = 0.0
    public var insertTimeShare = 0.0
    public var missingMessageIDShare = 0.0
    public var staleLocalPathShare = 0.0
    public var otherNamesShare = 0.0
    public var accents = false

    public init() {}

    /// The fixed shares of `generate --defects` (see `docs/generator.md`).
    public static func fixed(_ defects: Set<Defect>) -> Deployment {
        var world = Deployment()
        func share(_ defect: Defect, _ value: Double) -> Double { defects.contains(defect) ? value : 0 }
        world.variedDerivations = defects.contains(.hash8Derivations)
        world.variedZones = defects.contains(.clockOffset)
        world.fullIDShare = share(.fullIDNames, 0.05)
        world.backfillShare = share(.backfill, 0.25)
        world.redownloadShare = share(.redownload, 0.05)
        world.forwardedShare = share(.forwarded, 1.0 / 30)
        world.orphanShare = share(.orphans, 0.05)
        world.damagedShare = share(.damaged, 0.02)
        world.lyingExtensionShare = share(.lyingExtension, 0.03)
        world.ninthDigitShare = share(.ninthDigit, 0.3)
        world.jidVariantShare = share(.jidVariants, 0.5)
        world.groupShare = share(.groupSenderFolders, 0.1)
        world.missingSecondsShare = share(.missingSeconds, 0.08)
        world.roundedSecondsShare = share(.roundedSeconds, 0.1)
        world.missingHashesShare = share(.missingHashes, 0.25)
        world.gatewayFormatShare = share(.gatewayFormats, 0.5)
        world.nonJSONShare = share(.nonJSON, 0.02)
        world.insertTimeShare = share(.insertTime, 0.25)
        world.missingMessageIDShare = share(.missingMessageID, 0.1)
        world.collisionShare = share(.prefixCollisions, 0.03)
        world.staleLocalPathShare = share(.staleLocalPath, 0.04)
        world.otherNamesShare = share(.otherNames, 0.02)
        world.accents = defects.contains(.accents)
        return world
    }

    /// A deployment drawn from `seed`: every share from its range, some classes switched on for
    /// only some deployments, as real ones differ.
    public static func draw(seed: UInt64) -> Deployment {
        var random = SeededRandom(seed: seed ^ 0x57_4F52_4C44)  // "WORLD"
        func uniform(_ low: Double, _ high: Double) -> Double {
            low + Double(random.next() >> 11) / Double(1 << 53) * (high - low)
        }
        func sometimes(_ p: Double, _ low: Double, _ high: Double) -> Double {
            random.chance(p) ? uniform(low, high) : 0
        }
        var world = Deployment()
        world.drawn = true
        world.webIDShare = uniform(0, 0.7)
        world.iosIDShare = uniform(0, 1 - world.webIDShare!) * 0.6
        world.collisionShare = uniform(0, 0.05)
        world.unknownDerivations = random.chance(0.3)
        world.variedDerivations = true
        world.variedZones = true
        world.maxClockSkew = Int64(uniform(0, 120))
        world.meanLiveDelay = uniform(2, 30)
        world.lateDownloadShare = sometimes(0.6, 0.02, 0.3)
        world.historyImportShare = sometimes(0.7, 0.05, 0.8)
        world.historyWithoutTimestampShare = uniform(0, 0.8)
        world.transcodeShare = sometimes(0.35, 0.05, 0.4)
        world.ownNumberShare = sometimes(0.35, 0.3, 1)
        world.mtimeCopyShare = sometimes(0.25, 0.05, 0.4)
        world.fullIDShare = sometimes(0.3, 0.01, 0.1)
        world.backfillShare = 0  // the late downloads and history imports above are the real back-fills
        world.redownloadShare = uniform(0, 0.08)
        world.forwardedShare = uniform(0, 0.05)
        world.orphanShare = uniform(0.01, 0.1)
        world.damagedShare = uniform(0, 0.04)
        world.lyingExtensionShare = sometimes(0.4, 0.01, 0.05)
        world.ninthDigitShare = uniform(0, 0.5)
        world.jidVariantShare = uniform(0, 0.8)
        world.groupShare = uniform(0.03, 0.2)
        world.missingSecondsShare = sometimes(0.5, 0.01, 0.3)
        world.roundedSecondsShare = random.chance(0.2) ? 1 : sometimes(0.3, 0.02, 0.15)
        world.missingHashesShare = uniform(0, 0.6)
        world.gatewayFormatShare = uniform(0, 1)
        world.nonJSONShare = uniform(0, 0.03)
        world.insertTimeShare = 0  // history imports model the insert time
        world.missingMessageIDShare = uniform(0, 0.15)
        world.staleLocalPathShare = uniform(0, 0.06)
        world.otherNamesShare = sometimes(0.6, 0.01, 0.1)
        world.accents = random.chance(0.7)
        return world
    }
}

/// How an instance's downloader turned ids into `HASH8`: one of the derivations audiosync knows,
/// or one it does not (a deployment's own choice, which only the generator knows).
enum TokenDerivation: Sendable, Hashable, Codable {
    case known(HashDerivation)
    /// The first 8 hex digits of SHA-512 of the id.
    case sha512
    /// The first 8 hex digits of MD5 of the lower-cased id.
    case md5OfLowercase
    /// The CRC-32 of the id, 8 hex digits.
    case crc32

    static let unknown: [TokenDerivation] = [.sha512, .md5OfLowercase, .crc32]

    var name: String {
        switch self {
        case let .known(derivation): derivation.rawValue
        case .sha512: "unknown_sha512"
        case .md5OfLowercase: "unknown_md5_lowercase"
        case .crc32: "unknown_crc32"
        }
    }

    var isKnown: Bool {
        if case .known = self { return true }
        return false
    }

    /// The 8 upper-case characters of a file name for `id`.
    func token(of id: String) -> String {
        switch self {
        case let .known(derivation): return derivation.token(of: id)
        case .sha512: return hex8(Array(SHA512.hash(data: Array(id.utf8))))
        case .md5OfLowercase: return HashDerivation.md5.token(of: id.lowercased())
        case .crc32:
            let value = CRC32.checksum(Array(id.utf8))
            return hex8((0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) })
        }
    }

    private func hex8(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        var out = ""
        for byte in bytes.prefix(4) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return out
    }
}

/// CRC-32 (IEEE), for a derivation audiosync does not know.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
