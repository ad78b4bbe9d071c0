import ArgumentParser
import Foundation
import Logging
import Strategies
import Sync

extension AudioSync {
    /// `audiosync config`: the settings file.
    struct ConfigCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show the settings commands run with (audiosync.yml, flags, defaults).",
            subcommands: [Show.self],
            defaultSubcommand: Show.self
        )

        /// `audiosync config show`.
        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the effective settings and where each came from (never a password).",
                discussion: CommandHelp.discussion(
                    """
                    Settings are read from flags, else (the database only) from AUDIOSYNC_DATABASE \
                    or DATABASE_URL, else from audiosync.yml: ./audiosync.yml, else \
                    $XDG_CONFIG_HOME/audiosync/audiosync.yml (~/.config/audiosync/audiosync.yml), \
                    or the file given with --config. Its keys: media_root, database, profile, \
                    url_template, client, instance; relative paths are read from the file's folder. \
                    Flags given here are shown as a command would take them.
                    """,
                    examples: [
                        ("What would a command run with, here?", "audiosync config show"),
                        ("With another file", "audiosync config show --config /etc/audiosync/audiosync.yml"),
                    ],
                    exitCodes: [.success, .validationFailure, .configuration])
            )

            @OptionGroup(title: "Store") var store: StoreOptions
            @OptionGroup(title: "Scope") var scope: ScopeOptions
            @OptionGroup(title: "Matching") var profile: ProfileOptions
            @OptionGroup(title: "Output") var output: OutputOptions
            @OptionGroup(title: "General") var general: GeneralOptions

            func run() async throws {
                try await CommandContext.run("config show", general) { context in
                    let settings = try context.settings(Settings.Flags(store: store, scope: scope, profile: profile))
                    let level = LogLevel.current
                    let report = ConfigReport(settings, logLevel: level.level.rawValue, logLevelSource: level.source)
                    try context.print(report, as: output) { report.text }
                }
            }
        }
    }

    /// `audiosync profile`: weight profiles.
    struct ProfileCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile",
            abstract: "Print weight profiles.",
            subcommands: [Show.self],
            defaultSubcommand: Show.self
        )

        /// `audiosync profile show`.
        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the profile a sync would use: the built-in one, with its comments, unless one is set.",
                discussion: CommandHelp.discussion(
                    """
                    The built-in profile is what `audiosync sync` uses without --profile (or \
                    profile: in audiosync.yml). Save it, change what you need, and pass the file \
                    with --profile; every key is described in docs/profiles.md.
                    """,
                    examples: [
                        ("The built-in profile", "audiosync profile show"),
                        ("A starting point for your own", "audiosync profile show > my-profile.yml"),
                    ],
                    exitCodes: [.success, .validationFailure, .configuration])
            )

            @OptionGroup(title: "Matching") var profile: ProfileOptions
            @OptionGroup(title: "Output") var output: OutputOptions
            @OptionGroup(title: "General") var general: GeneralOptions

            func run() async throws {
                try await CommandContext.run("profile show", general) { context in
                    let settings = try context.settings(Settings.Flags(profile: profile))
                    let report: ProfileReport
                    if let path = settings[.profile] {
                        let choice = try ProfileChoice.load(path)
                        report = ProfileReport(
                            source: choice.source, yaml: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
                    } else {
                        report = ProfileReport(source: "built-in", yaml: builtInProfileText + "\n")
                    }
                    try context.print(report, as: output) { report.yaml }
                }
            }
        }
    }
}
