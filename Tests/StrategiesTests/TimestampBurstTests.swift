import MatchEngine
import Strategies
import Testing

/// How common "written within 30 s of the message" is in a conversation whose notes come in bursts:
/// as common as a note's neighbours, not what the day's pace spread evenly would say.
struct TimestampBurstTests {
    static let start: Int64 = 1_754_772_552  // 2025-08-09 20:49:12 UTC

    /// One chat's messages sent at the given offsets from ``start``.
    static func messages(at offsets: [Int64]) -> [AudioMessage] {
        offsets.enumerated().map { index, offset in
            var message = AudioMessage.example(rowID: Int64(index + 1), id: nil)
            message.sentTime = start + offset
            message.insertTime = start + offset
            return message
        }
    }

    /// Forty notes: ten bursts of four, 12 s apart, two hours between bursts.
    static let bursty = (0..<10).flatMap { burst in (0..<4).map { Int64(burst * 7_200 + $0 * 12) } }
    /// Forty notes, one every half hour.
    static let even = (0..<40).map { Int64($0 * 1_800) }

    /// The chance the time strategy gives a file written 20 s after the message at `offset`, with
    /// `others` (another chat's notes) in the same instance.
    func chance(offsets: [Int64], fileAfter offset: Int64, others: [AudioMessage] = []) throws -> Double {
        let messages = Self.messages(at: offsets)
        let population = Population.example(messages + others)
        var file = AudioFile.example(token: nil)
        // The example server runs on UTC−03:00: the name's wall-clock time is three hours behind.
        file.name.time = LocalTime(secondsSinceEpoch: Self.start + offset + 20 - 10_800)
        let strategy = try configuredStrategy("timestamp_distance", yaml: "")
        let context = ScoringContext(
            calibration: InstanceCalibration(hashDerivations: [], clockOffset: -10_800), population: population)
        let message = try #require(messages.first { $0.sentTime == Self.start + offset })
        let finding = try #require(strategy.compare(file, message, in: context))
        #expect(strategy.levels[finding.level].identifier == "within_30s")
        return try #require(finding.chance)
    }

    @Test("A conversation's mean neighbours within a window, either side and halved")
    func neighbours() throws {
        let bursts = try #require(Population.example(Self.messages(at: Self.bursty)).conversation(of: .example()))
        // 12 s apart: none within 10 s; within 30 s the ends of a burst have two, the middle three.
        #expect(bursts.neighbours(within: 10) == 0)
        #expect(bursts.neighbours(within: 30) == 10.0 / 8)
        #expect(bursts.neighbours(within: 17) == 0)
        let spread = try #require(Population.example(Self.messages(at: Self.even)).conversation(of: .example()))
        #expect(spread.neighbours(within: 600) == 0)
        // Half an hour apart, within an hour: four neighbours each, three and two near the ends.
        let hour: Double = (36 * 4 + 2 * 3 + 2 * 2) / 80
        #expect(spread.neighbours(within: 3_600) == hour)
    }

    @Test("20 s after the last note of a burst is a coincidence of one in 32 there, far rarer where notes are spread")
    func burstsMakeCloseTimesCommon() throws {
        // The last note of the fifth burst: its burst's others are more than 30 s before the file,
        // so the window holds the note alone, as it would were the file a missing neighbour's.
        let burst = try chance(offsets: Self.bursty, fileAfter: 4 * 7_200 + 36)
        let spread = try chance(offsets: Self.even, fileAfter: 4 * 1_800)
        #expect(abs(burst - 1.25 / 40) < 1e-12)
        #expect(spread < 1e-3)
    }

    /// Another chat's notes at the given offsets from ``start``, row ids from 1,001.
    static func otherChat(at offsets: [Int64]) -> [AudioMessage] {
        messages(at: offsets).enumerated().map { index, message in
            var message = message
            message.rowID = Int64(1_001 + index)
            message.chatID = "5511987654321@s.whatsapp.net"
            return message
        }
    }

    @Test("A chat of a few lone notes counts bursts as the instance's other chats have them")
    func fewNotesBorrowTheInstancesBursts() throws {
        // Five notes a week apart: alone, the chat says a note never has a neighbour.
        let week: Int64 = 7 * 86_400
        let lone = (0..<5).map { Int64($0) * week }
        let alone = try chance(offsets: lone, fileAfter: 2 * week)
        #expect(alone < 1e-3)
        // Beside a chat of forty bursty notes, its five count as five of fifteen: the instance's mean,
        // (40 × 1.25 + 5 × 0) / 45, weighed as ten notes.
        let instance = (40 * 1.25) / 45
        let shrunk = instance * 10 / 15
        let conversation = try #require(
            Population.example(Self.messages(at: lone) + Self.otherChat(at: Self.bursty)).conversation(of: .example()))
        #expect(abs(conversation.neighbours(within: 30) - shrunk) < 1e-12)
        let beside = try chance(offsets: lone, fileAfter: 2 * week, others: Self.otherChat(at: Self.bursty))
        #expect(abs(beside - shrunk / 5) < 1e-12)
    }

    @Test(
        """
        A message just outside the window counts, spread over the wider window that holds it: a file 3 s \
        after one note and 25 s after its neighbour is not a thousand times likelier the first's
        """
    )
    func aNeighbourJustOutsideTheWindowCounts() throws {
        // Forty notes a day apart, and two more 22 s apart; the file 3 s after the second of the two.
        let pair: Int64 = 20 * 86_400 + 1_000
        let offsets = (0..<40).map { Int64($0) * 86_400 } + [pair, pair + 22]
        let messages = Self.messages(at: offsets)
        let population = Population.example(messages)
        var file = AudioFile.example(token: nil)
        file.name.time = LocalTime(secondsSinceEpoch: Self.start + pair + 25 - 10_800)
        let strategy = try configuredStrategy("timestamp_distance", yaml: "")
        let context = ScoringContext(
            calibration: InstanceCalibration(hashDerivations: [], clockOffset: -10_800), population: population)
        func finding(at offset: Int64) throws -> (level: String, chance: Double) {
            let message = try #require(messages.first { $0.sentTime == Self.start + offset })
            let finding = try #require(strategy.compare(file, message, in: context))
            return (strategy.levels[finding.level].identifier, try #require(finding.chance))
        }
        let near = try finding(at: pair + 22)
        let neighbour = try finding(at: pair)
        #expect(near.level == "within_10s" && neighbour.level == "within_30s")
        // The neighbour's window holds the near note: one other of 42. The near note's holds none,
        // but the 30 s window around it holds the neighbour, a third of which falls within 10 s.
        #expect(neighbour.chance >= 1.0 / 42)
        #expect(near.chance > 0.3 / 42 && near.chance < 0.5 / 42)
        #expect(neighbour.chance / near.chance < 4)
    }
}
