public import MatchEngine
import Yams

/// Reads weight profiles (YAML) against the built-in strategies.
public enum ProfileLoader {
    /// Decodes a profile from YAML text.
    ///
    /// - Parameters:
    ///   - text: the profile.
    ///   - fileName: how errors name the source.
    ///   - strategies: the strategies it may configure.
    /// - Throws: ``ProfileError`` naming the file and the key.
    public static func profile(
        yaml text: String,
        fileName: String,
        strategies: [any Strategy.Type] = builtInStrategies
    ) throws -> Profile {
        // An empty file is the defaults, not an error.
        guard text.contains(where: { !$0.isWhitespace }) else { return Profile(strategies: strategies) }
        do {
            return try YAMLDecoder().decode(
                Profile.self,
                from: text,
                userInfo: [.strategyList: StrategyList(strategies)]
            )
        } catch let error as DecodingError {
            throw describe(error, fileName: fileName)
        } catch let error as YamlError {
            throw ProfileError.unreadable(file: fileName, reason: "not valid YAML: \(error)")
        } catch let error as ProfileError {
            throw error
        } catch {
            throw ProfileError.unreadable(file: fileName, reason: "\(error)")
        }
    }

    /// Decodes a strategy's configuration from a YAML snippet, as examples give it.
    public static func configured<S: Strategy>(_ strategy: S.Type, yaml text: String) throws -> ConfiguredStrategy {
        let profile = try profile(yaml: "strategies:\n  \(S.description.identifier):\n" + indent(text.isEmpty ? "{}" : text), fileName: "example", strategies: [S.self])
        return profile.strategies[0]
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// Turns a decoding error into one line: `file: strategies.timestamp_distance.tolerance_seconds: expected a number`.
    static func describe(_ error: DecodingError, fileName: String) -> ProfileError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .typeMismatch(type, context):
            return .invalid(file: fileName, keyPath: path(context.codingPath), reason: "expected \(typeName(type))")
        case let .valueNotFound(type, context):
            return .invalid(file: fileName, keyPath: path(context.codingPath), reason: "expected \(typeName(type)), found nothing")
        case let .keyNotFound(key, context):
            return .invalid(file: fileName, keyPath: path(context.codingPath + [key]), reason: "missing")
        case let .dataCorrupted(context):
            return .invalid(file: fileName, keyPath: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .unreadable(file: fileName, reason: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        default: "\(type)".contains("Dictionary") ? "a mapping" : "\(type)".contains("Array") ? "a list" : "\(type)"
        }
    }
}
