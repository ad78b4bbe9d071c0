public import Foundation

/// The one JSON coding of every report (`--json`, `scan --format jsonl`, the evaluation read back
/// by `--against`): snake_case keys from the Swift names, sorted, slashes unescaped, and the
/// non-finite numbers JSON lacks as strings (`"-inf"`, a vetoed candidate's score).
///
/// Reports are plain `Encodable` values: what a document shows is what the value holds, rounded
/// figures and `null`s included (see ``MatchEngine/Nullable``).
public enum ReportJSON {
    /// How the documents are laid out.
    public enum Layout: Sendable {
        /// Indented, one document per command (`--json`).
        case pretty
        /// One line per value (`scan --format jsonl`).
        case line
    }

    /// The encoder.
    public static func encoder(_ layout: Layout = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if layout == .pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder of what ``encoder(_:)`` wrote, for a type whose keys are the snake_case of its
    /// Swift names (a key renamed in `CodingKeys`, such as `message_id`, would not be found).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
