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
        return [
            "  \(clientFolder) / \(instanceID)",
            "    HASH8 derivation  \(derivationText)",
            "                      hits among \(tokenFiles) token files: \(hits.isEmpty ? "none" : hits)",
            "    clock offset      \(offsetText)",
        ]
    }
}
