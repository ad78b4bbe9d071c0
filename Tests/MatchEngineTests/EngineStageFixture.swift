@testable import MatchEngine

/// Small hand-built instances for the stage tests: one client, one instance, chats whose messages
/// and files are laid out so each stage has one thing to get right.
enum EngineStageFixture {
    static let client = "Elizeu_Batiliere_Dos_Santos"
    static let instance = "3B6XIW-ZTS923-GEAY6V"
    /// 2025-08-09 12:00:00 UTC.
    static let noon = LocalTime(text: "2025-08-09 12:00:00")!.secondsSinceEpoch

    /// `HH:MM:SS` on the fixture's day as UTC text.
    static func utc(_ seconds: Int64) -> String { LocalTime(secondsSinceEpoch: seconds).iso8601 }

    /// A message of `chat` sent `offset` seconds after noon (UTC), with a web id starting `token`.
    static func message(
        _ row: Int64, chat: String = "556999267344", token: String, at offset: Int64, inserted: Int64? = nil,
        seconds: Int? = 7, length: Int64? = nil, sha: UInt8? = nil, fromMe: Bool = false
    ) -> AudioMessage {
        var message = AudioMessage.example(
            rowID: row, id: token + "C767D0D1E2F3A4B5", chat: chat + "@s.whatsapp.net",
            client: "Elizeu Batilière dos Santos",
            instance: instance, sent: utc(noon + offset), inserted: inserted.map { utc(noon + $0) }, seconds: seconds,
            fileLength: length, sha256: sha.map(ContentDigest.example), fromMe: fromMe)
        message.rowID = row
        return message
    }

    /// A file of `chat` named with `token`, written `offset` seconds after noon UTC on a server
    /// whose clock is `zone` (UTC−03:00 by default) `skew` seconds off.
    static func file(
        chat: String = "556999267344", token: String?, at offset: Int64, zone: Int64 = -10_800, skew: Int64 = 0,
        duration: Double = 7.4, size: Int64 = 18_000, sha: UInt8? = nil, name: String? = nil
    ) -> AudioFile {
        AudioFile.example(
            token: token, time: utc(noon + offset + zone + skew), chat: chat, client: client, instance: instance,
            duration: duration, size: size, sha256: sha.map(ContentDigest.example), name: name)
    }
}
