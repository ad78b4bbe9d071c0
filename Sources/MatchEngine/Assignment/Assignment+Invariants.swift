#if AUDIOSYNC_INVARIANTS
    extension Assignment {
        /// Checks, in debug builds, what must hold of any optimal assignment: each node matched at
        /// most once and only along an input edge, and no improvement by one local move (taking
        /// an edge between two free nodes, or moving a node to a free partner for more value).
        /// Full optimality is checked against brute force in the tests.
        func checkInvariants(leftCount: Int, rightCount: Int, edges: [Edge]) {
            var value: [Int: [Int: Double]] = [:]
            for edge in edges {
                precondition(edge.value >= 0 && edge.value.isFinite, "edge values must be finite and ≥ 0")
                value[edge.left, default: [:]][edge.right] = max(value[edge.left]?[edge.right] ?? 0, edge.value)
            }
            for (left, right) in matchedPairs() {
                precondition(matchOfRight[right] == left, "matches must agree on both sides")
                precondition(value[left]?[right] != nil, "a match must follow an input edge")
            }
            let tolerance = 1e-6
            for edge in edges {
                let leftPartner = matchOfLeft[edge.left]
                let rightPartner = matchOfRight[edge.right]
                if leftPartner == edge.right { continue }
                let current =
                    (leftPartner.map { value[edge.left]![$0]! } ?? 0)
                    + (rightPartner.map { value[$0]![edge.right]! } ?? 0)
                if leftPartner == nil && rightPartner == nil {
                    precondition(edge.value <= tolerance, "an edge between two free nodes would add value")
                }
                if leftPartner == nil || rightPartner == nil {
                    precondition(edge.value <= current + tolerance, "moving one node to this edge would add value")
                }
            }
        }
    }
#endif
