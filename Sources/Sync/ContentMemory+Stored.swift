import Foundation
import MatchEngine

/// ``ContentMemory`` as bytes, for a sync to keep between runs (``AdditionsBase``): a JSON header
/// for what is small (per instance its derivations, calibration, weights and client) and flat
/// little-endian tables for the counts, which at a million rows hold millions of entries (JSON
/// would take seconds to read back; these take tenths).
///
/// Only a memory with nothing pending is stored: what a whole load leaves. Rows read after it are
/// read again by the run that restores it.
extension ContentMemory {
    private struct Header: Codable {
        struct InstanceHeader: Codable {
            var id: String
            var derivations: [HashDerivation]
            var calibration: InstanceCalibration?
            var weights: WeightsReport?
            var countedThrough: Int64
            var client: Int64?
        }
        var version = 1
        var readThrough: Int64
        var instances: [InstanceHeader]
        var clientWide: [Int64]
        var clientWideNamed: [Int64]
    }

    /// The stored bytes, or `nil` when rows are pending (not a whole load's memory).
    func stored() -> [UInt8]? {
        guard isReady, pending.isEmpty else { return nil }
        let ids = instances.keys.sorted()
        let header = Header(
            readThrough: readThrough,
            instances: ids.map { id in
                let entry = instances[id]!
                return .init(
                    id: id, derivations: entry.derivations, calibration: entry.calibration, weights: entry.weights,
                    countedThrough: entry.countedThrough, client: entry.client)
            },
            clientWide: clientWide.keys.sorted(), clientWideNamed: clientWideNamed.keys.sorted())
        guard let json = try? JSONEncoder().encode(header) else { return nil }
        var writer = TableWriter()
        writer.integer(UInt64(json.count))
        writer.bytes.append(contentsOf: json)
        for id in ids {
            let entry = instances[id]!
            writer.counts(entry.declared)
            writer.counts(entry.named)
            writer.keys(entry.claimed)
            writer.keys(entry.planned)
        }
        for client in header.clientWide { writer.counts(clientWide[client]!) }
        for client in header.clientWideNamed { writer.counts(clientWideNamed[client]!) }
        return writer.bytes
    }

    /// What ``stored()`` wrote, or `nil` for bytes of another version or cut short.
    init?(stored bytes: [UInt8]) {
        var reader = TableReader(bytes: bytes)
        guard let length = reader.integer(), let json = reader.take(Int(length)),
            let header = try? JSONDecoder().decode(Header.self, from: Data(json)), header.version == 1
        else { return nil }
        self.init()
        for entry in header.instances {
            var instance = Instance()
            instance.derivations = entry.derivations
            instance.calibration = entry.calibration
            instance.weights = entry.weights
            instance.countedThrough = entry.countedThrough
            instance.client = entry.client
            guard let declared = reader.counts(), let named = reader.counts(), let claimed = reader.keys(),
                let planned = reader.keys()
            else { return nil }
            instance.declared = declared
            instance.named = named
            instance.claimed = claimed
            instance.planned = planned
            instances[entry.id] = instance
        }
        for client in header.clientWide {
            guard let counts = reader.counts() else { return nil }
            clientWide[client] = counts
        }
        for client in header.clientWideNamed {
            guard let counts = reader.counts() else { return nil }
            clientWideNamed[client] = counts
        }
        guard reader.isAtEnd else { return nil }
        readThrough = header.readThrough
        isReady = true
    }
}

/// Little-endian integers and tables, appended: the stored forms of ``ContentMemory`` and
/// ``AdditionsBase``.
struct TableWriter {
    var bytes: [UInt8] = []

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func counts(_ table: [UInt64: Int32]) {
        integer(UInt64(table.count))
        bytes.reserveCapacity(bytes.count + table.count * 12)
        for (key, count) in table {
            integer(key)
            withUnsafeBytes(of: count.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    mutating func keys(_ set: Set<UInt64>) {
        integer(UInt64(set.count))
        bytes.reserveCapacity(bytes.count + set.count * 8)
        for key in set { integer(key) }
    }
}

/// What ``TableWriter`` wrote, read back; each read is `nil` when the bytes are cut short.
struct TableReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    /// The bytes not read yet.
    var rest: ArraySlice<UInt8> { bytes[offset...] }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func integer() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        defer { offset += 8 }
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }

    mutating func counts() -> [UInt64: Int32]? {
        guard let count = integer().map(Int.init), count >= 0, bytes.count - offset >= count * 12 else { return nil }
        var table: [UInt64: Int32] = [:]
        table.reserveCapacity(count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let at = offset + index * 12
                let key = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                table[key] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: Int32.self))
            }
        }
        offset += count * 12
        return table
    }

    mutating func keys() -> Set<UInt64>? {
        guard let count = integer().map(Int.init), count >= 0, bytes.count - offset >= count * 8 else { return nil }
        var set = Set<UInt64>(minimumCapacity: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                set.insert(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + index * 8, as: UInt64.self)))
            }
        }
        offset += count * 8
        return set
    }
}
