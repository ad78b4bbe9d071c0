import Foundation
import Strategies
import Testing

@testable import MatchEngine

/// A run's waterfalls keep their findings and write their lines when read (`WaterfallLegend`);
/// one made from lines, as `explain`'s tests and the report types do, must read, compare, hash and
/// encode the same as one kept as findings that shows the same.
struct WaterfallStorageTests {
    static let profile = Profile.builtInDefault
    static let weights = EvidenceWeights(profile: profile, orphanShare: 0.1)

    /// Index of a strategy of the default profile, and of one of its levels.
    static func place(_ strategy: String, _ level: String? = nil) throws -> (strategy: Int, level: Int) {
        let index = try #require(profile.strategies.firstIndex { $0.identifier == strategy })
        guard let level else { return (index, -1) }
        let levelIndex = try #require(profile.strategies[index].levels.firstIndex { $0.identifier == level })
        return (index, levelIndex)
    }

    @Test("A waterfall kept as findings reads as the lines it stands for")
    func findingsReadAsLines() throws {
        let legend = Scorer(strategies: Self.profile.strategies).legend(Self.weights)
        let chat = try Self.place("chat_id", "same")
        let time = try Self.place("timestamp_distance", "within_10s")
        let size = try Self.place("file_size")
        let duration = try Self.place("audio_duration")
        let findings: [WaterfallLegend.Finding] = [
            .init(
                contribution: 0.5, bits: 0.5, measurement: nil, chance: nil, strategy: UInt8(chat.strategy),
                level: Int8(chat.level), notAsked: false),
            .init(
                contribution: 10.25, bits: 10.25, measurement: 6, chance: 1 / 4_096.0,
                strategy: UInt8(time.strategy), level: Int8(time.level), notAsked: false),
            .init(
                contribution: 0, bits: 0, measurement: nil, chance: nil, strategy: UInt8(size.strategy), level: -1,
                notAsked: false),
            .init(
                contribution: 0, bits: 0, measurement: nil, chance: nil, strategy: UInt8(duration.strategy), level: -1,
                notAsked: true),
        ]
        let timeStrategy = Self.profile.strategies[time.strategy]
        let expected: [Waterfall.Line] = [
            .init(
                strategy: "chat_id", level: "same", bits: 0.5,
                profileBits: Self.weights.profileBits[chat.strategy][chat.level],
                weight: Self.profile.strategies[chat.strategy].weight, contribution: 0.5,
                effect: Self.profile.strategies[chat.strategy].levels[chat.level].effect,
                note: Self.profile.strategies[chat.strategy].note(level: chat.level, measurement: nil)),
            .init(
                strategy: "timestamp_distance", level: "within_10s", bits: 10.25,
                profileBits: Self.weights.profileBits[time.strategy][time.level], weight: timeStrategy.weight,
                contribution: 10.25, effect: timeStrategy.levels[time.level].effect,
                note: timeStrategy.note(level: time.level, measurement: 6) + "; by chance 1 in 4,096"),
            .init(
                strategy: "file_size", level: nil, bits: 0, profileBits: nil,
                weight: Self.profile.strategies[size.strategy].weight, contribution: 0, effect: .none,
                note: "no evidence (data missing)"),
            .init(
                strategy: "audio_duration", level: nil, bits: 0, profileBits: nil,
                weight: Self.profile.strategies[duration.strategy].weight, contribution: 0, effect: .none,
                note: "not asked (vetoed)"),
        ]
        let kept = Waterfall(prior: -2.5, legend: legend, findings: findings, total: 8.25, score: 8.25, vetoedBy: nil)
        let plain = Waterfall(prior: -2.5, lines: expected, total: 8.25, score: 8.25, vetoedBy: nil)

        #expect(kept.lines == expected)
        #expect(kept.lines[1].note.hasSuffix("6 s after the message's time; by chance 1 in 4,096"))
        #expect(kept == plain)
        #expect(kept.hashValue == plain.hashValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(try encoder.encode(kept) == encoder.encode(plain))
        let other = Waterfall(prior: -2.5, lines: Array(expected.dropLast()), total: 8.25, score: 8.25, vetoedBy: nil)
        #expect(kept != other)
    }

    @Test("A plan's waterfalls read the same as scoring their pairs again")
    func planWaterfallsMatchExplain() throws {
        var random = SeededGenerator(seed: 5)
        let durations = SpecStoreTests.durations(&random)
        let files = SpecStore.files(durations: durations)
        let (messages, _) = SpecStoreTests.realisticMessages(durations: durations, random: &random)
        let matcher = Matcher(profile: Self.profile)
        let plan = matcher.plan(files: files, messages: messages, options: .init(explainLinks: true))
        let link = try #require(plan.links.first { $0.waterfall != nil })
        let explained = try #require(matcher.explain(.file(path: link.file), files: files, messages: messages))
        let candidate = try #require(explained.candidates.first { $0.messageRowID == link.messageRowID })
        let waterfall = try #require(link.waterfall)
        #expect(candidate.waterfall?.lines == waterfall.lines)
        #expect(waterfall.lines.count == Self.profile.strategies.count)
        #expect(waterfall.lines.contains { $0.note.contains("by chance 1 in") })
    }
}
