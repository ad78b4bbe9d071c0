// The text rendering of a calibration report, for `sync` (the detected section) and `explain`.

extension CalibrationReport {
    /// The instance, then its `HASH8` derivation and clock offset with their support.
    public var textLines: [String] {
        let derivations = calibration.hashDerivations.map(\.rawValue).joined(separator: " + ")
        let hits = HashDerivation.allCases.compactMap { derivation in
            derivationHits[derivation.rawValue].map { "\(derivation.rawValue) \($0)" }
        }.joined(separator: ", ")
        let derivationText =
            derivations.isEmpty
            ? "undetermined (every derivation tried, weaker)"
            : "\(derivations) (\(derivationSource.rawValue))"
        let offsetText: String
        if let offset = calibration.clockOffset {
            offsetText =
                "\(ClockOffset.describe(offset)) (\(offsetSource.rawValue); \(offsetSupport) of \(anchoredPairs) anchored files in the live window)"
        } else {
            offsetText = "undetermined (\(anchoredPairs) anchored files); name times give no evidence"
        }
        var lines = [
            "  \(clientFolder) / \(instanceID)",
            "    HASH8 derivation  \(derivationText)",
            "                      hits among \(tokenFiles) token files: \(hits.isEmpty ? "none" : hits)",
        ]
        if let span = calibration.derivationSpan {
            func time(_ seconds: Int64) -> String {
                LocalTime(secondsSinceEpoch: seconds).iso8601.replacing("T", with: " ")
            }
            let range =
                switch (span.from, span.to) {
                case (let from?, let to?): "from \(time(from)) to \(time(to))"
                case (let from?, nil): "from \(time(from)) on"
                case (nil, let to?): "up to \(time(to))"
                case (nil, nil): "throughout"
                }
            lines.append(
                "                      seen in use \(range), by the name clock; files named outside that: derivation unknown"
            )
        }
        lines.append("    clock offset      \(offsetText)")
        for (clock, drift) in [("name clock", calibration.clockDrift), ("mtime clock", calibration.mtimeDrift)] {
            guard let drift else { continue }
            let rate = (drift.secondsPerDay * 100).rounded() / 100
            let at = LocalTime(secondsSinceEpoch: drift.reference).iso8601.replacing("T", with: " ")
            lines.append(
                "                      the \(clock) drifts \(rate > 0 ? "+" : "")\(rate) s a day (its offset is the one at \(at))"
            )
        }
        for change in calibration.clockChanges {
            let after = LocalTime(secondsSinceEpoch: change.after).iso8601.replacing("T", with: " ")
            let from = LocalTime(secondsSinceEpoch: change.from).iso8601.replacing("T", with: " ")
            lines.append(
                "                      then \(ClockOffset.describe(change.offset)) from \(from) on the name clock (changed after \(after))"
            )
        }
        if !scheduledRunStarts.isEmpty {
            let starts = scheduledRunStarts.sorted { $0.key < $1.key }.map { "\($0.key) on \($0.value) days" }
            lines.append("    scheduled runs    \(starts.joined(separator: ", ")) (name times there are the run's)")
        }
        return lines
    }
}
