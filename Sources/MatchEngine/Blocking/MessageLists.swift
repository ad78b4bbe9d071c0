/// Messages (an instance's local numbers) by a key: a token, a declared size, a declared digest.
///
/// Most keys name one message, so a key holds that message itself and only a key shared by several
/// holds a list. A dictionary of arrays made a heap object of every key, a million of them per
/// index at a million rows, each allocated while the index was built and freed after the plan (the
/// freeing alone took a core for over a second at the end of a million-row sync, in `perf`).
struct MessageLists<Key: Hashable & Sendable>: Sendable {
    /// The key's one message, or, below zero, `-(n + 1)`: the key's list is `shared[n]`.
    private var first: [Key: Int32] = [:]
    private var shared: [[Int32]] = []

    init(minimumCapacity: Int = 0) {
        first.reserveCapacity(minimumCapacity)
    }

    /// Adds `message` to the key's list, after those added before.
    mutating func append(_ message: Int32, to key: Key) {
        guard let held = first[key] else {
            first[key] = message
            return
        }
        if held >= 0 {
            first[key] = -Int32(shared.count) - 1
            shared.append([held, message])
        } else {
            shared[Int(-held - 1)].append(message)
        }
    }

    /// The key's messages in the order added; `nil` when none.
    subscript(key: Key) -> MessageList? {
        guard let held = first[key] else { return nil }
        return held >= 0 ? MessageList(one: held) : MessageList(many: shared[Int(-held - 1)])
    }

    /// Every key with how many messages it holds.
    var counts: [(key: Key, count: Int)] {
        first.map { key, held in (key, held >= 0 ? 1 : shared[Int(-held - 1)].count) }
    }
}

/// The messages of one key of ``MessageLists``.
struct MessageList: RandomAccessCollection, Sendable {
    private let one: Int32
    private let many: [Int32]?

    init(one: Int32) {
        self.one = one
        many = nil
    }

    init(many: [Int32]) {
        one = -1
        self.many = many
    }

    var startIndex: Int { 0 }
    var endIndex: Int { many?.count ?? 1 }

    subscript(position: Int) -> Int32 {
        guard let many else {
            precondition(position == 0, "index out of range")
            return one
        }
        return many[position]
    }
}
