import Foundation

/// A JSON Schema validator for the part of draft 2020-12 that `docs/schemas/` uses: `type`,
/// `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`, `minimum`,
/// `anyOf`, `oneOf`, `$ref` to `#/$defs/…`, and the annotations (`$schema`, `$id`, `title`,
/// `description`, `$comment`). Any other keyword is an error, so a schema can never rely on a
/// rule this validator would silently skip.
struct JSONSchema {
    let root: [String: Any]

    init(contentsOf url: URL) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let root = object as? [String: Any] else { throw SchemaError("\(url.lastPathComponent): not an object") }
        self.root = root
    }

    struct SchemaError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let keywords: Set<String> = [
        "$schema", "$id", "title", "description", "$comment", "$defs", "type", "properties", "required",
        "additionalProperties", "items", "enum", "const", "minimum", "anyOf", "oneOf", "$ref",
    ]

    /// Every way `value` breaks the schema, as `path: reason`; empty when it conforms.
    func violations(of value: Any) throws -> [String] {
        var found: [String] = []
        try check(value, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String, into found: inout [String]) throws
    {
        for key in schema.keys where !Self.keywords.contains(key) {
            throw SchemaError("unsupported keyword `\(key)` at \(path)")
        }
        if let reference = schema["$ref"] as? String {
            let prefix = "#/$defs/"
            guard reference.hasPrefix(prefix), let definitions = root["$defs"] as? [String: Any],
                let target = definitions[String(reference.dropFirst(prefix.count))] as? [String: Any]
            else { throw SchemaError("unresolvable $ref \(reference) at \(path)") }
            try check(value, against: target, at: path, into: &found)
        }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [types as? String].compactMap { $0 }
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                found.append("\(path): expected \(allowed.joined(separator: " or ")), found \(Self.typeName(value))")
                return
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): expected \(constant), found \(value)")
        }
        if let minimum = schema["minimum"] as? Double, let number = value as? NSNumber, !Self.isBool(value),
            number.doubleValue < minimum
        {
            found.append("\(path): \(number) is below \(minimum)")
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let branches = schema[keyword] as? [[String: Any]] else { continue }
            var passing = 0
            var reasons: [String] = []
            for branch in branches {
                var branchFound: [String] = []
                try check(value, against: branch, at: path, into: &branchFound)
                if branchFound.isEmpty { passing += 1 } else { reasons += branchFound }
            }
            if passing == 0 || (keyword == "oneOf" && passing > 1) {
                found.append(
                    "\(path): matches \(passing) of the \(keyword) branches (\(reasons.prefix(3).joined(separator: "; ")))"
                )
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path): missing key `\(name)`")
            }
            for (name, member) in object {
                if let property = properties[name] as? [String: Any] {
                    try check(member, against: property, at: "\(path).\(name)", into: &found)
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool {
                        if !allowed { found.append("\(path): unexpected key `\(name)`") }
                    } else if let extraSchema = extra as? [String: Any] {
                        try check(member, against: extraSchema, at: "\(path).\(name)", into: &found)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, member) in array.enumerated() {
                try check(member, against: items, at: "\(path)[\(index)]", into: &found)
            }
        }
    }

    private static func isBool(_ value: Any) -> Bool {
        // JSONSerialization gives booleans as NSNumbers of the C type `char`.
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBool(value)
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "number": return value is NSNumber && !isBool(value)
        case "integer":
            guard let number = value as? NSNumber, !isBool(value) else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        default: return false
        }
    }

    private static func typeName(_ value: Any) -> String {
        ["null", "boolean", "object", "array", "string", "integer", "number"].first { matches(value, type: $0) }
            ?? "\(type(of: value))"
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (a as String, b as String): a == b
        case let (a as NSNumber, b as NSNumber): isBool(a) == isBool(b) && a == b
        case (is NSNull, is NSNull): true
        default: false
        }
    }
}
