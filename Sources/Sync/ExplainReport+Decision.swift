import Foundation
import MatchEngine

// The decision of a file or message, as a code and as a sentence, both read from one plan.

extension ExplainReport {
    static func decision(forFile path: String, in plan: MatchPlan, problem: FileProblem?) -> (Decision, String) {
        let damage = problem.map { "; note: " + FileProblemAdvice.sentence($0) } ?? ""
        if let link = plan.links.first(where: { $0.file == path }) {
            let decision = Decision(
                code: "linked", reason: nil, file: nil, messageID: link.messageRowID, probability: link.probability,
                score: link.score, margin: link.margin)
            return (
                decision,
                "linked to message \(link.messageRowID) (\(strength(link.probability, link.score, link.margin)))\(damage)"
            )
        }
        if let link = plan.links.first(where: { $0.duplicates.contains(path) }) {
            let decision = Decision(
                code: "duplicate", reason: nil, file: link.file, messageID: link.messageRowID, probability: nil,
                score: nil, margin: nil)
            return (
                decision,
                "a byte-identical re-download of \(link.file), which is linked to message \(link.messageRowID); nothing to do"
            )
        }
        if let review = plan.reviews.first(where: { $0.file == path }) {
            let decision = Decision(
                code: "in_review", reason: review.reason.rawValue, file: nil, messageID: review.messageRowID,
                probability: review.probability, score: review.score, margin: review.margin)
            return (
                decision,
                "sent to review with message \(review.messageRowID) (probability \(formatProbability(review.probability))): \(reviewWhy(review.reason)); listen to it and decide\(damage)"
            )
        }
        if let unmatched = plan.unmatched.first(where: { $0.file == path }) {
            let decision = Decision(
                code: "unmatched", reason: unmatched.reason.rawValue, file: nil,
                messageID: unmatched.best?.messageRowID,
                probability: unmatched.best?.probability, score: unmatched.best?.score, margin: nil)
            return (decision, "left unmatched: " + unmatchedWhy(unmatched, problem: problem))
        }
        let decision = Decision(
            code: "unmatched", reason: "not_considered", file: nil, messageID: nil, probability: nil, score: nil,
            margin: nil)
        return (decision, "left unmatched: the run did not consider it (outside the scope, or not audio)")
    }

    static func decision(forMessage rowID: Int64, in plan: MatchPlan) -> (Decision, String) {
        if let link = plan.links.first(where: { $0.messageRowID == rowID }) {
            let decision = Decision(
                code: "linked", reason: nil, file: link.file, messageID: nil, probability: link.probability,
                score: link.score, margin: link.margin)
            return (decision, "linked to \(link.file) (\(strength(link.probability, link.score, link.margin)))")
        }
        if let review = plan.reviews.first(where: { $0.messageRowID == rowID }) {
            let decision = Decision(
                code: "in_review", reason: review.reason.rawValue, file: review.file, messageID: nil,
                probability: review.probability, score: review.score, margin: review.margin)
            return (
                decision,
                "sent to review with \(review.file) (probability \(formatProbability(review.probability))): \(reviewWhy(review.reason))"
            )
        }
        if let claim = plan.claims.first(where: { $0.messageRowID == rowID }) {
            let decision = Decision(
                code: "claim", reason: claim.status.rawValue, file: claim.proposedFile, messageID: claim.fileWantedBy,
                probability: nil, score: nil, margin: nil)
            let status = claim.status.rawValue.replacingOccurrences(of: "_", with: " ")
            return (decision, "no new link: its existing localPath \(claim.localPath) is \(status) (\(claim.detail))")
        }
        let decision = Decision(
            code: "no_link", reason: nil, file: nil, messageID: nil, probability: nil, score: nil, margin: nil)
        return (decision, "no file is linked to it: no file of the store is likely enough to be its recording")
    }

    private static func strength(_ probability: Double, _ score: Double, _ margin: Double?) -> String {
        "probability \(formatProbability(probability)), score \(formatBits(score)), "
            + (margin.map { "margin \(formatBits($0))" } ?? "no rival")
    }

    static func reviewWhy(_ reason: MatchPlan.Review.Reason) -> String {
        switch reason {
        case .ambiguous: "another candidate is nearly as likely"
        case .belowTarget: "the evidence is too thin to be sure"
        }
    }

    static func unmatchedWhy(_ file: MatchPlan.UnmatchedFile, problem: FileProblem?) -> String {
        switch file.reason {
        case .damaged:
            problem.map(FileProblemAdvice.sentence) ?? "the file is damaged: download it again"
        case .duplicate:
            "a byte-identical re-download of another file; nothing to do"
        case .unknownClient:
            "no client of the database has this client folder (`audiosync clients` lists them)"
        case .ambiguousClient:
            "several clients fit its folders and nothing tells them apart (`audiosync clients` lists them)"
        case .instanceOfOtherClient:
            "its instance folder is another client's instance than its client folder names"
        case .unknownInstance:
            "no chat of the database is in this instance (`audiosync clients` lists the instances)"
        case .noCandidates:
            "no message could be its own" + (file.detail.map { " (\(UnmatchedDetail.words($0)))" } ?? "")
        case .unlikely:
            "its best candidate is too unlikely even for review"
        case .outscored:
            "its best message went to a better file"
        case .inReview:
            "it is a candidate in a review"
        }
    }
}

/// The blocking details of `no_candidates`, in words.
enum UnmatchedDetail {
    static func words(_ detail: String) -> String {
        switch detail {
        case "folder_not_a_chat": "its folder names no chat of the database"
        case "no_time": "neither its name nor the file gives a time"
        case "nothing_in_window": "no message of its chat was sent in the days before the file was written"
        default: detail.replacingOccurrences(of: "_", with: " ")
        }
    }
}
