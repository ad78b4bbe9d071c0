extension Matcher {
    /// What is to be explained.
    public enum Subject: Sendable {
        case file(path: String)
        case message(rowID: Int64)
    }

    /// Explains one file or message: runs the plan, then re-scores every pair blocking proposed
    /// for the subject with full waterfalls.
    ///
    /// - Returns: `nil` when no such file or message is among the inputs.
    public func explain(_ subject: Subject, files: [AudioFile], messages: [AudioMessage]) -> Explanation? {
        let prepared = prepare(files: files, messages: messages)
        let (plan, weights) = planAndWeights(
            prepared, files: files, messages: messages, options: Options(explainLinks: false))
        func candidate(_ run: Int, file: Int, message: Int) -> MatchPlan.Candidate {
            let partition = prepared.runs[run]
            let waterfall = PairExplainer(
                scorer: partition.scorer, context: partition.context, weights: weights[run], index: partition.index,
                files: files, messages: messages
            )
            .waterfall(file: file, message: message)
            return MatchPlan.Candidate(
                file: files[file].path, messageRowID: messages[message].rowID, score: waterfall.score,
                probability: nil, waterfall: waterfall)
        }
        /// A file's candidates with their share of its belief, against each other and "none".
        func withProbabilities(_ candidates: [MatchPlan.Candidate]) -> [MatchPlan.Candidate] {
            let shares = FilePosterior.probabilities(candidates.map(\.score)).candidates
            return zip(candidates, shares).map { candidate, share in
                var shown = candidate
                shown.probability = share.rounded(toPlaces: 6)
                return shown
            }
        }
        switch subject {
        case let .file(path):
            guard let fileIndex = files.firstIndex(where: { $0.path == path }) else { return nil }
            let runIndex = prepared.runs.firstIndex { $0.partition.files.contains(fileIndex) }
            var candidates: [MatchPlan.Candidate] = []
            if let runIndex {
                let run = prepared.runs[runIndex]
                let (locals, _, _) = run.index.candidates(for: files[fileIndex])
                candidates = withProbabilities(
                    locals.map { candidate(runIndex, file: fileIndex, message: run.index.messages[Int($0)]) })
            }
            return Explanation(
                subject: "file \(path)",
                decision: decision(forFile: path, in: plan),
                calibration: runIndex.map { plan.calibration[$0] },
                candidates: sorted(candidates)
            )
        case let .message(rowID):
            guard let messageIndex = messages.firstIndex(where: { $0.rowID == rowID }) else { return nil }
            var candidates: [MatchPlan.Candidate] = []
            var report: CalibrationReport?
            for (runIndex, run) in prepared.runs.enumerated() {
                guard let local = run.index.messages.firstIndex(of: messageIndex) else { continue }
                report = report ?? plan.calibration[runIndex]
                for fileIndex in run.partition.files where files[fileIndex].isUsableAudio {
                    let (locals, _, _) = run.index.candidates(for: files[fileIndex])
                    guard locals.contains(Int32(local)) else { continue }
                    candidates.append(candidate(runIndex, file: fileIndex, message: messageIndex))
                }
            }
            return Explanation(
                subject: "message \(rowID)",
                decision: decision(forMessage: rowID, in: plan),
                calibration: report,
                candidates: sorted(candidates)
            )
        }
    }

    private func sorted(_ candidates: [MatchPlan.Candidate]) -> [MatchPlan.Candidate] {
        candidates.sorted { ($0.score, $1.file, $1.messageRowID) > ($1.score, $0.file, $0.messageRowID) }
    }

    private func decision(forFile path: String, in plan: MatchPlan) -> String {
        if let link = plan.links.first(where: { $0.file == path }) {
            return
                "linked to message \(link.messageRowID) (probability \(formatProbability(link.probability)), score \(formatBits(link.score)), "
                + (link.margin.map { "margin \(formatBits($0))" } ?? "no rival") + ")"
        }
        if let link = plan.links.first(where: { $0.duplicates.contains(path) }) {
            return "a byte-identical re-download of \(link.file), linked to message \(link.messageRowID)"
        }
        if let review = plan.reviews.first(where: { $0.file == path }) {
            return
                "in review with message \(review.messageRowID) (probability \(formatProbability(review.probability))): \(review.reason == .ambiguous ? "a rival keeps it below the target" : "the evidence is too thin for the target")"
        }
        if let unmatched = plan.unmatched.first(where: { $0.file == path }) {
            return "left unmatched: \(unmatched.reason.rawValue.replacingAll("_", with: " "))"
        }
        return "not considered"
    }

    private func decision(forMessage rowID: Int64, in plan: MatchPlan) -> String {
        if let link = plan.links.first(where: { $0.messageRowID == rowID }) {
            return
                "linked to \(link.file) (probability \(formatProbability(link.probability)), score \(formatBits(link.score)), "
                + (link.margin.map { "margin \(formatBits($0))" } ?? "no rival") + ")"
        }
        if let review = plan.reviews.first(where: { $0.messageRowID == rowID }) {
            return "in review with \(review.file)"
        }
        if let claim = plan.claims.first(where: { $0.messageRowID == rowID }) {
            return
                "no new link; its existing localPath is \(claim.status.rawValue.replacingAll("_", with: " ")): \(claim.detail)"
        }
        return "no file links to it"
    }
}
