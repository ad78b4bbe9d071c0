import MatchEngine

/// What a file's problem means and what to do about it, in words for the person who must act.
enum FileProblemAdvice {
    static func sentence(_ problem: FileProblem) -> String {
        switch problem {
        case .empty:
            "the file is empty (0 bytes): the download failed; download the voice note again from WhatsApp"
        case .notAudio:
            "the file holds no audio audiosync can read (perhaps an error page saved under an audio name): download it again"
        case .truncated:
            "the file ends before its audio does (an interrupted download): download it again; its duration is an estimate"
        case .damaged:
            "the audio stream is damaged part-way: it may not play to the end; download it again if you can"
        case .extensionMismatch:
            "the file's extension names another format than its bytes hold; it plays, but players that trust the extension may not"
        case .unreadable:
            "the file could not be read (permissions, or it vanished during the scan): check that this user may read it"
        }
    }
}
