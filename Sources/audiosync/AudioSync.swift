import ArgumentParser

/// The `audiosync` command: links the audio files of a multichat media store to their messages.
@main
struct AudioSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audiosync",
        abstract: "Link the audio files of a WhatsApp multichat media store to their messages, explainably.",
        discussion: """
            audiosync scores every plausible file-message pair with a set of strategies (file name \
            hash, timestamps, chat, audio duration, content hash, size), solves a one-to-one \
            assignment and links only what it is sure of. Run `audiosync sync --dry-run` first.
            """,
        version: "0.1.0",
        subcommands: [
            Sync.self, Status.self, Explain.self, Undo.self, Scan.self, Generate.self, Evaluate.self, Tune.self,
            Demo.self,
        ]
    )
}
