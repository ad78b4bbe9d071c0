/// Bits with at most one decimal: `14`, `-1.5`.
public func formatBits(_ value: Double) -> String {
    guard value.isFinite else { return value < 0 ? "-inf" : "inf" }
    let rounded = value.rounded(toPlaces: 1)
    if rounded == rounded.rounded() { return String(Int64(rounded)) }
    return String(rounded)
}
