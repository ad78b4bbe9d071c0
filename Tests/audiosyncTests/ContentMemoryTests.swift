import Foundation
import MessageStore
import Testing

@testable import MatchEngine
@testable import Sync

/// What a watch remembers for linking new notes by their content: a digest counts as one row's
/// only when exactly one row of the instance declares it, whichever load or read counted the rows.
@Suite struct ContentMemoryTests {
    static let instance = "7QK2PL-AAAAAA-BBBBBB"
    static let file = "Ana/instance_\(instance)/chats/5511/msg_AAAAAAAA_20250101_000000.ogg"

    static func digest(_ byte: UInt8) -> ContentDigest { ContentDigest(bytes: Array(repeating: byte, count: 32))! }

    static func row(
        _ id: Int64, digest: ContentDigest?, instance: String? = instance, localPath: String? = nil,
        whatsappID: String? = nil
    ) -> AudioMessage {
        AudioMessage(
            rowID: id, clientID: 1, clientName: "Ana", instanceID: instance, chatRowID: 1, chatID: "5511",
            whatsappID: whatsappID, insertTime: 1_700_000_000 + id, fileSHA256: digest, localPath: localPath)
    }

    static func load(_ rows: [AudioMessage]) -> MessageLoad {
        MessageLoad(
            messages: rows, fingerprints: rows.map { ContentFingerprint(rawValue: UInt64($0.rowID)) },
            report: LoadReport())
    }

    static let plan = MatchPlan(thresholds: .init(targetPrecision: 0.999, reviewProbability: 0.5))

    @Test("Nothing is linked by content before a load of the whole scope; then a new row's digest is its own")
    func aNewRowsDigest() {
        var memory = ContentMemory()
        memory.absorbNew(Self.load([Self.row(20, digest: Self.digest(1))]))
        #expect(!memory.isReady)
        memory = ContentMemory()
        memory.absorb(
            Self.load([Self.row(1, digest: Self.digest(2)), Self.row(2, digest: nil)]), plan: Self.plan, instance: nil)
        #expect(memory.isReady && memory.readThrough == 2)
        memory.absorbNew(Self.load([Self.row(3, digest: Self.digest(1))]))
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: Self.file)?.message.rowID == 3)
        // Not in another instance; not for bytes no row declares.
        #expect(memory.row(for: Self.digest(1), instance: "OTHER", path: Self.file) == nil)
        #expect(memory.row(for: Self.digest(9), instance: Self.instance, path: Self.file) == nil)
        // A row loaded before (its file perhaps already linked) is no pending row.
        #expect(memory.row(for: Self.digest(2), instance: Self.instance, path: Self.file) == nil)
    }

    @Test(
        """
        Rows of several instances are counted as one thread counts them: each instance its own digests, \
        names, client and highest row; a path one instance's row names is claimed in the other; a row of \
        no instance counts for its client
        """
    )
    func severalInstancesCounted() throws {
        let other = "9ZZ9ZZ-CCCCCC-DDDDDD"
        let otherFile = "Ana/instance_\(other)/chats/5522/msg_BBBBBBBB_20250101_000000.ogg"
        var rows: [AudioMessage] = []
        for id in Int64(1)...40 {
            // Interleaved, as a load reads them: even rows one instance's, odd rows the other's.
            rows.append(Self.row(id, digest: Self.digest(UInt8(id % 7)), instance: id % 2 == 0 ? Self.instance : other))
        }
        rows.append(Self.row(41, digest: Self.digest(1), instance: Self.instance, localPath: otherFile))
        rows.append(Self.row(42, digest: Self.digest(200), instance: nil))
        let counts = ContentMemory.counts(of: Self.load(rows), calibration: [])
        #expect(counts.highest == 42)
        let own = try #require(counts.instances[Self.instance])
        let theirs = try #require(counts.instances[other])
        // Digest 1: rows 8, 22, 36 (even, id % 7 == 1) and 41 in the first; 1, 15, 29 in the other.
        #expect(own.declared[Self.digest(1).head] == 4)
        #expect(theirs.declared[Self.digest(1).head] == 3)
        #expect(own.countedThrough == 41 && theirs.countedThrough == 39)
        #expect(own.client == 1 && theirs.client == 1)
        #expect(theirs.claimed == [ContentMemory.pathKey(otherFile)] && own.claimed.isEmpty)
        #expect(counts.clientWide[1]?[Self.digest(200).head] == 1)
        #expect(own.declared[Self.digest(200).head] == nil)
    }

    @Test("A path's client and instance folders: `Client/instance_ID/…` with a client and an id, nothing else")
    func instanceOfAPath() {
        let expected: [(path: String, instance: String?)] = [
            (
                "Ana/instance_7QK2PL-AAAAAA-BBBBBB/chats/5511/audio/msg_AAAAAAAA_20250101_000000.ogg",
                "7QK2PL-AAAAAA-BBBBBB"
            ),
            ("Ana/instance_X/", "X"), ("Ana/instance_X", nil), ("Ana/instance_/chats/f.ogg", nil),
            ("/instance_X/chats/f.ogg", nil), ("Ana//instance_X/f.ogg", nil), ("Ana/other_X/f.ogg", nil),
            ("Ana/Instance_X/f.ogg", nil), ("Ação/instance_Ação é/f.ogg", "Ação é"), ("instance_X/f.ogg", nil),
            ("", nil), ("/", nil), ("//", nil), ("Ana/instance_X/chats/instance_Y/f.ogg", "X"),
        ]
        for (path, instance) in expected {
            #expect(ContentMemory.instanceID(ofPath: path) == instance, "\(path)")
            #expect(BatchScope(path)?.instanceID == instance, "\(path)")
        }
        let scope = BatchScope("Ação/instance_Ação é/chats/1/f.ogg")
        #expect(scope?.client == "Ação" && scope?.instance == "instance_Ação é")
    }

    @Test("A digest two rows declare (a forwarded note), old or new, links nothing by content")
    func aForwardedNote() {
        var memory = ContentMemory()
        memory.absorb(Self.load([Self.row(1, digest: Self.digest(1))]), plan: Self.plan, instance: nil)
        memory.absorbNew(Self.load([Self.row(3, digest: Self.digest(1))]))
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: Self.file) == nil)
        memory.absorbNew(Self.load([Self.row(4, digest: Self.digest(5)), Self.row(5, digest: Self.digest(5))]))
        #expect(memory.row(for: Self.digest(5), instance: Self.instance, path: Self.file) == nil)
    }

    @Test("A row with a localPath, or a file a row names, is not linked by content")
    func claims() {
        var memory = ContentMemory()
        memory.absorb(Self.load([Self.row(1, digest: nil, localPath: Self.file)]), plan: Self.plan, instance: nil)
        memory.absorbNew(
            Self.load([
                Self.row(2, digest: Self.digest(1)), Self.row(3, digest: Self.digest(2), localPath: "x.ogg"),
            ]))
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: Self.file) == nil)
        let other = Self.file.replacingOccurrences(of: "AAAAAAAA", with: "BBBBBBBB")
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: other)?.message.rowID == 2)
        #expect(memory.row(for: Self.digest(2), instance: Self.instance, path: other) == nil)
        // Linked by a content batch: the row is no longer pending, the path is claimed.
        memory.linked([ContentMatch.Pair(file: other, rowID: 2)])
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: other) == nil)
    }

    @Test("An instance loaded again counts its rows once; its rows not linked stay pending, linked ones not")
    func aScopedLoadCountsOnce() {
        var memory = ContentMemory()
        memory.absorb(Self.load([Self.row(1, digest: Self.digest(7))]), plan: Self.plan, instance: nil)
        memory.absorbNew(Self.load([Self.row(5, digest: Self.digest(1)), Self.row(6, digest: Self.digest(2))]))
        // A batch of the instance loads rows 1, 5 and 6 again (6 linked by now) and 7, which no
        // content batch has read yet.
        memory.absorb(
            Self.load([
                Self.row(1, digest: Self.digest(7)), Self.row(5, digest: Self.digest(1)),
                Self.row(6, digest: Self.digest(2), localPath: "x.ogg"), Self.row(7, digest: Self.digest(3)),
            ]),
            plan: Self.plan, instance: Self.instance)
        #expect(memory.pending.keys.sorted() == [5, 7])
        // Row 7 comes again in the next read after the whole scope's last load: counted once.
        memory.absorbNew(Self.load([Self.row(7, digest: Self.digest(3))]))
        #expect(memory.instances[Self.instance]?.declared[ContentMemory.head(Self.digest(3))] == 1)
        #expect(memory.row(for: Self.digest(3), instance: Self.instance, path: Self.file)?.message.rowID == 7)
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: Self.file)?.message.rowID == 5)
        #expect(memory.row(for: Self.digest(2), instance: Self.instance, path: Self.file) == nil)
        // A whole load without row 5 (deleted): no longer pending.
        memory.absorb(
            Self.load([Self.row(1, digest: Self.digest(7)), Self.row(7, digest: Self.digest(3))]), plan: Self.plan,
            instance: nil)
        #expect(memory.pending.keys.sorted() == [7])
    }

    @Test(
        """
        A row of a chat with no instance joins every instance of its client: it is a rival to an instance row's \
        digest, and is linked by content itself when it is the only one
        """
    )
    func rowsOfNoInstance() {
        var memory = ContentMemory()
        memory.absorb(
            Self.load([Self.row(1, digest: nil), Self.row(2, digest: Self.digest(4), instance: nil)]), plan: Self.plan,
            instance: nil)
        memory.absorbNew(
            Self.load([
                Self.row(3, digest: Self.digest(4)), Self.row(4, digest: Self.digest(5), instance: nil),
                Self.row(5, digest: Self.digest(6), instance: "OTHER"),
            ]))
        // Digest 4: row 3 of the instance, and row 2 of a chat with no instance of the same client.
        #expect(memory.row(for: Self.digest(4), instance: Self.instance, path: Self.file) == nil)
        // Digest 5: only row 4, of no instance, of the instance's client.
        #expect(memory.row(for: Self.digest(5), instance: Self.instance, path: Self.file)?.message.rowID == 4)
        // Row 5 is another instance's: not this one's file.
        #expect(memory.row(for: Self.digest(6), instance: Self.instance, path: Self.file) == nil)
        // A row of no instance of another client is no rival, and no candidate.
        var other = ContentMemory()
        other.absorb(Self.load([Self.row(1, digest: nil)]), plan: Self.plan, instance: nil)
        var stranger = Self.row(2, digest: Self.digest(7), instance: nil)
        stranger.clientID = 2
        other.absorbNew(Self.load([Self.row(3, digest: Self.digest(7)), stranger]))
        #expect(other.row(for: Self.digest(7), instance: Self.instance, path: Self.file)?.message.rowID == 3)
    }

    @Test("A row below what the loads read, which no load read, committed after them")
    func rowsReadAndRowsCommittedLate() {
        var memory = ContentMemory()
        memory.absorb(Self.load([Self.row(1, digest: nil), Self.row(3, digest: nil)]), plan: Self.plan, instance: nil)
        memory.absorbNew(Self.load([Self.row(5, digest: Self.digest(1)), Self.row(7, digest: nil)]))
        #expect([1, 3, 5, 7].allSatisfy(memory.wasRead))
        // 6 came after 7 was read; 8 is above it, for the next read.
        #expect(!memory.wasRead(6))
        #expect(!memory.wasRead(2))
        #expect(memory.wasRead(8))
    }

    @Test("A row that came late is read by the next content batch, and the rows read before are not counted twice")
    func lateRowsAreReadOnce() {
        var memory = ContentMemory()
        memory.absorb(Self.load([Self.row(1, digest: nil)]), plan: Self.plan, instance: nil)
        memory.absorbNew(Self.load([Self.row(5, digest: Self.digest(1)), Self.row(7, digest: Self.digest(3))]))
        #expect(memory.readAfter == 7)
        // 6 came after 7 was read; 5 was read.
        #expect(memory.noteLate([5, 6]) == [6])
        #expect(memory.late == [6])
        #expect(memory.readAfter == 5)
        // The next content batch reads from 5 on: 6 is taken, 7 is not counted again.
        memory.absorbNew(Self.load([Self.row(6, digest: Self.digest(2)), Self.row(7, digest: Self.digest(3))]))
        #expect(memory.late.isEmpty && memory.readAfter == 7)
        #expect(memory.row(for: Self.digest(2), instance: Self.instance, path: Self.file)?.message.rowID == 6)
        #expect(memory.row(for: Self.digest(3), instance: Self.instance, path: Self.file)?.message.rowID == 7)
        #expect(memory.wasRead(6))
    }

    @Test("Pending rows are bounded: the oldest go first")
    func pendingRowsAreBounded() {
        var memory = ContentMemory()
        memory.absorb(Self.load([]), plan: Self.plan, instance: nil)
        memory.absorbNew(Self.load((1...10).map { Self.row($0, digest: Self.digest(UInt8($0))) }))
        memory.trimPending(to: 4)
        #expect(memory.pending.keys.sorted() == [7, 8, 9, 10])
    }

    /// A plan whose calibration found the instance's names to be `id[:8]`.
    static let calibratedPlan = MatchPlan(
        thresholds: .init(targetPrecision: 0.999, reviewProbability: 0.5),
        calibration: [
            CalibrationReport(
                clientFolder: "Ana", instanceID: instance,
                calibration: InstanceCalibration(hashDerivations: [.idPrefix], clockOffset: 0), tokenFiles: 10,
                derivationHits: ["id_prefix": 10], derivationSource: .detected, anchoredPairs: 10, offsetSupport: 10,
                offsetSource: .detected)
        ])

    static func name(_ token: String) -> FileName { FileName(token: token, tokenKind: .hash8) }

    @Test(
        """
        A new row is a file's by name when exactly one row of the instance gives the file name's token under \
        the calibrated derivation, and the file's bytes are no row's
        """
    )
    func aRowFoundByName() {
        var memory = ContentMemory()
        memory.absorb(
            Self.load([
                Self.row(1, digest: Self.digest(1), whatsappID: "3EB0AAAA11"), Self.row(2, digest: nil),
                Self.row(0, digest: nil, localPath: "old.ogg", whatsappID: "5555AAAA01"),
            ]),
            plan: Self.calibratedPlan, instance: nil)
        memory.absorbNew(
            Self.load([
                Self.row(3, digest: nil, whatsappID: "3EB0BBBB22"), Self.row(4, digest: nil, whatsappID: "ABCD0001X"),
                Self.row(5, digest: nil, whatsappID: "ABCD0001Y"),
                Self.row(6, digest: Self.digest(2), whatsappID: "C0FFEE0012"),
                Self.row(8, digest: nil, whatsappID: "5555AAAA02"),
            ]))
        let path = Self.file
        #expect(
            memory.row(forName: Self.name("3EB0BBBB"), digest: Self.digest(9), instance: Self.instance, path: path)?
                .message.rowID == 3)
        // Not when the bytes are a row's own (row 1's), whatever the name says.
        #expect(
            memory.row(forName: Self.name("3EB0BBBB"), digest: Self.digest(1), instance: Self.instance, path: path)
                == nil)
        // Not when two rows give the token (4 and 5), nor the token of a row that was read before
        // this watch's load (1).
        #expect(memory.row(forName: Self.name("ABCD0001"), digest: nil, instance: Self.instance, path: path) == nil)
        #expect(memory.row(forName: Self.name("3EB0AAAA"), digest: nil, instance: Self.instance, path: path) == nil)
        // A row that declares other bytes than the file's (a gateway that transcodes) is found by
        // name; when the file's bytes are the ones it declares, that is content's to tell.
        #expect(
            memory.row(forName: Self.name("C0FFEE00"), digest: Self.digest(9), instance: Self.instance, path: path)?
                .message.rowID == 6)
        #expect(
            memory.row(forName: Self.name("C0FFEE00"), digest: Self.digest(2), instance: Self.instance, path: path)
                == nil)
        // Nor a token an old row gives too (0, linked long ago): the new row 8 is not the only one.
        #expect(memory.row(forName: Self.name("5555AAAA"), digest: nil, instance: Self.instance, path: path) == nil)
        #expect(memory.pending[8] != nil)
        // A `wapi_` name carries the whole id.
        let whole = FileName(token: "3EB0BBBB22", tokenKind: .fullID)
        #expect(memory.row(forName: whole, digest: nil, instance: Self.instance, path: path)?.message.rowID == 3)
        // Nothing without a calibrated derivation: the same rows under a plan that found none.
        var uncalibrated = ContentMemory()
        uncalibrated.absorb(Self.load([Self.row(2, digest: nil)]), plan: Self.plan, instance: nil)
        uncalibrated.absorbNew(Self.load([Self.row(3, digest: nil, whatsappID: "3EB0BBBB22")]))
        #expect(
            uncalibrated.row(forName: Self.name("3EB0BBBB"), digest: nil, instance: Self.instance, path: path) == nil)
        #expect(uncalibrated.row(forName: whole, digest: nil, instance: Self.instance, path: path)?.message.rowID == 3)
    }

    @Test("A row of a chat with no instance that gives the token, under any derivation, is a rival by name")
    func rivalsByNameWithoutInstance() {
        var memory = ContentMemory()
        // Row 2's id gives 3EB0BBBB by its suffix, row 3's by the calibrated derivation (the prefix).
        memory.absorb(
            Self.load([Self.row(1, digest: nil), Self.row(2, digest: nil, instance: nil, whatsappID: "XX3EB0BBBB")]),
            plan: Self.calibratedPlan, instance: nil)
        memory.absorbNew(
            Self.load([
                Self.row(3, digest: nil, whatsappID: "3EB0BBBB22"), Self.row(4, digest: nil, whatsappID: "7777CCCC22"),
            ]))
        #expect(
            memory.row(forName: Self.name("3EB0BBBB"), digest: nil, instance: Self.instance, path: Self.file) == nil)
        #expect(
            memory.row(forName: Self.name("7777CCCC"), digest: nil, instance: Self.instance, path: Self.file)?.message
                .rowID == 4)
    }

    static func link(_ row: Int64, _ file: String) -> MatchPlan.Link {
        MatchPlan.Link(
            messageRowID: row, file: file, duplicates: [], score: 60, probability: 0.9999, margin: nil, runnerUp: nil,
            tier: "content_hash", waterfall: nil)
    }

    @Test(
        """
        An instance's batch planned beside content batches: what they linked meanwhile is taken out of its plan \
        and stays linked; a row they read meanwhile stays counted, so a digest it shares with a loaded row \
        links nothing by content
        """
    )
    func anInstancePlannedBesideContentBatches() {
        let (first, second, third) = (
            Self.file, Self.file.replacingOccurrences(of: "AAAAAAAA", with: "BBBBBBBB"),
            Self.file.replacingOccurrences(of: "AAAAAAAA", with: "CCCCCCCC")
        )
        var memory = ContentMemory()
        memory.absorb(
            Self.load([Self.row(1, digest: Self.digest(1), localPath: "older.ogg"), Self.row(2, digest: nil)]),
            plan: Self.plan, instance: nil)
        // The instance's batch begins and loads rows 1–2; meanwhile a content batch reads rows 3 (the
        // bytes row 1 declares: a forwarded note) and 4, and links `second` to row 4.
        memory.beginFlight(instance: Self.instance)
        memory.absorbNew(Self.load([Self.row(3, digest: Self.digest(1)), Self.row(4, digest: Self.digest(4))]))
        memory.linked([ContentMatch.Pair(file: second, rowID: 4)])
        // Its plan, made from rows 1–2, links `second` (linked meanwhile) to row 2: taken out. Another
        // plan's link of `first` is not, nor is a plan of another instance touched.
        var plan = Self.plan
        plan.links = [Self.link(2, second)]
        var kept = Self.plan
        kept.links = [Self.link(2, first)]
        #expect(memory.withdrawLinkedMeanwhile(from: &kept, instance: Self.instance) == 0)
        #expect(memory.withdrawLinkedMeanwhile(from: &plan, instance: "OTHER") == 0)
        #expect(memory.withdrawLinkedMeanwhile(from: &plan, instance: Self.instance) == 1)
        #expect(plan.links.isEmpty && kept.links.count == 1)
        memory.absorb(
            Self.load([Self.row(1, digest: Self.digest(1), localPath: "older.ogg"), Self.row(2, digest: nil)]),
            plan: plan, instance: Self.instance)
        #expect(memory.flight == nil)
        // Row 3's digest is row 1's too: two rows declare it, as before the batch.
        #expect(memory.instances[Self.instance]?.declared[ContentMemory.head(Self.digest(1))] == 2)
        #expect(memory.row(for: Self.digest(1), instance: Self.instance, path: third) == nil)
        // `second` stays linked: planned, claimed, its row no longer pending.
        #expect(memory.isPlanned(second) && memory.pending[4] == nil)
        #expect(memory.row(for: Self.digest(4), instance: Self.instance, path: third) == nil)
        // A flight that ended without its batch absorbing (refused) replays nothing later.
        memory.beginFlight(instance: Self.instance)
        memory.endFlight()
        #expect(memory.flight == nil)
    }
}
