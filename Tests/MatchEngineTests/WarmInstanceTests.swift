import Foundation
import Strategies
import Testing

@testable import MatchEngine

/// A warm plan (``WarmInstance``): an instance's plan kept, and files and rows that arrive after it
/// planned against it, as a watch plans what its content batches cannot link.
struct WarmInstanceTests {
    typealias F = EngineStageFixture

    /// The instance planned with `files` and `messages` beside its traffic, kept warm.
    static func warm(_ files: [AudioFile], _ messages: [AudioMessage]) throws -> WarmInstance {
        let (trafficFiles, trafficMessages) = F.traffic()
        let (_, warm) = Matcher(profile: .builtInDefault).planKeepingWarm(
            files: files + trafficFiles, messages: messages + trafficMessages)
        return try #require(warm.first)
    }

    /// The whole plan of the instance with `files` and `messages` beside its traffic, for the files given.
    static func whole(_ files: [AudioFile], _ messages: [AudioMessage]) -> MatchPlan {
        let (trafficFiles, trafficMessages) = F.traffic()
        return Matcher(profile: .builtInDefault).plan(files: files + trafficFiles, messages: messages + trafficMessages)
    }

    /// Notes every two minutes for two hours, of other lengths, none downloaded: a busy chat.
    static let busyChat: [AudioMessage] = stride(from: -61, to: 60, by: 2).map { minute in
        F.message(
            Int64(500 + minute), token: "3EB0\(1000 + minute)", at: Int64(minute) * 60, seconds: 20 + abs(minute) % 30)
    }

    @Test("A note and its row arriving after the plan, time and length alone: linked, as the whole plan links it")
    func arrivalLinked() throws {
        var warm = try Self.warm([], Self.busyChat)
        let row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        let file = F.file(token: nil, at: 4, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        #expect(warm.absorb([row]) == 1)
        #expect(warm.absorb([row]) == 0, "a row is taken once")
        let plan = warm.plan(pending: [file])
        #expect(plan.refused == nil)
        #expect(plan.links.map(\.messageRowID) == [1])
        #expect(
            Self.whole([file], Self.busyChat + [row]).links.filter { $0.file == file.path }.map(\.messageRowID) == [1])
    }

    @Test(
        """
        Beside another instance planned first, a warm plan keeps its own instance's rows alone (the plan's \
        arrays renumbered) and links an arrival as the whole plan does
        """)
    func keepsItsOwnRows() throws {
        let other = "Z9Z9Z9-Z9Z9Z9-Z9Z9Z9"
        let (trafficFiles, trafficMessages) = F.traffic()
        // The other instance's traffic, first in the arrays: every index of this instance's is shifted.
        let otherMessages = trafficMessages.map { message in
            var message = message
            message.rowID += 10_000
            message.instanceID = other
            return message
        }
        let otherFiles = trafficFiles.map { file in
            var file = file
            file.instanceID = other
            file.path = file.path.replacingOccurrences(of: "instance_" + F.instance, with: "instance_" + other)
            return file
        }
        let own = Self.busyChat + trafficMessages
        let (_, kept) = Matcher(profile: .builtInDefault).planKeepingWarm(
            files: otherFiles + trafficFiles, messages: otherMessages + own)
        var warm = try #require(kept.first { $0.instanceID == F.instance })
        #expect(kept.count == 2)
        #expect(Set(warm.rowsByID().keys) == Set(own.map(\.rowID)))
        #expect(warm.loadPositions == Array(otherMessages.count..<(otherMessages.count + own.count)))
        for (position, row) in zip(warm.loadPositions, own) {
            #expect(warm.row(row.rowID).map { $0.loaded } == position - otherMessages.count)
        }
        let row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        let file = F.file(token: nil, at: 4, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        #expect(warm.absorb([row]) == 1)
        let plan = warm.plan(pending: [file])
        #expect(plan.refused == nil)
        #expect(plan.links.map(\.messageRowID) == [1])
        let whole = Matcher(profile: .builtInDefault).plan(
            files: otherFiles + trafficFiles + [file], messages: otherMessages + own + [row])
        #expect(whole.links.filter { $0.file == file.path }.map(\.messageRowID) == [1])
    }

    @Test("A note arriving 40 minutes after its row: not linked, as the whole plan does not")
    func farArrivalLeft() throws {
        let row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        let warm = try Self.warm([], Self.busyChat + [row])
        let file = F.file(token: nil, at: 2_400, duration: 7.4, name: "PTT-20250809-WA0002.opus")
        let plan = warm.plan(pending: [file])
        #expect(plan.refused == nil)
        #expect(plan.links.isEmpty)
        #expect(Self.whole([file], Self.busyChat + [row]).links.filter { $0.file == file.path }.isEmpty)
    }

    @Test(
        """
        A late download beside the next message: review; once the first message's own file is in the kept \
        plan, linked to the second, as in the whole plan
        """
    )
    func rivalsFromTheKeptPlan() throws {
        let messages = [
            F.message(1, token: "3EB01111", at: 0, seconds: 7), F.message(2, token: "3EB02222", at: 22, seconds: 7),
        ]
        let file = F.file(token: nil, at: 25, duration: 7.4, name: "PTT-20250809-WA0002.opus")
        let alone = try Self.warm([], messages).plan(pending: [file])
        #expect(alone.links.isEmpty, "\(alone.links)")
        #expect(alone.reviews.map(\.messageRowID) == [2])
        let own = F.file(token: nil, at: 2, duration: 7.3, size: 17_000, name: "PTT-20250809-WA0001.opus")
        let beside = try Self.warm([own], messages).plan(pending: [file])
        #expect(beside.links.map(\.messageRowID) == [2], "\(beside.reviews)")
        #expect(Self.whole([own, file], messages).links.first { $0.file == file.path }?.messageRowID == 2)
    }

    @Test(
        "A file whose row holds another file of the folder that fits it worse: refused, the instance's plan moves links"
    )
    func movingALinkIsRefused() throws {
        let badFit = F.file(token: nil, at: 40, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        var row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        row.localPath = badFit.path
        let warm = try Self.warm([badFit], Self.busyChat + [row])
        let better = F.file(token: nil, at: 3, duration: 7.4, name: "PTT-20250809-WA0002.opus")
        let plan = warm.plan(pending: [better])
        #expect(plan.refused != nil)
        #expect(plan.links.isEmpty)
    }

    @Test("A file linked since the plan is a rival of later arrivals in its folder: its row goes to none of them")
    func linkedSinceIsTaken() throws {
        var warm = try Self.warm([], Self.busyChat)
        let row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        warm.absorb([row])
        let first = F.file(token: nil, at: 4, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        #expect(warm.plan(pending: [first]).links.map(\.messageRowID) == [1])
        warm.linked(first, rowID: 1)
        let second = F.file(token: nil, at: 50, duration: 7.9, name: "PTT-20250809-WA0003.opus")
        let plan = warm.plan(pending: [second])
        #expect(plan.refused == nil, "scored beside it, not refused for it")
        #expect(!plan.links.contains { $0.messageRowID == 1 })
    }

    @Test(
        "A note whose second download is already in its folder: linked, the copy standing behind it, as in the whole plan"
    )
    func secondDownloadGrouped() throws {
        let copy = F.file(token: nil, at: 60, duration: 7.4, name: "PTT-20250809-WA0009.opus")
        var warm = try Self.warm([copy], Self.busyChat)
        let row = F.message(1, token: "3EB01111", at: 0, seconds: 7)
        warm.absorb([row])
        let note = F.file(token: nil, at: 4, duration: 7.4, sha: 7, name: "PTT-20250809-WA0001.opus")
        let plan = warm.plan(pending: [note], digests: [copy.path: ContentDigest.example(7)])
        #expect(plan.refused == nil)
        let link = try #require(plan.links.first, "\(plan.reviews) \(plan.unmatched)")
        #expect(link.file == note.path && link.messageRowID == 1)
        #expect(link.duplicates == [copy.path])
        var copyWithBytes = copy
        copyWithBytes.sha256 = ContentDigest.example(7)
        let whole = Self.whole([copyWithBytes, note], Self.busyChat + [row]).links.first { $0.messageRowID == 1 }
        #expect(whole?.file == note.path && whole?.duplicates == [copy.path])
    }

    @Test(
        "A row read since the plan whose id gives the arriving file's name: linked by the name, which the index never saw"
    )
    func newRowByName() throws {
        var warm = try Self.warm([], Self.busyChat)
        let row = F.message(1, token: "3EB0AAAA", at: 0, seconds: 7)
        warm.absorb([row])
        let file = F.file(token: "3EB0AAAA", at: 30, duration: 7.4)
        let plan = warm.plan(pending: [file])
        let link = try #require(plan.links.first, "\(plan.reviews) \(plan.unmatched)")
        #expect(link.messageRowID == 1 && link.tier == "filename_hash_prefix", "\(link.tier)")
    }
}
