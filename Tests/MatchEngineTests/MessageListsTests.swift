import Testing

@testable import MatchEngine

/// The index's lists of messages by key hold a key's one message in place and give every key its
/// messages in the order they were added, as the dictionary of arrays they replace did.
struct MessageListsTests {
    @Test("A key's messages come back in the order added, one or many; an absent key has none")
    func orderAndCounts() {
        var lists = MessageLists<UInt64>()
        lists.append(7, to: 1)
        lists.append(3, to: 2)
        lists.append(9, to: 2)
        lists.append(4, to: 2)
        lists.append(5, to: 3)
        lists.append(6, to: 3)
        #expect(lists[1].map(Array.init) == [7])
        #expect(lists[2].map(Array.init) == [3, 9, 4])
        #expect(lists[3].map(Array.init) == [5, 6])
        #expect(lists[4] == nil)
        #expect(lists[1]?.count == 1 && lists[2]?.count == 3)
        let counts = Dictionary(uniqueKeysWithValues: lists.counts.map { ($0.key, $0.count) })
        #expect(counts == [1: 1, 2: 3, 3: 2])
    }

    @Test("The same lists as a dictionary of arrays, over many keys drawn at random")
    func sameAsDictionaryOfArrays() {
        var random = SplitMix(seed: 5)
        var lists = MessageLists<Int64>()
        var reference: [Int64: [Int32]] = [:]
        for message in 0..<5_000 {
            let key = Int64(random.next() % 1_500)
            lists.append(Int32(message), to: key)
            reference[key, default: []].append(Int32(message))
        }
        for key in Int64(0)..<1_600 { #expect(lists[key].map(Array.init) == reference[key]) }
        #expect(lists.counts.count == reference.count)
    }
}
