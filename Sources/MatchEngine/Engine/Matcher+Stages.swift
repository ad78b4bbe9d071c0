/// How long each stage of a plan took: for `benchmarks/`, which measures the stages apart.
public struct StageTimings: Sendable, Hashable, Codable {
    /// Partitioning, calibration and building the candidate indexes.
    public var prepare: Duration = .zero
    /// Finding the candidate pairs.
    public var block: Duration = .zero
    /// Scoring them.
    public var score: Duration = .zero
    /// Solving the assignment and deciding (links, reviews, leaves) and checking claims.
    public var assignAndDecide: Duration = .zero
    /// Pairs blocking proposed, and of those, pairs a veto ended.
    public var pairs = 0
    public var vetoed = 0

    public init() {}
}

extension Matcher {
    /// Runs the stages of ``plan(files:messages:options:)`` one after another on all partitions,
    /// timing each, and returns the plan with the timings.
    ///
    /// The plan equals `plan(files:messages:options:)`'s. Blocking and scoring are first run alone,
    /// over every partition, so their times can be told apart; the plan then repeats them, and
    /// assigning and deciding is its time less theirs.
    public func planMeasuringStages(
        files: [AudioFile],
        messages: [AudioMessage],
        options: Options = Options()
    ) -> (plan: MatchPlan, timings: StageTimings) {
        var timings = StageTimings()
        let clock = ContinuousClock()
        var started = clock.now
        let prepared = prepare(files: files, messages: messages)
        timings.prepare = clock.now - started
        started = clock.now
        let candidates: [[(messages: [Int32], truncated: Bool, miss: CandidateIndex.Miss?)]] = prepared.runs.map {
            run in
            let nodes = run.groupDuplicates(files).canonical
            return parallelMap(count: nodes.count, minimumChunk: 256) { range in
                range.map { run.index.candidates(for: files[nodes[$0]]) }
            }
        }
        timings.block = clock.now - started
        timings.pairs = candidates.reduce(0) { $0 + $1.reduce(0) { $0 + $1.messages.count } }
        started = clock.now
        var scored = 0
        for (run, perFile) in zip(prepared.runs, candidates) {
            let nodes = run.groupDuplicates(files).canonical
            let counts: [Int] = parallelMap(count: nodes.count, minimumChunk: 256) { range in
                range.map { position in
                    var kept = 0
                    for local in perFile[position].messages {
                        let message = run.index.messages[Int(local)]
                        if run.scorer.evidence(files[nodes[position]], messages[message], in: run.context).vetoedBy
                            == nil
                        {
                            kept += 1
                        }
                    }
                    return kept
                }
            }
            scored += counts.reduce(0, +)
        }
        timings.score = clock.now - started
        timings.vetoed = timings.pairs - scored
        started = clock.now
        let plan = plan(prepared, files: files, messages: messages, options: options)
        // The plan repeats blocking and scoring; what is left is assigning and deciding.
        let whole = clock.now - started
        timings.assignAndDecide = max(.zero, whole - timings.block - timings.score)
        return (plan, timings)
    }
}
