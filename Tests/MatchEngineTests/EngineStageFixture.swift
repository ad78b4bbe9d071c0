import Foundation

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

    /// A chat's everyday traffic: forty notes over forty days, each downloaded a few seconds after it
    /// was sent, by which an instance is calibrated and its weights estimated.
    static func traffic() -> (files: [AudioFile], messages: [AudioMessage]) {
        var files: [AudioFile] = []
        var messages: [AudioMessage] = []
        for day in 0..<40 {
            let token = String(format: "3A%06X", 0x10_000 + day)
            let at = Int64(day - 45) * 86_400 + Int64(day * 997 % 30_000)
            messages.append(
                message(
                    Int64(1_000 + day), token: token, at: at, seconds: 3 + day % 20, length: 9_000 + Int64(day) * 317))
            files.append(
                file(
                    token: token, at: at + 2 + Int64(day % 7), duration: Double(3 + day % 20) + 0.4,
                    size: 9_000 + Int64(day) * 317))
        }
        return (files, messages)
    }
}
