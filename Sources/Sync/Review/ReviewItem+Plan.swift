import MatchEngine

extension ReviewItem {
    /// The items of a dry plan: one per file, the plan's reviews and then the contradicted links,
    /// each in file order.
    ///
    /// A contradicted link becomes an item for the file the evidence proposes instead (the message
    /// holds another file: accepting replaces it), or for the claimed file when the evidence gives it
    /// to another message (accepting moves it), or else for the claimed file alone (rejecting removes
    /// the link).
    static func items(plan: MatchPlan, files: [AudioFile], messages: [AudioMessage]) -> [ReviewItem] {
        let fileByPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let messageByRow = Dictionary(messages.map { ($0.rowID, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [ReviewItem] = []
        var seen: Set<String> = []

        func candidate(
            file: String, _ rowID: Int64, score: Double?, probability: Double?, waterfall: Waterfall?
        ) -> ReviewCandidate? {
            guard let message = messageByRow[rowID] else { return nil }
            let current = message.localPath.map(normalisedLocalPath) == file
            return ReviewCandidate(
                message: ReviewMessage(message), score: score.map { $0.rounded(toPlaces: 3) },
                probability: probability.map { $0.rounded(toPlaces: 6) }, waterfall: waterfall, current: current,
                state: .open)
        }

        for review in plan.reviews where !seen.contains(review.file) {
            seen.insert(review.file)
            // The plan's competitors are this file's messages, and other files wanting those messages.
            var messagesSeen: Set<Int64> = []
            let candidates = review.candidates.filter {
                $0.file == review.file && messagesSeen.insert($0.messageRowID).inserted
            }
            .compactMap {
                candidate(
                    file: review.file, $0.messageRowID, score: $0.score, probability: $0.probability,
                    waterfall: $0.waterfall)
            }
            var rivalsSeen: Set<String> = []
            let rivals = review.candidates.filter {
                $0.file != review.file && rivalsSeen.insert("\($0.file)\u{0}\($0.messageRowID)").inserted
            }
            .map {
                ReviewRival(
                    file: ReviewFile(path: $0.file, file: fileByPath[$0.file]), messageRowID: $0.messageRowID,
                    score: $0.score.rounded(toPlaces: 3), probability: $0.probability.map { $0.rounded(toPlaces: 6) },
                    waterfall: $0.waterfall)
            }
            items.append(
                ReviewItem(
                    file: ReviewFile(path: review.file, file: fileByPath[review.file]), kind: .review,
                    reason: review.reason.rawValue, probability: review.probability.rounded(toPlaces: 6),
                    candidates: candidates, rivals: rivals, state: .open, note: nil))
        }

        let linkByMessage = Dictionary(
            plan.links.map { ($0.messageRowID, $0) }, uniquingKeysWith: { first, _ in first })
        for claim in plan.claims where claim.status == .contradicted {
            let claimed = normalisedLocalPath(claim.localPath)
            var file = claimed
            var proposed: [ReviewCandidate] = []
            if let other = claim.proposedFile, let link = linkByMessage[claim.messageRowID] {
                file = other
                proposed += [
                    candidate(
                        file: other, claim.messageRowID, score: link.score, probability: link.probability,
                        waterfall: link.waterfall)
                ].compactMap { $0 }
            } else if let wanted = claim.fileWantedBy, let link = linkByMessage[wanted] {
                proposed += [
                    candidate(
                        file: claimed, wanted, score: link.score, probability: link.probability,
                        waterfall: link.waterfall)
                ].compactMap { $0 }
                proposed += [candidate(file: claimed, claim.messageRowID, score: nil, probability: nil, waterfall: nil)]
                    .compactMap { $0 }
            } else {
                proposed += [candidate(file: claimed, claim.messageRowID, score: nil, probability: nil, waterfall: nil)]
                    .compactMap { $0 }
            }
            guard !proposed.isEmpty, !seen.contains(file) else { continue }
            seen.insert(file)
            items.append(
                ReviewItem(
                    file: ReviewFile(path: file, file: fileByPath[file]), kind: .contradicted,
                    reason: claim.detail, probability: proposed.first?.probability, candidates: proposed, rivals: [],
                    state: .open, note: nil))
        }
        return items
    }
}
