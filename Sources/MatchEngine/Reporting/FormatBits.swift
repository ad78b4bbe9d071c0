/// Bits with at most one decimal: `14`, `-1.5`.
public func formatBits(_ value: Double) -> String {
    guard value.isFinite else { return value < 0 ? "-inf" : "inf" }
    let rounded = value.rounded(toPlaces: 1)
    if rounded == rounded.rounded() { return String(Int64(rounded)) }
    return String(rounded)
}

/// A probability as people read it: `0.9973`, `0.99999+` for what rounds to one, `< 0.0001`.
public func formatProbability(_ value: Double) -> String {
    if value >= 0.999_995 { return "0.99999+" }
    if value < 0.000_1 { return "< 0.0001" }
    return String(value.rounded(toPlaces: value >= 0.999 ? 5 : 4))
}
