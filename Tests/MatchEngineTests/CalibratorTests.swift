import Foundation
import Strategies
import Testing

@testable import MatchEngine

/// Calibration reads what nobody recorded from anchors: the derivation, the clock to the second,
/// and the folder of the phone's own notes; an unknown derivation costs token evidence only.
struct CalibratorTests {
    typealias F = EngineStageFixture

    /// A partition over all the given files and messages, its index and the calibrator's clocks.
    static func calibrate(_ files: [AudioFile], _ messages: [AudioMessage], derivations: [HashDerivation]? = nil)
        -> (derivations: Calibrator.DerivationEstimate, clocks: Calibrator.ClockEstimate)
    {
        let calibrator = Calibrator(settings: CalibrationSettings(hashDerivations: derivations))
        let (partitions, _) = Partitioner.partition(files: files, messages: messages)
        let partition = partitions[0]
        let found = calibrator.derivations(partition, files: files, messages: messages)
        let index = CandidateIndex(
            partition: partition, files: files, messages: messages,
            calibration: InstanceCalibration(hashDerivations: found.derivations, clockOffset: nil),
            blocking: BlockingSettings(), allowCrossChat: false)
        let anchors = calibrator.anchors(
            partition, index: index, files: files, messages: messages, tokensUsable: found.source != .undetermined)
        return (found, calibrator.clocks(anchors, files: files, messages: messages))
    }

    @Test("The clock is read to the second: a São Paulo server 73 s fast")
    func clockToTheSecond() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<20 {
            let token = String(format: "3EB0%04X", index * 97)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 3_600))
            // Live downloads land 2 to 11 s after the message.
            files.append(F.file(token: token, at: Int64(index) * 3_600 + 2 + Int64(index % 10), skew: 73))
        }
        let (derivations, clocks) = Self.calibrate(files, messages)
        #expect(derivations.derivations == [.idPrefix])
        let offset = try? #require(clocks.nameOffset)
        // The low edge of the live cluster: zone + skew, less the shortest delay's second.
        #expect(offset.map { abs($0.offset - (-10_800 + 73)) <= 2 } == true, "\(String(describing: offset))")
        #expect(offset?.support == 20)
    }

    /// A hundred notes over a hundred days, each downloaded 1 to 9 s after it was sent, on a
    /// server clock `gain` seconds a day fast by the end (0: steady), 73 s fast at the start.
    static func drifting(gain: Double) -> (files: [AudioFile], messages: [AudioMessage]) {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for day in 0..<100 {
            let token = String(format: "3EB0%04X", day * 97)
            let at = Int64(day) * 86_400 + Int64(day * 331 % 40_000)
            messages.append(F.message(Int64(day + 1), token: token, at: at))
            let skew = 73 + Int64((gain * Double(at) / 86_400).rounded())
            files.append(F.file(token: token, at: at + 1 + Int64(day % 9), skew: skew))
        }
        return (files, messages)
    }

    @Test("A server clock that gains 2 s a day: the offset follows it, to within a few seconds")
    func drift() throws {
        let (files, messages) = Self.drifting(gain: 2)
        let (_, clocks) = Self.calibrate(files, messages)
        let drift = try #require(clocks.nameDrift)
        #expect(abs(drift.secondsPerDay - 2) < 0.2, "\(drift)")
        let offset = try #require(clocks.nameOffset).offset
        let calibration = InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: offset, clockDrift: drift)
        // Every note's time read back within its download's delay (1–9 s), give or take a few seconds.
        for (file, message) in zip(files, messages) {
            let (time, _) = try #require(calibration.fileTime(of: file))
            #expect((-4...13).contains(time - message.insertTime), "\(file.path)")
        }
    }

    @Test("A steady clock has no drift")
    func noDrift() throws {
        let (files, messages) = Self.drifting(gain: 0)
        let (_, clocks) = Self.calibrate(files, messages)
        #expect(clocks.nameDrift == nil)
        #expect(try #require(clocks.nameOffset).offset == -10_800 + 73)
    }

    @Test("An unknown derivation keeps the clock: content hashes and sizes anchor it")
    func unknownDerivationKeepsTheClock() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<12 {
            // Names carry a token no known derivation gives; half the rows declare a hash, half a size.
            let hashed = index % 2 == 0
            messages.append(
                F.message(
                    Int64(index + 1), token: "3EB0AAAA", at: Int64(index) * 7_200,
                    length: hashed ? nil : 20_000 + Int64(index) * 131, sha: hashed ? UInt8(index + 1) : nil))
            files.append(
                F.file(
                    token: String(format: "%08X", 0xF00D_0000 + index), at: Int64(index) * 7_200 + 4,
                    zone: -4 * 3_600, size: 20_000 + Int64(index) * 131, sha: hashed ? UInt8(index + 1) : nil))
        }
        let (derivations, clocks) = Self.calibrate(files, messages)
        #expect(derivations.source == .undetermined)
        #expect(clocks.anchors[.contentHash] == 6)
        #expect(clocks.anchors[.size] == 6)
        #expect(clocks.anchors[.token] == nil)
        #expect(clocks.nameOffset.map { abs($0.offset + 4 * 3_600) <= 5 } == true)
    }

    @Test("A downloader that changed how it names files: the derivation holds from its first named file on")
    func derivationSpanAfterAChange() throws {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<40 {
            let token = String(format: "3EB0%04X", index * 97)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 3_600))
            // The first 16 files carry a token no known derivation gives (a salted hash, say).
            let named = index >= 16 ? token : String(format: "%08X", 0xF00D_0000 + index)
            files.append(F.file(token: named, at: Int64(index) * 3_600 + 5))
        }
        let (derivations, _) = Self.calibrate(files, messages)
        #expect(derivations.derivations == [.idPrefix])
        let span = try #require(derivations.span)
        #expect(span.from == files[16].name.time?.secondsSinceEpoch)
        #expect(span.to == nil)
        #expect(!span.contains(try #require(files[15].name.time).secondsSinceEpoch))
        #expect(span.contains(try #require(files[39].name.time).secondsSinceEpoch))
    }

    @Test("Orphans at either end, at the rate they show between: no span")
    func derivationSpanNotFromOrphans() {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for index in 0..<60 {
            let token = String(format: "3EB0%04X", index * 97)
            messages.append(F.message(Int64(index + 1), token: token, at: Int64(index) * 3_600))
            // Every third file's row is gone (its token names no message), the first three too.
            let orphan = index < 3 || index % 3 == 0
            files.append(
                F.file(
                    token: orphan ? String(format: "%08X", 0xF00D_0000 + index) : token, at: Int64(index) * 3_600 + 5))
        }
        let (derivations, _) = Self.calibrate(files, messages)
        #expect(derivations.derivations == [.idPrefix])
        #expect(derivations.span == nil)
    }

    @Test(
        "A run outside the named files makes a span only when the rate between could not give it",
        arguments: [
            // (unnamed files before, the named files' pattern between, a span expected)
            (9, [true], false),  // fewer than ten
            (10, [true], true),  // ten, and none unnamed between
            (19, [true, false], false),  // half unnamed between: 0.5^19 is over one in a million
            (20, [true, false], true),
        ])
    func derivationSpanRule(before: Int, pattern: [Bool], expected: Bool) {
        var files = (0..<before).map { (time: Int64($0), named: false) }
        for index in 0..<40 { files.append((time: Int64(before + index), named: pattern[index % pattern.count])) }
        // The last is named: the run after it is empty.
        files.append((time: Int64(before + 40), named: true))
        let span = Calibrator.derivationSpan(files)
        #expect((span != nil) == expected)
        if expected { #expect(span == DerivationSpan(from: Int64(before), to: nil)) }
    }

    /// The own-number folder's store: six notes the phone sent to other chats, filed in the folder
    /// of its own number (`own`), and five notes filed where they should be, by which the derivation
    /// is found.
    static func ownNumberStore() -> (files: [AudioFile], messages: [AudioMessage], own: String) {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        let own = "5569999000111"
        for index in 0..<6 {
            let chat = "55699992673\(40 + index)"
            let token = String(format: "3A%06X", 0x100 + index)
            messages.append(F.message(Int64(index + 1), chat: chat, token: token, at: Int64(index) * 900, fromMe: true))
            files.append(F.file(chat: own, token: token, at: Int64(index) * 900 + 3))
        }
        for index in 0..<5 {
            let token = String(format: "3A0000%02X", 0xF0 + index)
            messages.append(
                F.message(Int64(90 + index), chat: "556999267399", token: token, at: 50_000 + Int64(index) * 600))
            files.append(F.file(chat: "556999267399", token: token, at: 50_004 + Int64(index) * 600))
        }
        return (files, messages, own)
    }

    @Test("The own-number folder is found: its files are the phone's notes to other chats")
    func ownNumberFolder() {
        let (files, messages, own) = Self.ownNumberStore()
        let (_, clocks) = Self.calibrate(files, messages)
        #expect(clocks.ownNumberFolder == own)
        #expect(clocks.ownNumberSupport == 6)
    }

    @Test("The phone's group notes filed under its own number count for that folder")
    func ownNumberFolderWithGroupNotes() {
        var (files, messages, own) = Self.ownNumberStore()
        // More group notes the phone sent than notes to people, each filed under its sender's
        // folder: the phone's number. Counted as that folder's own chat, they hid it.
        for index in 0..<8 {
            let token = String(format: "3A%06X", 0x200 + index)
            // An old-style group id: the fixture writes every chat as a person's JID.
            var note = F.message(
                Int64(200 + index), chat: "556999267300-1700000000", token: token, at: 90_000 + Int64(index) * 900,
                fromMe: true)
            note.sender = own
            messages.append(note)
            files.append(F.file(chat: own, token: token, at: 90_000 + Int64(index) * 900 + 3))
        }
        let (_, clocks) = Self.calibrate(files, messages)
        #expect(clocks.ownNumberFolder == own)
        #expect(clocks.ownNumberSupport == 14)
    }

    @Test(
        """
        A plan of one pair uses the calibration an earlier plan found as it is: the own-number folder and \
        the clock it could not find from one file
        """
    )
    func knownCalibration() throws {
        let (files, messages, own) = Self.ownNumberStore()
        let profile = Profile.builtInDefault
        let whole = Matcher(profile: profile).plan(files: files, messages: messages)
        let found = try #require(whole.calibration.first?.calibration)
        #expect(found.ownNumberFolder == own)
        #expect(whole.links.contains { $0.file == files[5].path && $0.messageRowID == 6 })
        // The last note the phone sent, alone: its plan cannot tell the own-number folder.
        let alone = Matcher(profile: profile).plan(files: [files[5]], messages: [messages[5]])
        #expect(alone.calibration.first?.calibration.ownNumberFolder == nil)
        #expect(alone.links.isEmpty)
        var known = Matcher(profile: profile)
        known.knownCalibrations = [F.instance: found]
        let pinned = known.plan(files: [files[5]], messages: [messages[5]])
        #expect(pinned.calibration.first?.calibration == found)
        #expect(pinned.calibration.first?.derivationSource == .pinned)
        #expect(pinned.links.map { $0.messageRowID } == [6])
    }

    @Test("Too few anchors, or two zones alike: no offset rather than a guess")
    func undecided() {
        let calibrator = Calibrator(settings: CalibrationSettings())
        #expect(calibrator.offset(from: [[-10_795], [-10_790]]) == nil)
        // Half the anchors at −03:00, half at −04:00.
        let split = (0..<10).map { [$0 % 2 == 0 ? Int64(-10_795) : Int64(-14_395)] }
        #expect(calibrator.offset(from: split) == nil)
        // A history import's row: the insert clock is the one near the live window.
        let imported = (0..<5).map { _ in [Int64(-10_797), Int64(-10_800 + 86_400 * 3)] }
        #expect(calibrator.offset(from: imported).map(\.offset) == -10_798)
    }

    /// Anchors a day apart from 2024-02-10 (name clock): the name minus the message's time is the
    /// zone plus a 5 s download delay, `zoneOf(day)` giving the zone.
    static func daily(_ days: Int, zoneOf: (Int) -> Int64) -> (differences: [[Int64]], names: [Int64]) {
        let start = LocalTime(text: "2024-02-10 14:00:00")!.secondsSinceEpoch
        let names = (0..<days).map { start + Int64($0) * 86_400 }
        return ((0..<days).map { [zoneOf($0) + 5] }, names)
    }

    @Test("Daylight saving time: −05:00 until the change, −04:00 after it, the change between two anchors")
    func daylightSavingTime() throws {
        let calibrator = Calibrator(settings: CalibrationSettings())
        // Thirty days at −05:00, then thirty at −04:00: neither zone beats the other by 1.5×.
        let (differences, names) = Self.daily(60) { $0 < 30 ? -18_000 : -14_400 }
        #expect(calibrator.offset(from: differences) == nil)
        let changing = try #require(calibrator.offsetChanges(from: differences, at: names))
        #expect(changing.first.offset == -18_000 + 4)
        #expect(changing.first.support == 60)
        #expect(changing.changes == [ClockChange(after: names[29], from: names[30], offset: -14_400 + 4)])
        let calibration = InstanceCalibration(
            hashDerivations: [], clockOffset: changing.first.offset, clockChanges: changing.changes)
        #expect(calibration.clockOffset(atName: names[10]) == -17_996)
        #expect(calibration.clockOffset(atName: names[29]) == -17_996)
        // Between the last anchor before the change and the first after: either offset may hold.
        #expect(calibration.clockOffset(atName: names[29] + 3_600) == nil)
        #expect(calibration.clockOffset(atName: names[30]) == -14_396)
        #expect(calibration.clockOffset(atName: names[59] + 86_400 * 90) == -14_396)
    }

    @Test("Ten days after the change among fifty before: the last days are read at their own offset")
    func aChangeNearTheEnd() throws {
        let calibrator = Calibrator(settings: CalibrationSettings())
        let (differences, names) = Self.daily(60) { $0 < 50 ? -18_000 : -14_400 }
        // One zone wins by 1.5×, and would leave the last ten days an hour off.
        #expect(calibrator.offset(from: differences)?.offset == -17_996)
        let changing = try #require(calibrator.offsetChanges(from: differences, at: names))
        #expect(changing.changes.map(\.offset) == [-14_396])
        #expect(changing.changes.map(\.from) == [names[50]])
    }

    @Test("One zone, or two clocks interleaved (two servers), or a few stragglers: no change")
    func noChange() {
        let calibrator = Calibrator(settings: CalibrationSettings())
        let one = Self.daily(60) { _ in -10_800 }
        #expect(calibrator.offsetChanges(from: one.differences, at: one.names) == nil)
        let interleaved = Self.daily(60) { $0 % 3 == 0 ? -14_400 : -10_800 }
        #expect(calibrator.offsetChanges(from: interleaved.differences, at: interleaved.names) == nil)
        // Five anchors an hour off at the end: fewer than a run needs.
        let stragglers = Self.daily(60) { $0 >= 55 ? -14_400 : -10_800 }
        #expect(calibrator.offsetChanges(from: stragglers.differences, at: stragglers.names) == nil)
    }

    @Test("Clock changes are written as name-clock times and read back; a clock of one offset writes none")
    func clockChangesInJSON() throws {
        let change = ClockChange(
            after: LocalTime(text: "2024-03-10 01:16:24")!.secondsSinceEpoch,
            from: LocalTime(text: "2024-03-10 13:40:36")!.secondsSinceEpoch, offset: -14_355)
        let calibration = InstanceCalibration(hashDerivations: [.sha1], clockOffset: -17_955, clockChanges: [change])
        let data = try JSONEncoder().encode(calibration)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""after_name_time":"2024-03-10T01:16:24""#))
        #expect(try JSONDecoder().decode(InstanceCalibration.self, from: data) == calibration)
        let single = String(decoding: try JSONEncoder().encode(InstanceCalibration.example), as: UTF8.self)
        #expect(!single.contains("clock_changes"))
    }

    @Test("Zones are ranked as trying every zone against every anchor ranks them, edges and negatives too")
    func rankedZonesByDefinition() {
        // Differences near every window's edges (±150 s and +750 s around whole quarters), far
        // outside any zone, negative and positive, one to three per anchor; seeded, so a failure replays.
        var generator = SeededGenerator(seed: 28)
        let near: [Int64] = [-151, -150, -149, 0, 1, 749, 750, 751]
        for round in 0..<40 {
            let anchors: [[Int64]] = (0..<(round + 5)).map { _ in
                (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    Bool.random(using: &generator)
                        ? Int64.random(in: -60...60, using: &generator) * 900 + near.randomElement(using: &generator)!
                        : Int64.random(in: -80_000...80_000, using: &generator)
                }
            }
            for zones: ClosedRange<Int64> in [-56...56, 0...0, -3...(-3)] {
                let byDefinition = zones.map { quarter in
                    (
                        zone: quarter * 900,
                        support: anchors.count { differences in
                            differences.contains { $0 >= quarter * 900 - 150 && $0 <= quarter * 900 + 750 }
                        }
                    )
                }
                let ranked = Calibrator.rankedZones(anchors, zones)
                #expect(ranked.count == byDefinition.count)
                for zone in byDefinition {
                    #expect(ranked.contains { $0 == zone }, "zone \(zone.zone) of \(anchors)")
                }
                // Ranked: most support first.
                #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.support >= $1.support })
            }
            for differences in anchors {
                let zone = Int64.random(in: -3...3, using: &generator) * 900
                let inside = differences.filter { $0 >= zone - 150 && $0 <= zone + 750 }
                #expect(Calibrator.earliestInWindow(differences, zone) == inside.min())
            }
        }
    }
}
