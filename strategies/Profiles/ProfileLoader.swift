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
        do {
            // An empty file (or only comments) is the defaults, not an error.
            guard try Yams.compose(yaml: text) != nil else { return Profile(strategies: strategies) }
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

    /// Turns a decoding error into one line: `file: strategies.timestamp_distance.tolerance_seconds: expected a number`.
    static func describe(_ error: DecodingError, fileName: String) -> ProfileError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .typeMismatch(type, context):
            return .invalid(file: fileName, keyPath: path(context.codingPath), reason: "expected \(typeName(type))")
        case let .valueNotFound(type, context):
            return .invalid(
                file: fileName, keyPath: path(context.codingPath), reason: "expected \(typeName(type)), found nothing")
        case let .keyNotFound(key, context):
            return .invalid(file: fileName, keyPath: path(context.codingPath + [key]), reason: "missing")
        case let .dataCorrupted(context):
            // Yams wraps everything a decoder throws that is not a DecodingError, parse errors included.
            if let underlying = context.underlyingError {
                if let profileError = underlying as? ProfileError { return profileError }
                if let decodingError = underlying as? DecodingError {
                    return describe(decodingError, fileName: fileName)
                }
                return .unreadable(file: fileName, reason: "not valid YAML: \(underlying)")
            }
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
