import MatchEngine
import Testing

@testable import MessageStore

/// `ChangeDecision.validate` on lists long enough to be checked on every core: whichever part of
/// the list finds a problem first, the change named is the first one in the list with a problem.
struct ChangeValidationTests {
    static let load: MessageLoad = {
        let messages = (1...20_000).map { row in
            AudioMessage(
                rowID: Int64(row), clientID: 1, clientName: "Client", instanceID: "instance_A", chatRowID: 1,
                chatID: "5511999990000", insertTime: 0)
        }
        return MessageLoad(
            messages: messages, fingerprints: messages.map { _ in ContentFingerprint(rawValue: 0) },
            report: LoadReport())
    }()

    static func link(_ row: Int, path: String = "Client/instance_A/5511999990000/msg.ogg") -> ChangeSet.Change {
        .init(messageRowID: Int64(row), action: .link(localPath: path, localUrl: "/api/audio/\(row)/"))
    }

    static func notLoaded(_ row: Int) -> MessageStoreError {
        .invalidChanges("row \(row) is not among the loaded messages the changes were planned from")
    }

    @Test("A long list of valid changes passes, in row order or not")
    func validLists() throws {
        let ordered = (1...15_000).map { Self.link($0) }
        try ChangeDecision.validate(ordered, against: Self.load)
        try ChangeDecision.validate(ordered.reversed(), against: Self.load)
    }

    @Test("In a long list in row order, the earliest problem is named, not a later one")
    func earliestProblem() {
        var changes = (1...15_000).map { Self.link($0) }
        changes.append(Self.link(30_000))
        changes[14_000] = Self.link(14_001, path: "/absolute.ogg")
        changes[9_000] = Self.link(9_001, path: "Client\\instance_A\\msg.ogg")
        #expect(
            throws: MessageStoreError.invalidChanges(
                "row 9001: localPath 'Client\\instance_A\\msg.ogg' must be relative to the media root, with '/'")
        ) { try ChangeDecision.validate(changes, against: Self.load) }
        changes[9_000] = Self.link(9_001)
        changes[14_000] = Self.link(14_001)
        #expect(throws: Self.notLoaded(30_000)) { try ChangeDecision.validate(changes, against: Self.load) }
    }

    @Test("A row named twice is named unless a problem comes before its second change")
    func repeatedRow() {
        var changes = (1...15_000).reversed().map { Self.link($0) }
        // Row 14,900, first at position 100, again at 12,000; a row not loaded after it.
        changes[12_000] = Self.link(14_900)
        changes[13_000] = Self.link(40_000)
        #expect(throws: MessageStoreError.invalidChanges("row 14900 appears more than once")) {
            try ChangeDecision.validate(changes, against: Self.load)
        }
        // In row order, the two changes of a row sit side by side.
        #expect(throws: MessageStoreError.invalidChanges("row 8000 appears more than once")) {
            try ChangeDecision.validate(
                (1...15_000).flatMap { $0 == 8_000 ? [Self.link($0), Self.link($0)] : [Self.link($0)] },
                against: Self.load)
        }
        // A row not loaded before the repeat is the first problem.
        changes[5_000] = Self.link(50_000)
        #expect(throws: Self.notLoaded(50_000)) { try ChangeDecision.validate(changes, against: Self.load) }
    }
}
