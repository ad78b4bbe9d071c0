/// One pair and what every strategy found for it, for tuning: level indices, not scores, so the
/// bits can be re-estimated.
public struct PairFindings: Sendable {
    /// Index into the run's files.
    public var file: Int
    /// Index into the run's messages.
    public var message: Int
    /// For each strategy of the profile (in order), the index of the level it found; `nil` for
    /// no evidence.
    public var levels: [Int?]
    /// Whether a veto ended the pair.
    public var vetoed: Bool
}

extension Matcher {
    /// Every pair blocking proposes, with the strategies' findings.
    public func candidatePairs(files: [AudioFile], messages: [AudioMessage]) -> [PairFindings] {
        let prepared = prepare(files: files, messages: messages)
        var pairs: [PairFindings] = []
        for run in prepared.runs {
            let nodes = run.partition.files.filter { files[$0].isUsableAudio }
            let found: [PairFindings] = parallelMap(count: nodes.count, minimumChunk: 256) { range in
                range.flatMap { position -> [PairFindings] in
                    let file = nodes[position]
                    let (locals, _, _) = run.index.candidates(for: files[file])
                    return locals.map { local in
                        findings(
                            run, file: file, message: run.index.messages[Int(local)], files: files, messages: messages)
                    }
                }
            }
            pairs += found
        }
        return pairs
    }

    /// Random pairs of a file and a message of the same partition, chat agnostic except that half
    /// are drawn from the file's own chat (the population blocking draws from): for the share `u`
    /// of each level among pairs that are almost all wrong.
    public func randomPairs(files: [AudioFile], messages: [AudioMessage], count: Int, seed: UInt64) -> [PairFindings] {
        let prepared = prepare(files: files, messages: messages)
        var state = seed | 1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let runs = prepared.runs.filter { !$0.partition.files.isEmpty && !$0.partition.messages.isEmpty }
        guard !runs.isEmpty else { return [] }
        var byChat: [[ChatKey: [Int]]] = runs.map { run in
            Dictionary(grouping: run.partition.messages) { ChatKey(canonical: messages[$0].chatKeys.canonical) }
        }
        var pairs: [PairFindings] = []
        pairs.reserveCapacity(count)
        for draw in 0..<count {
            let runIndex = Int(next() % UInt64(runs.count))
            let run = runs[runIndex]
            let file = run.partition.files[Int(next() % UInt64(run.partition.files.count))]
            guard files[file].isUsableAudio else { continue }
            var message = run.partition.messages[Int(next() % UInt64(run.partition.messages.count))]
            if draw % 2 == 0, let sameChat = byChat[runIndex][ChatKey(canonical: files[file].keys.canonical)],
                !sameChat.isEmpty
            {
                message = sameChat[Int(next() % UInt64(sameChat.count))]
            }
            pairs.append(findings(run, file: file, message: message, files: files, messages: messages))
        }
        byChat.removeAll()
        return pairs
    }

    private func findings(_ run: PartitionRun, file: Int, message: Int, files: [AudioFile], messages: [AudioMessage])
        -> PairFindings
    {
        var levels: [Int?] = []
        var vetoed = false
        for strategy in profile.strategies {
            let found = strategy.compare(files[file], messages[message], in: run.context)
            levels.append(found?.level)
            if let level = found?.level, strategy.levels[level].effect == .veto { vetoed = true }
        }
        return PairFindings(file: file, message: message, levels: levels, vetoed: vetoed)
    }
}
