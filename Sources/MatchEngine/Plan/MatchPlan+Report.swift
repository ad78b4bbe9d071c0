// Text renderings of a plan, for people: the counts and the decisions. The calibration and the
// waterfalls render themselves (`CalibrationReport+Text`, `Waterfall+Text`); JSON comes from `Encodable`.

extension MatchPlan {
    /// How many files ended each way.
    public var unmatchedCounts: [UnmatchedReason: Int] {
        var counts: [UnmatchedReason: Int] = [:]
        for file in unmatched { counts[file.reason, default: 0] += 1 }
        return counts
    }

    /// How many claims ended each way.
    public var claimCounts: [ClaimCheck.Status: Int] {
        var counts: [ClaimCheck.Status: Int] = [:]
        for claim in claims { counts[claim.status, default: 0] += 1 }
        return counts
    }

    /// One line per link, at most `limit`.
    public func linkLines(limit: Int) -> [String] {
        var lines = links.prefix(limit).map { link in
            let margin = link.margin.map { "margin \(formatBits($0))" } ?? "no rival"
            let duplicates = link.duplicates.isEmpty ? "" : " (+\(link.duplicates.count) duplicate)"
            return
                "  message \(link.messageRowID) ← \(link.file)\(duplicates)  p \(formatProbability(link.probability)), score \(formatBits(link.score)), \(margin), by \(link.tier)"
        }
        if links.count > limit { lines.append("  … \(links.count - limit) more (--json lists all)") }
        return lines
    }

    /// Each review with its candidates' waterfalls.
    public func reviewLines(limit: Int) -> [String] {
        var lines: [String] = []
        for review in reviews.prefix(limit) {
            let why =
                review.reason == .ambiguous
                ? "a rival keeps it below the target" : "the evidence is too thin for the target"
            lines.append(
                "  \(review.file) ? message \(review.messageRowID)  p \(formatProbability(review.probability)), score \(formatBits(review.score)): \(why)"
            )
            for candidate in review.candidates {
                let probability = candidate.probability.map { "p \(formatProbability($0)), " } ?? ""
                lines.append(
                    "    candidate: \(candidate.file) ↔ message \(candidate.messageRowID)  \(probability)score \(formatBits(candidate.score))"
                )
                if let waterfall = candidate.waterfall {
                    lines += waterfall.lines(indent: "      ")
                }
            }
        }
        if reviews.count > limit { lines.append("  … \(reviews.count - limit) more (--json lists all)") }
        return lines
    }
}
