import Foundation
import Testing

/// Reads the journal's JSON columns as any reader of the database would: snake_case keys.
enum JournalText {
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(try #require(text).utf8))
    }
}
