extension Array {
    /// The elements in the order of `key`, equal keys in their order here (as a stable sort by
    /// `key` gives them), each element moved once.
    ///
    /// Sorting a plan's links in place moves whole links, a few hundred bytes each, at every step,
    /// at the end of a run with the other core idle. Here only the keys and positions are sorted.
    func sorted<Key: Comparable>(byKey key: (Element) -> Key) -> [Element] {
        Self.joined([self], orderedBy: key)
    }

    /// The elements of `lists` in the order of `key`: what a stable sort of the lists joined one
    /// after another gives, with each element copied once (joining first copied every link of a
    /// run twice).
    static func joined<Key: Comparable>(_ lists: [[Element]], orderedBy key: (Element) -> Key) -> [Element] {
        var order: [(key: Key, list: Int, position: Int)] = []
        order.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists.indices {
            for position in lists[list].indices { order.append((key(lists[list][position]), list, position)) }
        }
        order.sort { $0.key != $1.key ? $0.key < $1.key : ($0.list, $0.position) < ($1.list, $1.position) }
        return order.map { lists[$0.list][$0.position] }
    }
}
