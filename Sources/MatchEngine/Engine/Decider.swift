/// Turns an optimal assignment into decisions by probability: link a file to its assigned message
/// when the probability that the message is its own reaches the target precision; show it for
/// review when it reaches the review probability; otherwise leave the file alone, with why.
///
/// The probability of a link is the file's share of belief in the message against its other
/// candidates and "none of these", given that at most one of the files proposing the message can
/// be its file, and that another of its candidates other files claim is less likely its own
/// (``Judged/linkProbability(pair:filePairs:)``).
struct Decider: Sendable {
    let thresholds: MatchPlan.Thresholds
    let gathered: PartitionRun.Gathered
    let judged: Judged
    /// File slot → the pair the assignment chose.
    let matchOfFile: [Int?]
    /// Waterfalls and tiers of pairs, for what a decision shows.
    let explainer: PairExplainer
    /// Whether links carry their waterfall (reviews always do).
    let explainLinks: Bool

    private var pairs: CandidatePairs { gathered.pairs }

    func decide(
        into outcome: inout PartitionRun.Outcome,
        duplicates: [Int: [Int]],
        files: [AudioFile],
        messages: [AudioMessage]
    ) {
        let pairs = self.pairs
        let fileOfPair = pairs.fileOfPair
        // The pairs of each message, grouped by slot: `pairsOfMessage[messageStart[s]..<messageStart[s + 1]]`,
        // in pair order.
        let (messageStart, pairsOfMessage) = {
            var messageStart = [Int](repeating: 0, count: pairs.slotCount + 1)
            for slot in pairs.slot { messageStart[Int(slot) + 1] += 1 }
            for slot in 0..<pairs.slotCount { messageStart[slot + 1] += messageStart[slot] }
            var pairsOfMessage = [Int](repeating: 0, count: pairs.count)
            var filled = messageStart
            for pair in 0..<pairs.count {
                let slot = Int(pairs.slot[pair])
                pairsOfMessage[filled[slot]] = pair
                filled[slot] += 1
            }
            return (messageStart, pairsOfMessage)
        }()
        // The helpers below are `@Sendable`: the assigned files are judged on every core.
        /// Every other pair sharing the file or the message, in no order.
        @Sendable func eachAlternative(to pair: Int, _ body: (Int) -> Void) {
            let file = fileOfPair[pair]
            for other in pairs.fileStart[file]..<pairs.fileStart[file + 1] where other != pair { body(other) }
            let slot = Int(pairs.slot[pair])
            for other in pairsOfMessage[messageStart[slot]..<messageStart[slot + 1]] where fileOfPair[other] != file {
                body(other)
            }
        }
        /// Whether `a` ranks before `b`: the higher score, then the earlier pair.
        @Sendable func ranksBefore(_ a: Int, _ b: Int) -> Bool {
            judged.score[a] != judged.score[b] ? judged.score[a] > judged.score[b] : a < b
        }
        /// Every other pair sharing the file or the message, best first.
        @Sendable func alternatives(to pair: Int) -> [Int] {
            var list: [Int] = []
            eachAlternative(to: pair) { list.append($0) }
            return list.sorted(by: ranksBefore)
        }
        /// The first of ``alternatives(to:)`` without sorting them all: what a link shows as its
        /// runner-up, for every link of the run.
        @Sendable func bestAlternative(to pair: Int) -> Int? {
            var best: Int?
            eachAlternative(to: pair) { other in
                if best.map({ ranksBefore(other, $0) }) ?? true { best = other }
            }
            return best
        }
        @Sendable func candidate(_ pair: Int, explained: Bool) -> MatchPlan.Candidate {
            let file = gathered.nodes[fileOfPair[pair]]
            let message = Int(pairs.message[pair])
            return .init(
                file: files[file].path,
                messageRowID: messages[message].rowID,
                score: judged.score[pair].rounded(toPlaces: 3),
                probability: judged.probability[pair].rounded(toPlaces: 6),
                waterfall: explained ? explainer.waterfall(file: file, message: message) : nil
            )
        }
        /// Whether a person should see the pair: it is likely enough on its own, or the file's few
        /// best candidates together are (a tie between two messages is the close call a person
        /// settles, though neither alone reaches the review probability).
        @Sendable func reviewable(_ pair: Int, _ stated: Double) -> Bool {
            if stated >= thresholds.reviewProbability { return true }
            let file = fileOfPair[pair]
            let shares = (pairs.fileStart[file]..<pairs.fileStart[file + 1]).map { judged.probability[$0] }
            return shares.sorted(by: >).prefix(4).reduce(0, +) >= thresholds.reviewProbability
                && stated >= thresholds.reviewProbability / 4
        }
        /// Whether a rival (another message for the file, another file for the message) holds a
        /// real share of the belief, rather than the evidence simply being thin.
        @Sendable func rivalled(_ pair: Int, _ stated: Double) -> Bool {
            let rivals = alternatives(to: pair).reduce(0.0) { $0 + judged.probability[$1] }
            return rivals > 1 - thresholds.targetPrecision && rivals >= (1 - stated) / 2
        }

        /// The duplicates of a file that is not linked, reported as duplicates of it. A nested
        /// function, not a method taking `candidate` as a closure: that copied the whole decider
        /// (a few dozen retains) for every file of the run.
        func appendDuplicates(of file: Int, pair: Int?) {
            guard outcome.fileLinks[file] == nil, let copies = duplicates[file] else { return }
            for duplicate in copies {
                outcome.unmatched.append(
                    .init(
                        file: files[duplicate].path,
                        reason: .duplicate,
                        best: pair.map { candidate($0, explained: false) }
                            ?? .init(
                                file: files[file].path, messageRowID: -1, score: 0, probability: nil, waterfall: nil)
                    )
                )
            }
        }

        /// What an assigned pair comes to, made on any core and recorded in file order below.
        enum Verdict: Sendable {
            case link(MatchPlan.Link)
            case review(MatchPlan.Review)
            case unlikely(MatchPlan.UnmatchedFile)
        }
        let nodes = gathered.nodes
        // The runner-ups, waterfalls and tiers of the links were two-thirds of deciding, made for
        // one instance after another on one core at the end of a run (0.2 s of a million-row run
        // with the other core idle); each file's verdict reads only the judged pairs.
        let assigned = matchOfFile.indices.filter { matchOfFile[$0] != nil }
        let verdicts: [Verdict] = parallelMap(count: assigned.count, minimumChunk: 1_024) { range in
            range.map { position in
                let slot = assigned[position]
                let pair = matchOfFile[slot]!
                let file = nodes[slot]
                let message = pairs.message[pair]
                let stated = judged.linkProbability(
                    pair: pair, filePairs: pairs.fileStart[slot]..<pairs.fileStart[slot + 1])
                let runnerUp = bestAlternative(to: pair)
                let margin = runnerUp.map { (judged.score[pair] - judged.score[$0]).rounded(toPlaces: 3) }
                if stated >= thresholds.targetPrecision {
                    return .link(
                        .init(
                            messageRowID: messages[Int(message)].rowID,
                            file: files[file].path,
                            duplicates: (duplicates[file] ?? []).map { files[$0].path }.sorted(),
                            score: judged.score[pair].rounded(toPlaces: 3),
                            probability: stated.rounded(toPlaces: 6),
                            margin: margin,
                            runnerUp: runnerUp.map { candidate($0, explained: explainLinks) },
                            tier: explainer.tier(of: pair, in: pairs),
                            waterfall: explainLinks ? explainer.waterfall(file: file, message: Int(message)) : nil
                        ))
                } else if reviewable(pair, stated) {
                    return .review(
                        .init(
                            file: files[file].path,
                            messageRowID: messages[Int(message)].rowID,
                            reason: rivalled(pair, stated) ? .ambiguous : .belowTarget,
                            score: judged.score[pair].rounded(toPlaces: 3),
                            probability: stated.rounded(toPlaces: 6),
                            margin: margin,
                            candidates: ([pair] + alternatives(to: pair).prefix(3)).map {
                                candidate($0, explained: true)
                            }
                        ))
                } else {
                    return .unlikely(
                        .init(file: files[file].path, reason: .unlikely, best: candidate(pair, explained: false)))
                }
            }
        }

        outcome.links.reserveCapacity(outcome.links.count + verdicts.count)
        var linkedMessages: Set<Int32> = []
        var reviewedMessages: Set<Int32> = []
        // The assigned pairs first, so the files left over can say whom they lost to.
        for (slot, verdict) in zip(assigned, verdicts) {
            let pair = matchOfFile[slot]!
            let file = nodes[slot]
            let message = pairs.message[pair]
            switch verdict {
            case .link(let link):
                linkedMessages.insert(message)
                outcome.links.append(link)
                outcome.fileLinks[file] = Int(message)
                for duplicate in duplicates[file] ?? [] {
                    outcome.fileLinks[duplicate] = Int(message)
                    outcome.unmatched.append(
                        .init(
                            file: files[duplicate].path,
                            reason: .duplicate,
                            best: candidate(pair, explained: false)
                        )
                    )
                }
            case .review(let review):
                reviewedMessages.insert(message)
                outcome.reviews.append(review)
                appendDuplicates(of: file, pair: pair)
            case .unlikely(let unmatched):
                outcome.unmatched.append(unmatched)
                appendDuplicates(of: file, pair: pair)
            }
        }
        for (slot, match) in matchOfFile.enumerated() where match == nil {
            let file = gathered.nodes[slot]
            let range = pairs.fileStart[slot]..<pairs.fileStart[slot + 1]
            guard let best = range.max(by: { (judged.score[$0], -$0) < (judged.score[$1], -$1) }) else {
                outcome.unmatched.append(
                    .init(
                        file: files[file].path, reason: .noCandidates, best: nil,
                        detail: gathered.misses[slot]?.rawValue))
                appendDuplicates(of: file, pair: nil)
                continue
            }
            let message = pairs.message[best]
            let stated = judged.linkProbability(pair: best, filePairs: range)
            if linkedMessages.contains(message) {
                outcome.unmatched.append(
                    .init(file: files[file].path, reason: .outscored, best: candidate(best, explained: false)))
            } else if reviewedMessages.contains(message) {
                outcome.unmatched.append(
                    .init(file: files[file].path, reason: .inReview, best: candidate(best, explained: false)))
            } else if judged.score[best] > 0 && reviewable(best, stated) {
                // Assigned elsewhere by the solver but worth a look on its own.
                reviewedMessages.insert(message)
                outcome.reviews.append(
                    .init(
                        file: files[file].path,
                        messageRowID: messages[Int(message)].rowID,
                        reason: .ambiguous,
                        score: judged.score[best].rounded(toPlaces: 3),
                        probability: stated.rounded(toPlaces: 6),
                        margin: nil,
                        candidates: ([best] + alternatives(to: best).prefix(3)).map { candidate($0, explained: true) }
                    )
                )
                outcome.unmatched.append(
                    .init(file: files[file].path, reason: .inReview, best: candidate(best, explained: false)))
            } else {
                outcome.unmatched.append(
                    .init(file: files[file].path, reason: .unlikely, best: candidate(best, explained: false)))
            }
            appendDuplicates(of: file, pair: best)
        }
    }
}

/// What a decision shows of a pair beyond its score: the waterfall, and the identifier tier that
/// carried it. The same scorer, context and weights the run scored with, so the two agree (the
/// tier reads the pair's chances as stored, as its score did; a waterfall scores it again).
struct PairExplainer: Sendable {
    let scorer: Scorer
    let context: ScoringContext
    let weights: EvidenceWeights
    let index: CandidateIndex
    let files: [AudioFile]
    let messages: [AudioMessage]
    /// What every waterfall of the partition refers to.
    let legend: WaterfallLegend

    init(
        scorer: Scorer, context: ScoringContext, weights: EvidenceWeights, index: CandidateIndex, files: [AudioFile],
        messages: [AudioMessage]
    ) {
        self.scorer = scorer
        self.context = context
        self.weights = weights
        self.index = index
        self.files = files
        self.messages = messages
        legend = scorer.legend(weights)
    }

    /// The waterfall of a file and a message (run indices).
    func waterfall(file: Int, message: Int) -> Waterfall {
        let prior = weights.priorBits(conversationSize: index.conversationSize(of: files[file]))
        return scorer.waterfall(
            files[file], messages[message], in: context, prior: prior, weights: weights, legend: legend)
    }

    /// The identifier tier that carried a pair (`content_hash`, …) or `fuzzy`, from what blocking
    /// kept of it.
    func tier(of pair: Int, in pairs: CandidatePairs) -> String {
        scorer.tier(of: pair, in: pairs, weights: weights)
    }
}
