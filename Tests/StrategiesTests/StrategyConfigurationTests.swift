import MatchEngine
import Strategies
import Testing

/// For every strategy's configuration: the defaults, custom values, an unknown key and a wrong type.
struct StrategyConfigurationTests {
    /// One strategy's configuration cases: YAML for custom values and the value it must decode to,
    /// and a key with a wrongly typed value.
    struct Case: Sendable, CustomTestStringConvertible {
        let strategy: String
        let custom: String
        let check: @Sendable (ConfiguredStrategy) -> Bool
        let wrongType: String
        var testDescription: String { strategy }
    }

    static let cases: [Case] = [
        Case(
            strategy: "chat_id",
            custom: "ninth_digit: false\ngroup_sender_folders: false\nown_number_folder: false",
            check: {
                $0.configuration as? ChatIDConfiguration
                    == configured(ChatIDConfiguration()) {
                        $0.ninthDigit = false
                        $0.groupSenderFolders = false
                        $0.ownNumberFolder = false
                    }
            },
            wrongType: "ninth_digit: perhaps"
        ),
        Case(
            strategy: "filename_hash_prefix",
            custom: "try_other_derivations: false",
            check: {
                $0.configuration as? FilenameHashPrefixConfiguration
                    == configured(FilenameHashPrefixConfiguration()) { $0.tryOtherDerivations = false }
            },
            wrongType: "try_other_derivations: [1, 2]"
        ),
        Case(
            strategy: "content_hash",
            custom: "contradict_on_same_size: false",
            check: {
                $0.configuration as? ContentHashConfiguration
                    == configured(ContentHashConfiguration()) { $0.contradictOnSameSize = false }
            },
            wrongType: "contradict_on_same_size: {a: 1}"
        ),
        Case(
            strategy: "timestamp_distance",
            custom: "tolerance_seconds: 5\ninsert_time_slack_seconds: 3600\nuse_mtime: false",
            check: {
                $0.configuration as? TimestampDistanceConfiguration
                    == configured(TimestampDistanceConfiguration()) {
                        $0.toleranceSeconds = 5
                        $0.insertTimeSlackSeconds = 3600
                        $0.useMtime = false
                    }
            },
            wrongType: "tolerance_seconds: soon"
        ),
        Case(
            strategy: "audio_duration",
            custom: "tolerance_seconds: 0.1\naccept_rounded: false",
            check: {
                $0.configuration as? AudioDurationConfiguration
                    == configured(AudioDurationConfiguration()) {
                        $0.toleranceSeconds = 0.1
                        $0.acceptRounded = false
                    }
            },
            wrongType: "tolerance_seconds: a little"
        ),
        Case(
            strategy: "file_size",
            custom: "relative_tolerance: 0.02",
            check: {
                $0.configuration as? FileSizeConfiguration
                    == configured(FileSizeConfiguration()) { $0.relativeTolerance = 0.02 }
            },
            wrongType: "relative_tolerance: [0.1]"
        ),
        Case(
            strategy: "format_mimetype",
            custom: "ogg_codecs_must_agree: false",
            check: {
                $0.configuration as? FormatMimetypeConfiguration
                    == configured(FormatMimetypeConfiguration()) { $0.oggCodecsMustAgree = false }
            },
            wrongType: "ogg_codecs_must_agree: 3"
        ),
    ]

    @Test("Every built-in strategy has configuration cases")
    func everyStrategyCovered() {
        #expect(Set(Self.cases.map(\.strategy)) == Set(builtInStrategies.map { $0.description.identifier }))
    }

    @Test("Defaults: an empty section is the default configuration, weight 1 and default bits", arguments: cases)
    func defaults(_ testCase: Case) throws {
        let fromEmpty = try configuredStrategy(testCase.strategy, yaml: "")
        let builtIn = try #require(Profile.builtInDefault.strategy(testCase.strategy))
        #expect(fromEmpty.weight == 1)
        #expect(fromEmpty.levels == builtIn.levels)
        #expect(fromEmpty.levels.allSatisfy { $0.bits == $0.defaultBits })
        #expect(!testCase.check(fromEmpty), "the custom values must differ from the defaults")
    }

    @Test("Custom values are decoded", arguments: cases)
    func custom(_ testCase: Case) throws {
        let strategy = try configuredStrategy(testCase.strategy, yaml: testCase.custom + "\nweight: 0.5")
        #expect(testCase.check(strategy))
        #expect(strategy.weight == 0.5)
    }

    @Test("An unknown key is an error naming the strategy and the key", arguments: cases)
    func unknownKey(_ testCase: Case) throws {
        let error = try #require(throws: ProfileError.self) {
            try configuredStrategy(testCase.strategy, yaml: "tolerence_secs: 3")
        }
        #expect(error.description.contains("strategies.\(testCase.strategy).tolerence_secs"), "\(error)")
        #expect(error.description.contains("example.yml"), "\(error)")
    }

    @Test("A wrong type is an error naming the key", arguments: cases)
    func wrongType(_ testCase: Case) throws {
        let key = String(testCase.wrongType.prefix { $0 != ":" })
        let error = try #require(throws: ProfileError.self) {
            try configuredStrategy(testCase.strategy, yaml: testCase.wrongType)
        }
        #expect(error.description.contains("strategies.\(testCase.strategy).\(key)"), "\(error)")
    }

    @Test("Level overrides change the bits; an unknown level is an error", arguments: cases)
    func levels(_ testCase: Case) throws {
        let defaults = try configuredStrategy(testCase.strategy, yaml: "")
        let first = defaults.levels[0].identifier
        let changed = try configuredStrategy(testCase.strategy, yaml: "levels: {\(first): 1.25}")
        #expect(changed.levels[0].bits == 1.25)
        #expect(changed.levels.dropFirst() == defaults.levels.dropFirst())
        let error = try #require(throws: ProfileError.self) {
            try configuredStrategy(testCase.strategy, yaml: "levels: {no_such_level: 1}")
        }
        #expect(error.description.contains("no_such_level"), "\(error)")
    }
}

/// `value` with `change` applied: custom configurations read as the defaults plus what differs.
func configured<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}
