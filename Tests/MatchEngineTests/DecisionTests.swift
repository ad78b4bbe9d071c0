import Foundation
import Strategies
import Testing

@testable import MatchEngine

/// The decision step, on small stores: a link needs the target probability after its rivals for
/// the file and for the message; a close call goes to review; thin evidence is left alone.
struct DecisionTests {
    typealias F = EngineStageFixture

    /// A plan with the built-in profile, as a sync runs it (calibration and estimation from the
    /// data), of the case's files and messages among a chat's everyday traffic: forty notes over
    /// forty days, each downloaded a few seconds after it was sent, by which the instance is
    /// calibrated and its weights estimated.
    static func plan(_ files: [AudioFile], _ messages: [AudioMessage]) -> MatchPlan {
        let (trafficFiles, trafficMessages) = F.traffic()
        return Matcher(profile: .builtInDefault).plan(files: files + trafficFiles, messages: messages + trafficMessages)
    }

    /// What the plan decided for the case's own files.
    struct Decided {
        var links: [MatchPlan.Link]
        var reviews: [MatchPlan.Review]
        var unmatched: [MatchPlan.UnmatchedFile]
    }

    static func decide(_ files: [AudioFile], _ messages: [AudioMessage]) -> Decided {
        let plan = plan(files, messages)
        let paths = Set(files.map(\.path))
        return Decided(
            links: plan.links.filter { paths.contains($0.file) },
            reviews: plan.reviews.filter { paths.contains($0.file) },
            unmatched: plan.unmatched.filter { paths.contains($0.file) })
    }

    @Test("Two web ids share their first 8 characters: the one sent just before the file is linked")
    func prefixCollisionBrokenByTime() throws {
        let messages = [F.message(1, token: "3EB0ABCD", at: 0), F.message(2, token: "3EB0ABCD", at: -3 * 86_400)]
        let decided = Self.decide([F.file(token: "3EB0ABCD", at: 6)], messages)
        let link = try #require(decided.links.first, "\(decided.reviews.map(\.probability))")
        #expect(link.messageRowID == 1)
        #expect(link.probability >= 0.999)
        #expect(link.runnerUp?.messageRowID == 2)
    }

    @Test("Two messages alike in every way the file can tell: review, never a link")
    func indistinguishableGoesToReview() throws {
        let messages = [F.message(1, token: "3EB0ABCD", at: 0), F.message(2, token: "3EB0ABCD", at: 1)]
        let decided = Self.decide([F.file(token: "3EB0ABCD", at: 8)], messages)
        #expect(decided.links.isEmpty)
        let review = try #require(decided.reviews.first)
        #expect(review.reason == .ambiguous)
        #expect(review.probability < 0.999 && review.probability >= 0.4)
    }

    @Test("A note and its forward into the same chat, the same bytes, one file named by its token: each its own row")
    func forwardBesideItsNote() throws {
        // The phone sent a note, then forwarded it into the same chat 38 minutes later; the
        // gateway stored both, the second under a name that gives its row's token.
        let messages = [
            F.message(1, token: "3A7F0001", at: 0, fromMe: true),
            F.message(2, token: "3A7F0002", at: 2_280, fromMe: true),
        ]
        let note = F.file(token: nil, at: 5, sha: 9, name: "PTT-20250809-WA0013.opus")
        let forward = F.file(token: "3A7F0002", at: 2_285, sha: 9)
        let decided = Self.decide([note, forward], messages)
        #expect(decided.links.allSatisfy { !$0.duplicates.contains(forward.path) }, "\(decided.links)")
        let link = try #require(decided.links.first { $0.file == forward.path }, "\(decided.links) \(decided.reviews)")
        #expect(link.messageRowID == 2)
        #expect(decided.links.allSatisfy { $0.file != note.path || $0.messageRowID == 1 })
    }

    @Test("Two files equally sure of one message: neither is linked")
    func twoFilesForOneMessage() {
        let messages = [F.message(1, token: "3EB0ABCD", at: 0)]
        // Not byte-identical (no hashes), named alike, written a second apart.
        let files = [F.file(token: "3EB0ABCD", at: 6, size: 18_000), F.file(token: "3EB0ABCD", at: 7, size: 18_500)]
        let decided = Self.decide(files, messages)
        #expect(decided.links.isEmpty)
        #expect(decided.reviews.count + decided.unmatched.count == 2)
    }

    @Test("An orphan whose token collides with a message sent days before: never linked")
    func orphanWithCollidingToken() {
        let messages = [F.message(1, token: "3EB0ABCD", at: -20 * 86_400, seconds: 31)]
        let decided = Self.decide([F.file(token: "3EB0ABCD", at: 0, duration: 4.2)], messages)
        #expect(decided.links.isEmpty)
        // A person may be asked, never told.
        #expect(decided.reviews.allSatisfy { $0.probability < 0.999 })
    }

    @Test("Time alone in a busy chat: within 10 s of a note of that length, linked; 40 minutes after it, not")
    func thinEvidence() {
        // Notes every two minutes for two hours, of other lengths, none downloaded.
        var messages = [F.message(1, token: "3EB01111", at: 0, seconds: 7)]
        for minute in stride(from: -61, to: 60, by: 2) {
            messages.append(
                F.message(
                    Int64(500 + minute), token: "3EB0\(1000 + minute)", at: Int64(minute) * 60,
                    seconds: 20 + abs(minute) % 30))
        }
        let close = F.file(token: nil, at: 4, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        #expect(Self.decide([close], messages).links.map(\.messageRowID) == [1])
        let far = F.file(token: nil, at: 2_400, duration: 7.4, name: "PTT-20250809-WA0002.opus")
        #expect(Self.decide([far], messages).links.isEmpty)
    }

    @Test(
        """
        A note 25 s after one message and 3 s after the next, both its length: review, for the first may \
        be its own, downloaded late, and the second may never have been downloaded
        """
    )
    func lateDownloadBesideTheNextMessage() throws {
        let messages = [
            F.message(1, token: "3EB01111", at: 0, seconds: 7), F.message(2, token: "3EB02222", at: 22, seconds: 7),
        ]
        let file = F.file(token: nil, at: 25, duration: 7.4, name: "PTT-20250809-WA0001.opus")
        let decided = Self.decide([file], messages)
        #expect(decided.links.isEmpty, "\(decided.links)")
        let review = try #require(decided.reviews.first, "\(decided.unmatched)")
        #expect(review.messageRowID == 2)
    }

    @Test("The same note, when the first message's own file came 2 s after it: linked to the second")
    func theNeighboursOwnFileSettlesIt() throws {
        let messages = [
            F.message(1, token: "3EB01111", at: 0, seconds: 7), F.message(2, token: "3EB02222", at: 22, seconds: 7),
        ]
        let own = F.file(token: nil, at: 2, duration: 7.3, size: 17_000, name: "PTT-20250809-WA0001.opus")
        let file = F.file(token: nil, at: 25, duration: 7.4, name: "PTT-20250809-WA0002.opus")
        let decided = Self.decide([own, file], messages)
        let link = try #require(decided.links.first { $0.file == file.path }, "\(decided.reviews)")
        #expect(link.messageRowID == 2)
        #expect(decided.links.first { $0.file == own.path }?.messageRowID == 1)
    }

    @Test("Stated probabilities are what the scores say against 'none of these'")
    func posteriorArithmetic() {
        // One candidate at score s: p = 2^s / (1 + 2^s).
        let (candidates, none) = FilePosterior.probabilities([log2(999)])
        #expect(abs(candidates[0] - 0.999) < 1e-9)
        #expect(abs(none - 0.001) < 1e-9)
        // Two equal candidates share; others add their mass; a veto has none.
        let split = FilePosterior.probabilities([10, 10, -.infinity], others: 10)
        #expect(abs(split.candidates[0] - split.candidates[1]) < 1e-12)
        #expect(abs(split.candidates.reduce(0, +) + split.none - (1 - 1 / 3.0 * (1 - split.none))) < 0.01)
        #expect(split.candidates[2] == 0)
        #expect(abs(split.candidates.reduce(0, +) + split.none + exp2(10) / (1 + 3 * exp2(10)) - 1) < 1e-9)
    }
}
