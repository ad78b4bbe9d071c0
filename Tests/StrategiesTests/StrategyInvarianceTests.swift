import MatchEngine
import Strategies
import Testing

/// What no strategy may be sensitive to, checked on every example of every strategy that stands on
/// the pair alone. Examples that carry a population (the instance's messages as a whole: term
/// frequencies, download windows by path) are left out: shifting or renaming one pair without its
/// population would change what the population says about it.
struct StrategyInvarianceTests {
    static let cases = StrategyExampleTests.cases.filter { $0.example.population == nil }

    static func level(
        _ testCase: StrategyExampleTests.Case, file: AudioFile, message: AudioMessage,
        calibration: InstanceCalibration? = nil
    ) throws -> String? {
        let strategy = try configuredStrategy(testCase.strategy, yaml: testCase.example.configuration)
        let context = ScoringContext(
            calibration: calibration ?? testCase.example.calibration, allowCrossChat: testCase.example.allowCrossChat)
        return strategy.compare(file, message, in: context).map { strategy.levels[$0.level].identifier }
    }

    @Test("Shifting every time of both sides by the same amount changes nothing", arguments: cases)
    func timeShift(_ testCase: StrategyExampleTests.Case) throws {
        for shift: Int64 in [-86_400 * 40 - 7, 1, 3_600 * 5, 86_400 * 365] {
            var file = testCase.example.file
            var message = testCase.example.message
            file.name.time = file.name.time.map { LocalTime(secondsSinceEpoch: $0.secondsSinceEpoch + shift) }
            file.modificationTime = file.modificationTime.map { $0 + shift }
            message.sentTime = message.sentTime.map { $0 + shift }
            message.insertTime += shift
            // The calibration's own times (where the clock changed, where the derivation held, a
            // drift's reference) are times of the file's side too.
            var calibration = testCase.example.calibration
            calibration.clockChanges = calibration.clockChanges.map {
                ClockChange(after: $0.after + shift, from: $0.from + shift, offset: $0.offset)
            }
            calibration.derivationSpan = calibration.derivationSpan.map {
                DerivationSpan(from: $0.from.map { $0 + shift }, to: $0.to.map { $0 + shift })
            }
            calibration.clockDrift?.reference += shift
            calibration.mtimeDrift?.reference += shift
            #expect(
                try Self.level(testCase, file: file, message: message, calibration: calibration)
                    == testCase.example.expectedLevel,
                "shift \(shift)",
                sourceLocation: testCase.example.sourceLocation
            )
        }
    }

    @Test("Renaming the client and instance folders (and the database's names) changes nothing", arguments: cases)
    func renameParents(_ testCase: StrategyExampleTests.Case) throws {
        var file = testCase.example.file
        var message = testCase.example.message
        file.clientFolder = "Maria_da_Conceicao"
        file.instanceID = "ZZ9ZZZ-PLURAL-Z-ALPHA"
        file.path = "Maria_da_Conceicao/instance_ZZ9ZZZ-PLURAL-Z-ALPHA/chats/\(file.chatFolder)/\(file.fileName)"
        message.clientName = "Maria da Conceição"
        message.instanceID = "ZZ9ZZZ-PLURAL-Z-ALPHA"
        message.rowID += 1000
        message.chatRowID += 77
        #expect(
            try Self.level(testCase, file: file, message: message) == testCase.example.expectedLevel,
            sourceLocation: testCase.example.sourceLocation
        )
    }

    @Test("Dropping the kind folder (the older layout) changes nothing", arguments: cases)
    func olderLayout(_ testCase: StrategyExampleTests.Case) throws {
        var file = testCase.example.file
        file.kind = nil
        file.path = file.path.replacingOccurrences("/audio/", "/")
        #expect(
            try Self.level(testCase, file: file, message: testCase.example.message) == testCase.example.expectedLevel,
            sourceLocation: testCase.example.sourceLocation
        )
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let index = rest.firstRange(of: target) {
            result += rest[..<index.lowerBound] + replacement
            rest = rest[index.upperBound...]
        }
        return result + rest
    }
}
