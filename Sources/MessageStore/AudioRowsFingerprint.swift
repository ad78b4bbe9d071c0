/// A fingerprint of what a load would read: the audio rows of the scope, every column the load
/// reads, and the chats they belong to (chat id, client, instance).
///
/// Equal fingerprints mean the same rows with the same values, so a plan made from them would be
/// the same plan. An incremental sync takes one before its load and one after its plan; it trusts
/// a plan to a later run only when the two agree (nobody wrote in between).
public struct AudioRowsFingerprint: Sendable, Hashable, Codable {
    /// Audio rows in the scope.
    public var rows: Int
    /// The largest of their row ids (0 without rows).
    public var highestRowID: Int64
    /// Sixteen hex digits (SQLite: XXH64 of each row's columns, mixed in id order; PostgreSQL: the
    /// sum of each row's MD5 prefix, computed by the server), with the chats' digest.
    public var digest: String
    /// The rows up to an id, summed (``RowsSum``), when asked for: what tells rows added after a
    /// remembered plan from rows changed under it.
    public var sum: RowsSum?
    /// Each chat's hash, by chat row id (``digest`` holds them too): a chat added since a
    /// remembered plan is told from a chat changed under it.
    public var chats: [Int64: UInt64]

    public init(
        rows: Int, highestRowID: Int64, digest: String, sum: RowsSum? = nil, chats: [Int64: UInt64] = [:]
    ) {
        self.rows = rows
        self.highestRowID = highestRowID
        self.digest = digest
        self.sum = sum
        self.chats = chats
    }

    /// Each chat's hash, as ``RowDigest/add(chats:)`` mixes it.
    static func hashes(of chats: [Int64: ChatInfo]) -> [Int64: UInt64] {
        var digest = RowDigest()
        return chats.mapValues { digest.add(chat: $0) }
    }
}

/// The audio rows of a scope up to an id, as a count and a sum of one 64-bit hash a row (SQLite:
/// the row's XXH64 as ``AudioRowsFingerprint/digest`` mixes it; PostgreSQL: its MD5's first 64
/// bits), wrapping.
///
/// Unlike the ordered digest, a sum does not depend on the rows after ``through``: equal sums
/// through the same id mean the same rows up to it, unchanged (a chance of 2⁻⁶⁴ otherwise), however
/// many rows came after.
public struct RowsSum: Sendable, Hashable, Codable {
    public var rows: Int
    public var sum: UInt64
    /// The highest id counted (the limit asked for; the rows up to it may end lower).
    public var through: Int64

    public init(rows: Int = 0, sum: UInt64 = 0, through: Int64) {
        self.rows = rows
        self.sum = sum
        self.through = through
    }

}

/// Mixes row hashes in order into one 64-bit value (an XXH64-style round per row).
struct RowDigest {
    private(set) var value: UInt64 = 0x27D4_EB2F_1656_67C5
    private(set) var rows = 0
    /// Bytes of the row being read.
    private var row: [UInt8] = []

    init() { row.reserveCapacity(1_024) }

    /// Appends one column's value, tagged with its type so `NULL`, `''` and `0` differ.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else {
            row.append(0)
            return
        }
        row.append(1)
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { row.append(contentsOf: $0) }
        row.append(contentsOf: bytes)
    }

    mutating func add(_ integer: Int64) {
        row.append(2)
        withUnsafeBytes(of: integer.littleEndian) { row.append(contentsOf: $0) }
    }

    mutating func add(_ text: String?) {
        guard var text else { return add(nil as UnsafeBufferPointer<UInt8>?) }
        text.withUTF8 { add($0) }
    }

    /// Ends a row: its bytes are hashed and mixed in. Returns the row's hash.
    @discardableResult
    mutating func endRow() -> UInt64 {
        let hash = row.withUnsafeBytes { XXH64.hash($0) }
        value = ((value ^ hash) &* 0x9E37_79B1_85EB_CA87).rotatedLeft(by: 27) &+ 0x85EB_CA77_C2B2_AE63
        rows += 1
        row.removeAll(keepingCapacity: true)
        return hash
    }

    /// The chats, in row-id order, as one more row each.
    mutating func add(chats: [Int64: ChatInfo]) {
        for chat in chats.values.sorted(by: { $0.chatRowID < $1.chatRowID }) { add(chat: chat) }
    }

    /// One chat as a row; returns its hash.
    @discardableResult
    mutating func add(chat: ChatInfo) -> UInt64 {
        add(chat.chatRowID)
        add(chat.chatID)
        add(chat.clientID)
        add(chat.clientName)
        add(chat.instanceID)
        return endRow()
    }

    /// Sixteen lower-case hex digits, as ``ContentFingerprint`` writes its own.
    var hex: String { ContentFingerprint(rawValue: value).description }
}

extension UInt64 {
    fileprivate func rotatedLeft(by bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
