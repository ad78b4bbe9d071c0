import Evaluation
import Foundation
import MatchEngine
import Strategies
import Sync
import Testing

@Suite(.serialized)
struct TuneTests {
    @Test(
        "Labelled tuning writes a profile that loads, keeps the target precision on held-out files, and says where its numbers came from"
    )
    func labelled() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 40, seed: 41)
        let result = try await Tuner(
            database: store.location(), media: store.media, profile: .test, truthPath: store.truth
        )
        .run()
        #expect(result.labelled)
        let profile = try ProfileLoader.profile(yaml: result.yaml, fileName: "tuned.yml")
        #expect(profile.targetPrecision == result.targetPrecision)
        let after = try #require(result.heldOutAfter)
        #expect(after.precision >= 0.999)
        #expect(after.recall >= 0.9)
        #expect(result.yaml.contains("m=") && result.yaml.contains("u="))
        // The tuned profile, used for a sync, still links only what is true.
        let document = try await EvaluationRunner(
            database: store.location(), media: store.media, profile: ProfileChoice(profile, source: "tuned.yml"),
            truthPath: store.truth
        )
        .run()
        #expect(document.audiosync.overall.precision >= 0.999)
    }

    @Test(
        "Unlabelled tuning writes the bits sync estimates, as a profile that loads and loses no recall"
    )
    func unlabelled() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 40, seed: 42)
        let result = try await Tuner(
            database: store.location(), media: store.media, profile: .test, truthPath: nil
        )
        .run()
        #expect(!result.labelled)
        let profile = try ProfileLoader.profile(yaml: result.yaml, fileName: "tuned.yml")
        let estimated = result.levels.filter { $0.m != nil }
        #expect(estimated.count > 5)
        // Agreeing durations are evidence for a pair, far ones against.
        let exact = try #require(profile.strategy("audio_duration")?.levels.first { $0.identifier == "exact" })
        let far = try #require(profile.strategy("audio_duration")?.levels.first { $0.identifier == "far" })
        #expect(exact.bits > 0 && far.bits < 0)
        // The tuned profile only moves where estimation starts: the links stay as they were.
        func recall(_ choice: ProfileChoice) async throws -> Double {
            try await EvaluationRunner(
                database: store.location(), media: store.media, profile: choice, truthPath: store.truth
            )
            .run().audiosync.overall.recall
        }
        let before = try await recall(.test)
        let after = try await recall(ProfileChoice(profile, source: "tuned.yml"))
        #expect(after >= before - 0.002, "recall \(before) → \(after)")
    }
}
