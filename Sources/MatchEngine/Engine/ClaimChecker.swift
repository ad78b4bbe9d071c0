/// Checks the `localPath` values already in the database (earlier runs, earlier tools) against
/// the evidence, like any other claim: confirmed, contradicted, pointing at nothing, or unverified.
struct ClaimChecker {
    let prepared: Matcher.Prepared
    let profile: Profile
    /// Each partition's weights, as its run scored with them.
    let weights: [EvidenceWeights]
    /// The part of the store the run scanned (``Matcher/Options/scanned``); `nil`: all of it.
    var scanned: (@Sendable (String) -> Bool)? = nil

    func check(
        files: [AudioFile],
        messages: [AudioMessage],
        fileLinks: [Int: Int],
        links: [MatchPlan.Link]
    ) -> [MatchPlan.ClaimCheck] {
        // Only the paths claims name are looked up: index just those, not every file.
        var claimed: Set<String> = []
        for index in messages.indices {
            if let path = messages[index].localPath, !path.isEmpty { claimed.insert(normalisedLocalPath(path)) }
        }
        // A store never synced has no claims: the indexes below (every link by message, every file's
        // partition) would be built at 300,000 links to check nothing.
        guard !claimed.isEmpty else { return [] }
        let pathIndex = Dictionary(
            files.indices.filter { claimed.contains(files[$0].path) }.map { (files[$0].path, $0) },
            uniquingKeysWith: { _, last in last })
        let linkByMessage = Dictionary(
            links.indices.map { (links[$0].messageRowID, $0) }, uniquingKeysWith: { _, last in last })
        let runOfFile = prepared.runs.enumerated().reduce(into: [Int?](repeating: nil, count: files.count)) {
            runOfFile, run in
            for file in run.element.partition.files { runOfFile[file] = run.offset }
        }

        @Sendable func check(_ messageIndex: Int) -> MatchPlan.ClaimCheck {
            let message = messages[messageIndex]
            let rawPath = message.localPath!
            let path = normalisedLocalPath(rawPath)
            func claim(
                _ status: MatchPlan.ClaimCheck.Status, _ detail: String, proposed: String? = nil, wantedBy: Int64? = nil
            )
                -> MatchPlan.ClaimCheck
            {
                .init(
                    messageRowID: message.rowID,
                    localPath: rawPath,
                    status: status,
                    proposedFile: proposed,
                    fileWantedBy: wantedBy,
                    detail: detail
                )
            }
            guard let fileIndex = pathIndex[path] else {
                if let scanned, !scanned(path) {
                    return claim(.unverified, "the file is outside the part of the store this run scanned")
                }
                return claim(.missingFile, "no file at this path in the media store")
            }
            if let linkIndex = linkByMessage[message.rowID] {
                let link = links[linkIndex]
                if link.file == path || link.duplicates.contains(path) {
                    return claim(.confirmed, "the evidence links the same file")
                } else {
                    return claim(.contradicted, "the evidence links \(link.file) instead", proposed: link.file)
                }
            }
            if let other = fileLinks[fileIndex], other != messageIndex {
                let wanted = messages[other].rowID
                return claim(.contradicted, "the evidence gives this file to message \(wanted)", wantedBy: wanted)
            }
            guard let runIndex = runOfFile[fileIndex] else {
                return claim(.contradicted, "the file is outside every client and instance of the database")
            }
            let run = prepared.runs[runIndex]
            let sameScope =
                message.clientID == run.partition.clientID
                && (message.instanceID == nil || message.instanceID == run.partition.instanceID)
            guard sameScope else {
                return claim(.contradicted, "the file is in another client's or instance's folder")
            }
            // The score alone: a waterfall's notes would be built for every claim and thrown away.
            let evidence = run.scorer.evidence(files[fileIndex], message, in: run.context)
            let prior = weights[runIndex].priorBits(conversationSize: run.index.conversationSize(of: files[fileIndex]))
            let value = run.scorer.score(evidence, prior: prior, weights: weights[runIndex])
            let score = formatMeasurement(value.rounded(toPlaces: 2))
            if let veto = evidence.vetoedBy {
                return claim(.contradicted, "vetoed by \(profile.strategies[veto].identifier)")
            } else if evidence.contradicted {
                return claim(.contradicted, "an identifier contradicts it (score \(score))")
            } else if !files[fileIndex].isUsableAudio {
                return claim(.unverified, "the file is damaged (\(files[fileIndex].problem?.rawValue ?? "?"))")
            } else {
                return claim(.unverified, "not linked by the evidence (score \(score))")
            }
        }
        // By index: only messages with a localPath are looked at whole.
        let claiming = messages.indices.filter { messages[$0].localPath?.isEmpty == false }
        // Each claim on its own, on every core, in the messages' order.
        return parallelMap(count: claiming.count, minimumChunk: 4_096) { range in
            range.map { check(claiming[$0]) }
        }
    }
}

/// A `localPath` in the spec's form (`a/b`, relative to the media root): earlier tools wrote
/// `./a/b`, `/a/b` or `a\b`.
public func normalisedLocalPath(_ path: String) -> String {
    // Nearly every value is already in the spec's form: say so without building a new string.
    let bytes = path.utf8
    if bytes.first != 47 && bytes.first != 46 && !bytes.contains(92) { return path }
    var result = path.replacingAll("\\", with: "/")
    while result.hasPrefix("./") { result.removeFirst(2) }
    while result.hasPrefix("/") { result.removeFirst() }
    return result
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
