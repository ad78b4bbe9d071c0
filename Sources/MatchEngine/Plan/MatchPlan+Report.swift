// Text renderings of a plan, for people: the counts, the calibration, the decisions and their
// waterfalls. JSON comes from `Codable`.

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

    /// The calibration section: per instance, the derivation and offset with their support.
    public func calibrationLines() -> [String] {
        var lines: [String] = []
        for report in calibration {
            lines.append("  \(report.clientFolder) / \(report.instanceID)")
            let derivations = report.calibration.hashDerivations.map(\.rawValue).joined(separator: " + ")
            let hits = HashDerivation.allCases.compactMap { derivation in
                report.derivationHits[derivation.rawValue].map { "\(derivation.rawValue) \($0)" }
            }.joined(separator: ", ")
            let derivationText =
                derivations.isEmpty
                ? "undetermined (every derivation tried, weaker)"
                : "\(derivations) (\(report.derivationSource.rawValue))"
            lines.append("    HASH8 derivation  \(derivationText)")
            lines.append(
                "                      hits among \(report.tokenFiles) token files: \(hits.isEmpty ? "none" : hits)")
            let offsetText: String
            if let offset = report.calibration.clockOffset {
                offsetText =
                    "\(ClockOffset.format(offset)) (\(report.offsetSource.rawValue); \(report.offsetSupport) of \(report.anchoredPairs) anchored files in the live window)"
            } else {
                offsetText = "undetermined (\(report.anchoredPairs) anchored files); name times give no evidence"
            }
            lines.append("    clock offset      \(offsetText)")
        }
        return lines
    }

    /// One line per link, at most `limit`.
    public func linkLines(limit: Int) -> [String] {
        var lines = links.prefix(limit).map { link in
            let margin = link.margin.map { "margin \(formatBits($0))" } ?? "no rival"
            let duplicates = link.duplicates.isEmpty ? "" : " (+\(link.duplicates.count) duplicate)"
            return
                "  message \(link.messageRowID) ← \(link.file)\(duplicates)  score \(formatBits(link.score)), \(margin), by \(link.tier)"
        }
        if links.count > limit { lines.append("  … \(links.count - limit) more (--json lists all)") }
        return lines
    }

    /// Each review with its candidates' waterfalls.
    public func reviewLines(limit: Int) -> [String] {
        var lines: [String] = []
        for review in reviews.prefix(limit) {
            let why = review.reason == .ambiguous ? "a rival is within the margin" : "just below the floor"
            lines.append("  \(review.file) ? message \(review.messageRowID)  score \(formatBits(review.score)): \(why)")
            for candidate in review.candidates {
                lines.append(
                    "    candidate: \(candidate.file) ↔ message \(candidate.messageRowID)  score \(formatBits(candidate.score))"
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

extension Waterfall {
    /// The waterfall as aligned lines: prior, each strategy, the total and any floor or cap.
    public func lines(indent: String = "  ") -> [String] {
        var result = ["\(indent)\(pad("prior", 22)) \(signed(prior))"]
        for line in lines {
            let level = line.level ?? "—"
            let weight = line.weight == 1 ? "" : " ×\(formatBits(line.weight))"
            let effect = line.effect == .none ? "" : " [\(line.effect.rawValue)]"
            let contribution = line.effect == .veto ? "  veto" : signed(line.contribution)
            result.append(
                "\(indent)\(pad(line.strategy, 22)) \(contribution)  \(level)\(weight)\(effect): \(line.note)")
        }
        if let vetoedBy {
            result.append("\(indent)\(pad("= vetoed", 22)) by \(vetoedBy)")
        } else {
            result.append("\(indent)\(pad("= total", 22)) \(signed(total))")
            if score != total {
                result.append("\(indent)\(pad("= score", 22)) \(signed(score))  (identifier floor or cap)")
            }
        }
        return result
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func signed(_ value: Double) -> String {
        let text = (value < 0 ? "-" : "+") + formatBits(abs(value))
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}

/// Bits with at most one decimal: `14`, `-1.5`.
public func formatBits(_ value: Double) -> String {
    guard value.isFinite else { return value < 0 ? "-inf" : "inf" }
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int64(rounded)) }
    return String(rounded)
}
