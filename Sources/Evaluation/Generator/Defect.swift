import Foundation

/// A defect of real stores that the generator can switch on (spec §1 and §2), each on a share of
/// the store. Names are the `--defects` values and the tags of the truth file.
public enum Defect: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Instances derive `HASH8` as `id[-8:]`, MD5, SHA-1 or SHA-256 prefixes; one mixes two.
    case hash8Derivations = "hash8_derivations"
    /// Some writers put the full id in the name: `wapi_<FULLID>_<YYYYMMDD>_<HHMMSS>`.
    case fullIDNames = "full_id_names"
    /// Servers on other zones than UTC−03:00 (UTC−04:00, UTC).
    case clockOffset = "clock_offset"
    /// Back-fill runs download old messages hours or days after they were sent.
    case backfill
    /// A message downloaded twice: same token, seconds apart, identical bytes.
    case redownload
    /// A voice note forwarded to another chat: the same bytes and `fileSha256` there.
    case forwarded
    /// Files with no message in the database (deleted chats, other instances).
    case orphans
    /// Zero bytes, cut short, or not audio at all.
    case damaged
    /// Ogg Opus saved as `.mp3`.
    case lyingExtension = "lying_extension"
    /// The database's chat id has (or lacks) the Brazilian ninth digit the folder lacks (or has).
    case ninthDigit = "ninth_digit"
    /// Chat ids as `@c.us` JIDs, bare digits or `+55 (69) 9926-7344`.
    case jidVariants = "jid_variants"
    /// Group chats whose media sit under the sender's folder.
    case groupSenderFolders = "group_sender_folders"
    /// Rows without `seconds`.
    case missingSeconds = "missing_seconds"
    /// Rows whose `seconds` is rounded rather than truncated.
    case roundedSeconds = "rounded_seconds"
    /// Older rows without `fileSha256` and `fileLength`.
    case missingHashes = "missing_hashes"
    /// `fileLength` as number or `{low, high}`, `messageTimestamp` in milliseconds or as text.
    case gatewayFormats = "gateway_formats"
    /// Rows whose `conteudo` is not JSON (`[Áudio]`).
    case nonJSON = "non_json"
    /// `data_envio` is the row's insert time (back-filled rows), some without `messageTimestamp`.
    case insertTime = "insert_time"
    /// `message_id` NULL, the id only at `conteudo.key.id`.
    case missingMessageID = "missing_message_id"
    /// Ids of one chat sharing their first 8 characters.
    case prefixCollisions = "prefix_collisions"
    /// `localPath` values left by an earlier tool: some wrong, some pointing at nothing, some right.
    case staleLocalPath = "stale_local_path"
    /// Files under their original names (no token, no time; only the mtime).
    case otherNames = "other_names"
    /// Client names with accents, their folders with the accents stripped.
    case accents

    public static func < (lhs: Defect, rhs: Defect) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses `a,b,c` or `all` or `none`.
    public static func parse(_ list: String) throws -> Set<Defect> {
        let trimmed = list.trimmingCharacters(in: .whitespaces)
        if trimmed == "all" { return Set(allCases) }
        if trimmed.isEmpty || trimmed == "none" { return [] }
        var result: Set<Defect> = []
        for name in trimmed.split(separator: ",") {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let defect = Defect(rawValue: name) else {
                throw EvaluationError.badOption(
                    "unknown defect `\(name)`; use all, none, or a list of: "
                        + allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            result.insert(defect)
        }
        return result
    }
}
