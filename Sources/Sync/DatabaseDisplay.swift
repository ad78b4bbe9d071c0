import MessageStore

/// A database location as every report, message and log shows it: a SQLite path as it is, a
/// URL without its password (`postgres://crm:***@db/crm`).
///
/// The one place audiosync's reports turn a database location into text for people (`config
/// show`, `runs`, `clients`, the reports' `database`). It is ``redactedDatabaseLocation(_:)``, the
/// one redaction of every shown location, which works on the text before any parsing, so a
/// malformed URL is redacted too.
public func displayDatabaseLocation(_ location: String) -> String { redactedDatabaseLocation(location) }
