import Foundation
import Testing

/// The databases every compat test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres
    /// PostgreSQL with `conteudo jsonb` instead of `text`.
    case postgresJSONB = "postgres_jsonb"

    var testDescription: String { rawValue }

    var isPostgres: Bool { self != .sqlite }

    /// Whether `conteudo` comes back exactly as written (not re-normalised by a `jsonb` column).
    var keepsText: Bool { self != .postgresJSONB }

    /// The server the PostgreSQL tests use, from `scripts/with-postgres.sh`.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["AUDIOSYNC_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The backends the compat tests run against here: SQLite always; PostgreSQL when a server is given,
    /// and always under CI (where a missing server then fails the PostgreSQL cases instead of hiding them).
    static var testable: [Backend] {
        postgresURL != nil || isCI ? allCases : [.sqlite]
    }

    static let skipMessage =
        "AUDIOSYNC_TEST_POSTGRES_URL is not set: PostgreSQL cases skipped; run scripts/with-postgres.sh swift test"
}
