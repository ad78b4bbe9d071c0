import Foundation
import Testing

@testable import AudioProbe

/// A seeded mutation loop over every fixture (the Swift parsers as well as the C shim): flipped
/// bytes, overwritten lengths, inserted and deleted runs, cuts. Each mutant must give a duration
/// or a typed failure, never a trap or a hang. AUDIOSYNC_MUTATIONS raises the count for long runs.
@Suite struct MutationTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["AUDIOSYNC_MUTATIONS"] ?? "") ?? 1500

    static func mutate(_ bytes: [UInt8], _ random: inout UInt64) -> [UInt8] {
        func next(_ bound: Int) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((random >> 33) % UInt64(max(1, bound)))
        }
        var out = bytes
        for _ in 0...next(4) {
            guard !out.isEmpty else { break }
            let at = next(out.count)
            switch next(6) {
            case 0: out[at] ^= UInt8(1 << next(8))
            case 1: out[at] = [0x00, 0xFF, 0x7F, 0x80][next(4)]
            case 2:  // a length or size field set to something hostile
                for k in 0..<min(4, out.count - at) { out[at + k] = [0xFF, 0x00, 0x7F][next(3)] }
            case 3: out.insert(contentsOf: DamagedSet.noise(next(300), seed: UInt64(at)), at: at)
            case 4: out.removeSubrange(at..<min(out.count, at + next(2000)))
            default: out = Array(out[..<at])
            }
        }
        return out
    }

    @Test func mutantsOfEveryFixtureGiveTypedOutcomes() {
        let scratch = ScratchDirectory()
        let fixtures = Fixture.all.map { ($0.name, $0.bytes) }
        var random: UInt64 = 0x5EED
        var outcomes: [String: Int] = [:]
        for k in 0..<Self.iterations {
            let (name, bytes) = fixtures[k % fixtures.count]
            let mutant = Self.mutate(bytes, &random)
            let path = scratch.write("m\(k % 64)-" + name, mutant)
            let result = AudioFileProbe.probe(path: path)
            #expect((result.duration == nil) != (result.failure == nil), "\(name) #\(k): \(result)")
            if let duration = result.duration {
                #expect(duration.isFinite && duration >= 0 && duration < 1e9, "\(name) #\(k): \(result)")
            }
            outcomes[result.failure.map { "\($0)" } ?? (result.damage?.rawValue ?? "ok"), default: 0] += 1
        }
        // The mutants must reach into the readers, not stop at their first check: some still read
        // cleanly, some read as damaged, and the failures have more than one reason.
        let damaged = outcomes.keys.filter { ProbeDamage(rawValue: $0) != nil }
        let failures = outcomes.keys.filter { $0 != "ok" && ProbeDamage(rawValue: $0) == nil }
        #expect(outcomes["ok", default: 0] > 0, "\(outcomes)")
        #expect(!damaged.isEmpty, "\(outcomes)")
        #expect(failures.count >= 2, "\(outcomes)")
    }
}
