// The text rendering of a waterfall, for the reviews of `sync` and the candidates of `explain`.

extension Waterfall {
    /// The waterfall as aligned lines: prior, each strategy, the total and any floor or cap.
    public func lines(indent: String = "  ") -> [String] {
        var result = [
            "\(indent)\(pad("prior", 22)) \(signed(prior))  one message of its conversation, against none of them"
        ]
        for line in lines {
            let level = line.level ?? "—"
            let weight = line.weight == 1 ? "" : " ×\(formatBits(line.weight))"
            let effect = line.effect == .none ? "" : " [\(line.effect.rawValue)]"
            let contribution = line.effect == .veto ? "  veto" : signed(line.contribution)
            // The estimate for this instance beside the profile's bits, where they differ.
            let profile =
                line.profileBits.map { formatBits($0) != formatBits(line.bits) ? " (profile \(formatBits($0)))" : "" }
                ?? ""
            result.append(
                "\(indent)\(pad(line.strategy, 22)) \(contribution)  \(level)\(weight)\(effect)\(profile): \(line.note)"
            )
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
