import Testing

@testable import MatchEngine

struct AssignmentTests {
    /// The best total value over every matching, by exhaustive search.
    static func bruteForce(leftCount: Int, rightCount: Int, edges: [Assignment.Edge]) -> Double {
        var best = 0.0
        var usedRight = [Bool](repeating: false, count: rightCount)
        var byLeft = [[Assignment.Edge]](repeating: [], count: leftCount)
        for edge in edges { byLeft[edge.left].append(edge) }
        func search(_ left: Int, _ total: Double) {
            if left == leftCount {
                best = max(best, total)
                return
            }
            search(left + 1, total)
            for edge in byLeft[left] where !usedRight[edge.right] {
                usedRight[edge.right] = true
                search(left + 1, total + edge.value)
                usedRight[edge.right] = false
            }
        }
        search(0, 0)
        return best
    }

    static func value(of assignment: Assignment, edges: [Assignment.Edge]) -> Double {
        assignment.matchedPairs().reduce(0) { total, pair in
            total + edges.filter { $0.left == pair.left && $0.right == pair.right }.map(\.value).max()!
        }
    }

    @Test("Optimal against brute force on random instances up to 8×8", arguments: 0..<40)
    func matchesBruteForce(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 17)
        for _ in 0..<25 {
            let leftCount = Int.random(in: 1...8, using: &random)
            let rightCount = Int.random(in: 1...8, using: &random)
            let density = Double.random(in: 0.1...1, using: &random)
            var edges: [Assignment.Edge] = []
            for left in 0..<leftCount {
                for right in 0..<rightCount where Double.random(in: 0..<1, using: &random) < density {
                    // Small integers make ties common, which is where solvers go wrong.
                    let value =
                        Bool.random(using: &random)
                        ? Double(Int.random(in: 0...4, using: &random))
                        : Double.random(in: 0...20, using: &random)
                    edges.append(.init(left: left, right: right, value: value))
                }
            }
            let assignment = Assignment(leftCount: leftCount, rightCount: rightCount, edges: edges)
            let expected = Self.bruteForce(leftCount: leftCount, rightCount: rightCount, edges: edges)
            let got = Self.value(of: assignment, edges: edges)
            #expect(
                abs(got - expected) < 1e-6, "\(leftCount)×\(rightCount) edges \(edges): got \(got), best \(expected)")
            var seenRight = Set<Int>()
            for pair in assignment.matchedPairs() {
                #expect(seenRight.insert(pair.right).inserted, "right node matched twice")
            }
        }
    }

    @Test(
        "Never forces a pair: a node stays unmatched rather than take an edge another node values more; an edge worth exactly 0 links"
    )
    func leavesUnmatched() {
        // Left 0 prefers right 0 (5) over right 1 (1); left 1 can only take right 0 (4).
        // Optimum: 0–1 and 1–0 (1 + 4 = 5) ties 0–0 alone (5); either way no node is matched twice.
        let edges: [Assignment.Edge] = [
            .init(left: 0, right: 0, value: 5), .init(left: 0, right: 1, value: 1), .init(left: 1, right: 0, value: 4),
        ]
        let assignment = Assignment(leftCount: 2, rightCount: 2, edges: edges)
        #expect(abs(Self.value(of: assignment, edges: edges) - 5) < 1e-6)
        #expect(Assignment(leftCount: 3, rightCount: 3, edges: []).matchedPairs().isEmpty)
        // The edge of value exactly 0: a score exactly at the floor links (Solver.epsilon), rather
        // than tie with leaving both ends unmatched.
        let alone = Assignment(leftCount: 1, rightCount: 1, edges: [.init(left: 0, right: 0, value: 0)])
        #expect(alone.matchedPairs().map { [$0.left, $0.right] } == [[0, 0]])
        // Left 0 takes right 1 (3) over right 0 (0); left 1's only edge, worth 0, then takes right 0.
        let beside = Assignment(
            leftCount: 2, rightCount: 2,
            edges: [
                .init(left: 0, right: 0, value: 0), .init(left: 0, right: 1, value: 3),
                .init(left: 1, right: 0, value: 0),
            ]
        )
        #expect(beside.matchOfLeft == [1, 0])
        // Right 0 is worth 2 to left 0 and 0 to left 1: left 1 stays unmatched rather than take it.
        let rival = Assignment(
            leftCount: 2, rightCount: 1,
            edges: [.init(left: 1, right: 0, value: 0), .init(left: 0, right: 0, value: 2)]
        )
        #expect(rival.matchOfLeft == [0, nil])
        // Two edges worth 0 into one right node: exactly one links.
        let tie = Assignment(
            leftCount: 2, rightCount: 1,
            edges: [.init(left: 0, right: 0, value: 0), .init(left: 1, right: 0, value: 0)]
        )
        #expect(tie.matchedPairs().count == 1)
    }

    @Test("A chain of thousands of nodes solves without a dense matrix")
    func largeChain() {
        // Left i may take right i (value 2) or right i+1 (value 3): the optimum takes every i→i+1.
        let n = 5000
        var edges: [Assignment.Edge] = []
        for i in 0..<n {
            edges.append(.init(left: i, right: i, value: 2))
            edges.append(.init(left: i, right: i + 1, value: 3))
        }
        let assignment = Assignment(leftCount: n, rightCount: n + 1, edges: edges)
        #expect(assignment.matchedPairs().count == n)
        #expect(abs(Self.value(of: assignment, edges: edges) - Double(3 * n)) < 1e-6)
    }
}

struct ParallelMapTests {
    @Test(
        "parallelMap keeps order and covers every index, whatever the count and chunking",
        arguments: [0, 1, 2, 3, 7, 18, 513, 1000, 4099])
    func coversEverything(count: Int) {
        for minimumChunk in [1, 2, 5, 256] {
            let result = parallelMap(count: count, minimumChunk: minimumChunk) { range in Array(range) }
            #expect(result == Array(0..<count), "count \(count), minimumChunk \(minimumChunk)")
        }
    }

    @Test("parallelMap inside parallelMap keeps every result in order")
    func nested() {
        let result = parallelMap(count: 3, minimumChunk: 1) { outer in
            outer.map { instance in
                parallelMap(count: 5_000, minimumChunk: 7) { inner in inner.map { instance * 10_000 + $0 } }
            }
        }
        #expect(result == (0..<3).map { instance in (0..<5_000).map { instance * 10_000 + $0 } })
    }

    @Test("Many calls in a row: a helper that comes after a call returned takes nothing of the next")
    func manyCalls() {
        for call in 0..<2_000 {
            let count = 10 + call % 97
            let result = parallelMap(count: count, minimumChunk: 1) { range in range.map { $0 * call } }
            #expect(result == (0..<count).map { $0 * call })
        }
    }
}

struct HashDerivationTests {
    @Test("matches(token:id:) agrees with token(of:) for every derivation, ids of every shape and case")
    func matchesAgreesWithToken() {
        let ids = [
            "3EB0C767D0D1E2F3A4B5", "3a5f0e1d2c3b4a5968", "ABCDEF0123456789ABCDEF0123456789", "short",
            "3eb0c767d0d1e2f3a4b5",
        ]
        for id in ids {
            for derivation in HashDerivation.allCases {
                let token = derivation.token(of: id)
                #expect(derivation.matches(token: token, id: id), "\(derivation) \(id)")
                #expect(!derivation.matches(token: "ZZZZZZZZ", id: id))
                for other in HashDerivation.allCases where other.token(of: id) != token {
                    #expect(!derivation.matches(token: other.token(of: id), id: id))
                }
            }
        }
        // The token is compared as it is, the id upper-cased: a lower-case token is no derivation's.
        #expect(!HashDerivation.idPrefix.matches(token: "3eb0c767", id: "3EB0C767D0D1E2F3A4B5"))
        #expect(!HashDerivation.md5.matches(token: "6a9ea3a6", id: "3EB0C767D0D1E2F3A4B5"))
        // Lengths: an id of 8 or fewer characters is its own token, and a token of another length none.
        #expect(HashDerivation.idSuffix.matches(token: "ABC", id: "abc"))
        #expect(!HashDerivation.idSuffix.matches(token: "ABC", id: "abcd"))
        #expect(HashDerivation.idPrefix.matches(token: "", id: ""))
        #expect(!HashDerivation.idPrefix.matches(token: "3EB0C767D", id: "3EB0C767D0D1E2F3A4B5"))
        #expect(!HashDerivation.sha1.matches(token: "892EE0B", id: "3EB0C767D0D1E2F3A4B5"))
        // Known vectors (Python's hashlib): MD5, SHA-1, SHA-256 of 3EB0C767D0D1E2F3A4B5.
        #expect(HashDerivation.md5.token(of: "3EB0C767D0D1E2F3A4B5") == "6A9EA3A6")
        #expect(HashDerivation.sha1.token(of: "3EB0C767D0D1E2F3A4B5") == "892EE0B5")
        #expect(HashDerivation.sha256.token(of: "3EB0C767D0D1E2F3A4B5") == "2116048F")
    }
}

extension HashDerivationTests {
    @Test("Packed tokens equal exactly when the tokens do")
    func packedTokens() {
        for id in ["3EB0C767D0D1E2F3A4B5", "3a5f0e1d2c3b", "abc", "ABCDEF0123456789"] {
            for derivation in HashDerivation.allCases {
                #expect(
                    derivation.packedToken(of: id) == HashDerivation.pack(derivation.token(of: id)),
                    "\(derivation) \(id)")
            }
        }
        #expect(HashDerivation.pack("ABC") != HashDerivation.pack("ABC0"))
        #expect(HashDerivation.pack("abcdef12") == HashDerivation.pack("ABCDEF12"))
    }
}

struct AudioFormatTests {
    @Test(
        "MIME types name formats, case aside",
        arguments: [
            ("audio/ogg; codecs=opus", AudioFormat.oggOpus), ("AUDIO/OGG; codecs=Vorbis", .oggVorbis),
            ("audio/opus", .oggOpus),
            ("audio/mpeg", .mp3), ("audio/mp4", .mp4), ("audio/aac", .mp4), ("audio/x-m4a", .mp4), ("audio/wav", .wav),
        ])
    func mimetypes(mimetype: String, format: AudioFormat) {
        #expect(AudioFormat(mimetype: mimetype) == format)
    }

    @Test("Other MIME types name no audio format")
    func others() {
        for text in ["image/jpeg", "", "audio", "application/ogg"] { #expect(AudioFormat(mimetype: text) == nil) }
    }
}
