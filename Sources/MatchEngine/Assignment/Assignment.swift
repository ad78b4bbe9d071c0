/// Optimal one-to-one assignment on a sparse bipartite graph, with "leave unmatched" allowed.
///
/// Maximises the sum of edge values over a matching; an edge is only ever taken when it adds
/// value, so a node is left unmatched rather than forced onto a bad partner. Edge values are
/// `score − floor` (the floor is the price of leaving a node unmatched).
///
/// Algorithm: successive shortest augmenting paths (the sparse form of the Hungarian method) —
/// min-cost flow with costs `−value`, Dijkstra on reduced costs kept non-negative by Johnson
/// potentials, stopping at the first augmenting path whose cost is not negative (the costs of
/// successive paths never decrease, so that is the optimum over all matching sizes).
/// Time O(k · E log V) for k augmentations, memory O(V + E): no dense matrix, so a component of
/// thousands of nodes costs what its edges cost. See `docs/architecture.md`.
struct Assignment: Sendable {
    /// An edge between left node `left` and right node `right` worth `value` (must be ≥ 0).
    struct Edge: Sendable, Hashable {
        var left: Int
        var right: Int
        var value: Double
    }

    /// For each left node, the right node it is matched to, or `nil`.
    private(set) var matchOfLeft: [Int?]
    /// For each right node, the left node it is matched to, or `nil`.
    private(set) var matchOfRight: [Int?]

    /// Solves the assignment for `leftCount` × `rightCount` nodes and `edges`.
    init(leftCount: Int, rightCount: Int, edges: [Edge]) {
        matchOfLeft = Array(repeating: nil, count: leftCount)
        matchOfRight = Array(repeating: nil, count: rightCount)
        guard !edges.isEmpty else { return }
        var solver = Solver(leftCount: leftCount, rightCount: rightCount, edges: edges)
        solver.run()
        for (left, edge) in solver.matchedEdge.enumerated() {
            guard let edge else { continue }
            matchOfLeft[left] = edges[edge].right
            matchOfRight[edges[edge].right] = left
        }
        #if AUDIOSYNC_INVARIANTS
            checkInvariants(leftCount: leftCount, rightCount: rightCount, edges: edges)
        #endif
    }

    /// The matched pairs as edges of the input.
    func matchedPairs() -> [(left: Int, right: Int)] {
        matchOfLeft.enumerated().compactMap { left, right in right.map { (left, $0) } }
    }
}

/// The successive-shortest-path state: adjacency in compressed rows, potentials, matches.
private struct Solver {
    let leftCount: Int
    let rightCount: Int
    let edges: [Assignment.Edge]
    /// Edges of left node `l` are `adjacency[offsets[l]..<offsets[l + 1]]`.
    var offsets: [Int]
    var adjacency: [Int]
    /// Potentials; left nodes first, then right nodes at `leftCount + r`.
    var potential: [Double]
    /// For each left node, the index of its matched edge.
    var matchedEdge: [Int?]
    /// For each right node, the index of its matched edge.
    var matchedEdgeOfRight: [Int?]

    // Values are shifted by a hair so that an edge exactly at the floor still links rather than
    // tie with leaving both ends unmatched.
    static let epsilon = 1e-9

    init(leftCount: Int, rightCount: Int, edges: [Assignment.Edge]) {
        self.leftCount = leftCount
        self.rightCount = rightCount
        self.edges = edges
        var counts = [Int](repeating: 0, count: leftCount + 1)
        for edge in edges { counts[edge.left + 1] += 1 }
        for i in 0..<leftCount { counts[i + 1] += counts[i] }
        offsets = counts
        var fill = counts
        adjacency = [Int](repeating: 0, count: edges.count)
        for (index, edge) in edges.enumerated() {
            adjacency[fill[edge.left]] = index
            fill[edge.left] += 1
        }
        // Reduced cost of l→r is cost + π(l) − π(r) with cost = −value. With π(l) = 0 and
        // π(r) = min over incoming costs, every reduced cost starts non-negative.
        potential = [Double](repeating: 0, count: leftCount + rightCount)
        for edge in edges {
            let cost = -(edge.value + Self.epsilon)
            potential[leftCount + edge.right] = min(potential[leftCount + edge.right], cost)
        }
        matchedEdge = Array(repeating: nil, count: leftCount)
        matchedEdgeOfRight = Array(repeating: nil, count: rightCount)
    }

    func cost(_ edge: Int) -> Double { -(edges[edge].value + Self.epsilon) }

    mutating func run() {
        let nodeCount = leftCount + rightCount
        var distance = [Double](repeating: .infinity, count: nodeCount)
        var parentEdge = [Int](repeating: -1, count: nodeCount)
        var done = [Bool](repeating: false, count: nodeCount)
        var touched: [Int] = []
        while true {
            // Dijkstra from every free left node at once (their potentials all stay 0: a left
            // node, once matched, never becomes free again).
            var heap = MinHeap()
            for left in 0..<leftCount where matchedEdge[left] == nil && offsets[left] < offsets[left + 1] {
                distance[left] = 0
                touched.append(left)
                heap.push(0, left)
            }
            var bestSink = -1
            var bestCost = 0.0
            while let (d, node) = heap.pop() {
                if done[node] || d > distance[node] { continue }
                done[node] = true
                if node < leftCount {
                    for slot in offsets[node]..<offsets[node + 1] {
                        let edge = adjacency[slot]
                        if matchedEdge[node] == edge { continue }
                        let right = leftCount + edges[edge].right
                        let reduced = max(0, cost(edge) + potential[node] - potential[right])
                        let candidate = d + reduced
                        if candidate < distance[right] {
                            if distance[right] == .infinity { touched.append(right) }
                            distance[right] = candidate
                            parentEdge[right] = edge
                            heap.push(candidate, right)
                        }
                    }
                } else {
                    let right = node - leftCount
                    if let edge = matchedEdgeOfRight[right] {
                        // Back along the matched edge: tight, so its reduced cost is 0.
                        let left = edges[edge].left
                        let reduced = max(0, -cost(edge) + potential[node] - potential[left])
                        let candidate = d + reduced
                        if candidate < distance[left] {
                            if distance[left] == .infinity { touched.append(left) }
                            distance[left] = candidate
                            parentEdge[left] = edge
                            heap.push(candidate, left)
                        }
                    } else {
                        // A free right node ends an augmenting path; its true cost is d + π(r).
                        let trueCost = d + potential[node]
                        if trueCost < bestCost {
                            bestCost = trueCost
                            bestSink = node
                        }
                    }
                }
            }
            guard bestSink >= 0 else { break }
            // Keep reduced costs non-negative: π(v) += min(dist(v), dist(sink)). Every shortest
            // augmenting path now runs on edges of reduced cost 0 and ends at a free right node
            // whose potential equals the best path cost.
            let limit = distance[bestSink]
            for node in 0..<nodeCount {
                potential[node] += min(distance[node], limit)
            }
            // Augment a maximal set of node-disjoint shortest paths at once (as Hopcroft–Karp
            // does for unit weights): one Dijkstra serves many augmentations, which keeps long
            // components from costing one full search per link.
            let target = potential[bestSink]
            if augmentShortestPaths(target: target) == 0 {
                augment(from: bestSink, parentEdge: parentEdge)
            }
            for node in touched {
                distance[node] = .infinity
                parentEdge[node] = -1
                done[node] = false
            }
            touched.removeAll(keepingCapacity: true)
        }
    }

    /// Flips the augmenting path that Dijkstra's parent edges trace back from `sink`.
    mutating func augment(from sink: Int, parentEdge: [Int]) {
        var node = sink
        while true {
            let edge = parentEdge[node]
            let left = edges[edge].left
            let previous = matchedEdge[left]
            matchedEdge[left] = edge
            matchedEdgeOfRight[edges[edge].right] = edge
            guard let previous else { break }
            node = leftCount + edges[previous].right
        }
    }

    static let tolerance = 1e-7

    /// Finds and flips node-disjoint augmenting paths that use only edges of reduced cost 0 and
    /// end at free right nodes whose potential is `target`; returns how many.
    mutating func augmentShortestPaths(target: Double) -> Int {
        var visitedLeft = [Bool](repeating: false, count: leftCount)
        var visitedRight = [Bool](repeating: false, count: rightCount)
        var augmented = 0
        // An explicit stack: components can be long chains, too deep for recursion.
        var pathEdges: [Int] = []
        var stack: [(left: Int, slot: Int)] = []
        for source in 0..<leftCount where matchedEdge[source] == nil && offsets[source] < offsets[source + 1] {
            guard !visitedLeft[source] else { continue }
            visitedLeft[source] = true
            stack = [(source, offsets[source])]
            pathEdges.removeAll(keepingCapacity: true)
            search: while let top = stack.last {
                let left = top.left
                var slot = top.slot
                while slot < offsets[left + 1] {
                    let edge = adjacency[slot]
                    slot += 1
                    let right = edges[edge].right
                    if matchedEdge[left] == edge || visitedRight[right] { continue }
                    let reduced = cost(edge) + potential[left] - potential[leftCount + right]
                    guard reduced <= Self.tolerance else { continue }
                    visitedRight[right] = true
                    stack[stack.count - 1].slot = slot
                    if let matched = matchedEdgeOfRight[right] {
                        let next = edges[matched].left
                        guard !visitedLeft[next] else { continue }
                        visitedLeft[next] = true
                        pathEdges.append(edge)
                        stack.append((next, offsets[next]))
                        continue search
                    }
                    guard abs(potential[leftCount + right] - target) <= Self.tolerance else { continue }
                    // Found: flip every edge on the path.
                    pathEdges.append(edge)
                    for pathEdge in pathEdges {
                        matchedEdge[edges[pathEdge].left] = pathEdge
                        matchedEdgeOfRight[edges[pathEdge].right] = pathEdge
                    }
                    augmented += 1
                    stack.removeAll()
                    continue search
                }
                stack.removeLast()
                if !pathEdges.isEmpty && !stack.isEmpty { pathEdges.removeLast() }
            }
        }
        return augmented
    }
}

/// A binary min-heap of (key, node).
private struct MinHeap {
    private var keys: [Double] = []
    private var nodes: [Int] = []

    mutating func push(_ key: Double, _ node: Int) {
        keys.append(key)
        nodes.append(node)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            nodes.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let first = keys.first else { return nil }
        let firstNode = nodes[0]
        let lastKey = keys.removeLast()
        let lastNode = nodes.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            nodes[0] = lastNode
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < keys.count && keys[left] < keys[smallest] { smallest = left }
                if right < keys.count && keys[right] < keys[smallest] { smallest = right }
                if smallest == parent { break }
                keys.swapAt(parent, smallest)
                nodes.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first, firstNode)
    }
}
