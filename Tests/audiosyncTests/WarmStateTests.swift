import Foundation
import MessageStore
import Strategies
import Testing

@testable import MatchEngine
@testable import Sync

/// An instance's rows read again and compared with its warm plan's (``WarmState/takeUnchanged(_:)``):
/// what a watch does where a row may have changed below the plan's mark, instead of planning the
/// instance whole.
@Suite struct WarmStateTests {
    static let instance = "3B6XIW-ZTS923-GEAY6V"

    /// Ten notes of one chat, a day apart, each with its file.
    static let rows: [AudioMessage] = (0..<10).map { day in
        AudioMessage.example(
            rowID: Int64(100 + day), id: String(format: "3A%06X", 0x10_000 + day) + "C767D0D1E2F3",
            sent: LocalTime(secondsSinceEpoch: 1_754_740_800 + Int64(day) * 86_400).iso8601, seconds: 3 + day)
    }
    static let files: [AudioFile] = (0..<10).map { day in
        AudioFile.example(
            token: String(format: "3A%06X", 0x10_000 + day),
            time: LocalTime(secondsSinceEpoch: 1_754_740_800 + Int64(day) * 86_400 - 10_800 + 3).iso8601,
            duration: Double(3 + day) + 0.4)
    }

    /// The rows as a load gives them; `conteudo`'s fingerprint is the row id unless given.
    static func load(_ rows: [AudioMessage], fingerprints: [Int64: UInt64] = [:]) -> MessageLoad {
        MessageLoad(
            messages: rows,
            fingerprints: rows.map { ContentFingerprint(rawValue: fingerprints[$0.rowID] ?? UInt64($0.rowID)) },
            report: LoadReport())
    }

    /// The instance planned with every file but the last, kept warm with its first nine rows loaded.
    static func state() throws -> WarmState {
        let loaded = Array(rows.prefix(9))
        let (_, kept) = Matcher(profile: .builtInDefault).planKeepingWarm(
            files: Array(files.prefix(9)), messages: loaded)
        let instance = try #require(kept.first)
        let all = load(loaded)
        return WarmState(
            instance: instance, fingerprints: instance.loadPositions.map { all.fingerprints[$0] },
            readThrough: rows[8].rowID)
    }

    @Test("The same rows: unchanged; a row above the mark is left for the next read")
    func sameRows() throws {
        var state = try Self.state()
        #expect(state.takeUnchanged(Self.load(Self.rows)) == nil)
        #expect(state.instance.additions == 0)
    }

    @Test("A row the plan did not see below its mark (committed late, or made an audio row) is taken as a new row")
    func unseenRowTaken() throws {
        var state = try Self.state()
        state.readThrough = Self.rows[9].rowID
        #expect(state.takeUnchanged(Self.load(Self.rows)) == nil)
        #expect(state.instance.additions == 1)
        #expect(state.instance.extraRows.map(\.rowID) == [Self.rows[9].rowID])
    }

    @Test("A row moved to another chat, or gone: changed, and nothing is taken")
    func changedOrGone() throws {
        var moved = Self.rows
        moved[4].chatID = "556988887777@s.whatsapp.net"
        var state = try Self.state()
        state.readThrough = Self.rows[9].rowID
        #expect(state.takeUnchanged(Self.load(moved)) == "row \(Self.rows[4].rowID) changed")
        #expect(state.instance.additions == 0)
        var gone = Self.rows
        gone.remove(at: 2)
        var whole = try Self.state()
        #expect(whole.takeUnchanged(Self.load(gone)) == "1 rows gone")
    }

    @Test("Other bytes of conteudo a plan does not read: unchanged (the write's compare-and-swap sees them)")
    func otherBytes() throws {
        var state = try Self.state()
        #expect(state.takeUnchanged(Self.load(Self.rows, fingerprints: [Self.rows[3].rowID: 7])) == nil)
    }

    @Test("A row linked since to the file the warm plan recorded: unchanged; to another file: changed")
    func linkedSince() throws {
        let row = Self.rows[9]
        var state = try Self.state()
        state.absorb(Self.load([row]))
        state.instance.linked(path: Self.files[9].path, rowID: row.rowID)
        var linked = Self.rows
        linked[9].localPath = Self.files[9].path
        #expect(state.takeUnchanged(Self.load(linked)) == nil)
        linked[9].localPath = Self.files[8].path
        #expect(state.takeUnchanged(Self.load(linked)) == "row \(row.rowID) changed")
    }
}
