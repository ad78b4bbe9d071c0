import MatchEngine
import Testing

/// A pair a person rejected in review is never proposed again: not linked, not reviewed, not shown
/// as any file's best candidate. Everything else the plan decides stays as it was.
struct RejectedPairTests {
    @Test("Rejecting a linked pair removes it from the plan and counts it as vetoed", arguments: 0..<4)
    func rejectedLinkIsNeverProposed(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) + 1)
        let durations = SpecStoreTests.durations(&random)
        let files = SpecStore.files(durations: durations)
        let (messages, _) = SpecStoreTests.realisticMessages(durations: durations, random: &random)
        let matcher = Matcher(profile: SpecStoreTests.profile)
        let before = matcher.plan(files: files, messages: messages)
        let link = try #require(before.links.first)
        let rejected = Matcher.RejectedPair(file: link.file, messageRowID: link.messageRowID)

        let after = matcher.plan(files: files, messages: messages, options: .init(rejectedPairs: [rejected]))

        func proposes(_ plan: MatchPlan) -> Bool {
            plan.links.contains { $0.file == link.file && $0.messageRowID == link.messageRowID }
                || plan.reviews.contains { review in
                    review.candidates.contains { $0.file == link.file && $0.messageRowID == link.messageRowID }
                }
                || plan.unmatched.contains { $0.best?.file == link.file && $0.best?.messageRowID == link.messageRowID }
        }
        #expect(proposes(before))
        #expect(!proposes(after))
        #expect(after.work.vetoedPairs == before.work.vetoedPairs + 1)
        #expect(after.work.scoredPairs == before.work.scoredPairs)
        // Other files keep their links.
        let others = { (plan: MatchPlan) in
            Set(plan.links.filter { $0.file != link.file }.map { "\($0.file)→\($0.messageRowID)" })
        }
        #expect(others(after).isSuperset(of: others(before).filter { !$0.hasSuffix("→\(link.messageRowID)") }))
    }

    @Test("An empty set of rejections changes nothing")
    func noRejectionsNoChange() {
        var random = SeededGenerator(seed: 9)
        let durations = SpecStoreTests.durations(&random)
        let files = SpecStore.files(durations: durations)
        let (messages, _) = SpecStoreTests.realisticMessages(durations: durations, random: &random)
        let matcher = Matcher(profile: SpecStoreTests.profile)
        let plain = matcher.plan(files: files, messages: messages)
        let withEmpty = matcher.plan(files: files, messages: messages, options: .init(rejectedPairs: []))
        #expect(plain.links == withEmpty.links)
        #expect(plain.reviews == withEmpty.reviews)
        #expect(plain.work == withEmpty.work)
    }
}
