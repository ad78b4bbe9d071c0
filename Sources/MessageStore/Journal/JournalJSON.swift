import Foundation

/// The journal's JSON columns (`audiosync_run.options`, `.summary`) as text: one encoder for both.
enum JournalJSON {
    /// `value` as JSON with snake_case keys, sorted, so the same value is always the same text.
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
