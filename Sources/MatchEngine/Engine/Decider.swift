/// Turns an optimal assignment into decisions: link when the pair clears the floor and beats
/// every alternative for its file and for its message by the margin; review when it clears the
/// floor but not the margin, or falls just short of the floor; otherwise leave the file alone.
struct Decider {
    let profile: Profile
    /// File slot → run index of the file standing for its duplicate group.
    let nodes: [Int]
    /// File slot → its scored, non-vetoed pairs.
    let pairs: [[PartitionRun.Pair]]
    /// Message slot → (file slot, score) of every pair it is in.
    let byMessage: [[(file: Int, score: Double)]]
    /// Message slot → run index of the message.
    let messageOfSlot: [Int]
    /// Run index of a message → its slot.
    let messageSlot: [Int: Int]
    /// File slot → run index of the matched message.
    let matchOfFile: [Int?]

    private struct Alternative {
        var file: Int
        var message: Int
        var score: Double
    }

    /// The waterfall of a pair (file and message run indices).
    let waterfall: (Int, Int) -> Waterfall
    /// The tier that carried a pair (file and message run indices).
    let tier: (Int, Int) -> String
    /// Whether links carry their waterfall (reviews always do).
    let explainLinks: Bool

    func decide(
        into outcome: inout PartitionRun.Outcome,
        duplicates: [Int: [Int]],
        files: [AudioFile],
        messages: [AudioMessage]
    ) {
        var ambiguousMessages: Set<Int> = []
        var decidedMessages: Set<Int> = []
        // First the matched pairs, so unmatched files can say whom they lost to.
        for (slot, match) in matchOfFile.enumerated() {
            guard let message = match else { continue }
            decidedMessages.insert(message)
            let file = nodes[slot]
            let score = pairs[slot].first { $0.message == message }!.score
            let runnerUp = bestAlternative(fileSlot: slot, message: message)
            let margin = runnerUp.map { score - $0.score }
            let pairWaterfall = explainLinks ? waterfall(file, message) : nil
            if margin.map({ $0 >= profile.margin }) ?? true {
                let dupes = (duplicates[file] ?? []).map { files[$0].path }.sorted()
                outcome.links.append(
                    .init(
                        messageRowID: messages[message].rowID,
                        file: files[file].path,
                        duplicates: dupes,
                        score: score.rounded(toPlaces: 3),
                        margin: margin.map { $0.rounded(toPlaces: 3) },
                        runnerUp: runnerUp.map { candidate($0, files, messages, explained: explainLinks) },
                        tier: tier(file, message),
                        waterfall: pairWaterfall
                    )
                )
                outcome.fileLinks[file] = message
                for duplicate in duplicates[file] ?? [] {
                    outcome.fileLinks[duplicate] = message
                    outcome.unmatched.append(
                        .init(
                            file: files[duplicate].path,
                            reason: .duplicate,
                            best: .init(file: files[file].path, messageRowID: messages[message].rowID, score: score)
                        )
                    )
                }
            } else {
                ambiguousMessages.insert(message)
                var shown = [Alternative(file: slot, message: message, score: score)]
                shown += alternatives(fileSlot: slot, message: message).prefix(3)
                outcome.reviews.append(
                    .init(
                        file: files[file].path,
                        messageRowID: messages[message].rowID,
                        reason: .ambiguous,
                        score: score.rounded(toPlaces: 3),
                        margin: margin?.rounded(toPlaces: 3),
                        candidates: shown.map { candidate($0, files, messages, explained: true) }
                    )
                )
                appendDuplicates(of: file, duplicates, files, into: &outcome)
            }
        }
        for (slot, match) in matchOfFile.enumerated() where match == nil {
            let file = nodes[slot]
            defer { appendDuplicates(of: file, duplicates, files, into: &outcome) }
            guard let best = pairs[slot].max(by: { ($0.score, -$0.message) < ($1.score, -$1.message) }) else {
                outcome.unmatched.append(.init(file: files[file].path, reason: .noCandidates, best: nil))
                continue
            }
            let shown = candidate(
                Alternative(file: slot, message: best.message, score: best.score),
                files,
                messages,
                explained: false
            )
            if best.score >= profile.floor {
                let reason: MatchPlan.UnmatchedReason =
                    ambiguousMessages.contains(best.message) ? .inReview : .outscored
                outcome.unmatched.append(.init(file: files[file].path, reason: reason, best: shown))
            } else if best.score >= profile.floor - profile.reviewBand && !decidedMessages.contains(best.message) {
                let others = alternatives(fileSlot: slot, message: best.message).prefix(2)
                outcome.reviews.append(
                    .init(
                        file: files[file].path,
                        messageRowID: messages[best.message].rowID,
                        reason: .belowFloor,
                        score: best.score.rounded(toPlaces: 3),
                        margin: nil,
                        candidates: ([Alternative(file: slot, message: best.message, score: best.score)] + others).map {
                            candidate($0, files, messages, explained: true)
                        }
                    )
                )
                outcome.unmatched.append(.init(file: files[file].path, reason: .inReview, best: shown))
            } else {
                outcome.unmatched.append(.init(file: files[file].path, reason: .belowFloor, best: shown))
            }
        }
    }

    private func appendDuplicates(
        of file: Int,
        _ duplicates: [Int: [Int]],
        _ files: [AudioFile],
        into outcome: inout PartitionRun.Outcome
    ) {
        guard outcome.fileLinks[file] == nil else { return }
        for duplicate in duplicates[file] ?? [] {
            outcome.unmatched.append(
                .init(
                    file: files[duplicate].path,
                    reason: .duplicate,
                    best: .init(file: files[file].path, messageRowID: -1, score: 0)
                )
            )
        }
    }

    /// The best pair sharing the file or the message with the given one.
    private func bestAlternative(fileSlot: Int, message: Int) -> Alternative? {
        alternatives(fileSlot: fileSlot, message: message).first
    }

    /// Every pair sharing the file or the message with the given one, best first.
    private func alternatives(fileSlot: Int, message: Int) -> [Alternative] {
        var list: [Alternative] = []
        for pair in pairs[fileSlot] where pair.message != message {
            list.append(Alternative(file: fileSlot, message: pair.message, score: pair.score))
        }
        if let slot = messageSlot[message] {
            for entry in byMessage[slot] where entry.file != fileSlot {
                list.append(Alternative(file: entry.file, message: message, score: entry.score))
            }
        }
        return list.sorted {
            $0.score != $1.score ? $0.score > $1.score : ($0.file, $0.message) < ($1.file, $1.message)
        }
    }

    private func candidate(
        _ alternative: Alternative,
        _ files: [AudioFile],
        _ messages: [AudioMessage],
        explained: Bool
    ) -> MatchPlan.Candidate {
        let file = nodes[alternative.file]
        return .init(
            file: files[file].path,
            messageRowID: messages[alternative.message].rowID,
            score: alternative.score.rounded(toPlaces: 3),
            waterfall: explained ? waterfall(file, alternative.message) : nil
        )
    }
}
