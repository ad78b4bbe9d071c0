/// Why an audio row could not become an `AudioMessage`. Every such row is counted under one reason;
/// none is dropped silently.
public enum UnusableReason: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    /// `conteudo` is `NULL`, empty or white space.
    case emptyConteudo = "empty_conteudo"
    /// `conteudo` is not well-formed JSON (the legacy `[Áudio]`, a cut-off text, invalid UTF-8).
    case nonJSON = "non_json"
    /// `conteudo` is JSON but not an object.
    case notAnObject = "not_an_object"
    /// `conteudo` has no `audioMessage` object.
    case noAudioMessage = "no_audio_message"
    /// `data_envio` is not a timestamp this reader knows.
    case badDataEnvio = "bad_data_envio"
    /// `chat_id` names no `core_chat` row, or the chat's client is missing.
    case missingChat = "missing_chat"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    init(_ problem: ConteudoProblem) {
        switch problem {
        case .empty: self = .emptyConteudo
        case .nonJSON: self = .nonJSON
        case .notAnObject: self = .notAnObject
        case .noAudioMessage: self = .noAudioMessage
        }
    }
}
