/// What a load found besides the messages: the rows it could not use and the fields it had to drop.
public struct LoadReport: Sendable, Hashable, Codable {
    /// Audio rows read (`tipo = 'audio'`, in scope).
    public var rowsRead = 0
    /// Rows that became messages.
    public var loaded = 0
    /// Loaded rows whose `conteudo` is a legacy caption (`[Áudio]`), not JSON: they carry no id,
    /// hash, size or seconds; linking one writes a JSON object that keeps the caption.
    public var placeholderRows = 0
    /// Rows that could not, by reason.
    public var unusable: [UnusableReason: Int] = [:]
    /// The first few row ids of each reason, so an operator can look at them.
    public var unusableExamples: [UnusableReason: [Int64]] = [:]
    /// Fields present in loaded rows but unusable (wrong type, bad value), by JSON path
    /// (`audioMessage.fileLength`). Those fields are `nil` in the messages.
    public var invalidFields: [String: Int] = [:]

    public init() {}

    /// Rows that could not be used, all reasons together.
    public var unusableCount: Int { unusable.values.reduce(0, +) }

    static let examplesPerReason = 5

    mutating func count(_ reason: UnusableReason, row: Int64) {
        unusable[reason, default: 0] += 1
        if unusableExamples[reason, default: []].count < LoadReport.examplesPerReason {
            unusableExamples[reason, default: []].append(row)
        }
    }

    mutating func count(_ fields: InvalidFields) {
        for (field, name) in InvalidFields.names where fields.contains(field) {
            invalidFields[name, default: 0] += 1
        }
    }
}
