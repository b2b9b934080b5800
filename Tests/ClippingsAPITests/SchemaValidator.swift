import Foundation

/// Checks JSON values against the JSON Schema subset `openapi.yaml` uses (OpenAPI 3.1 = JSON Schema 2020-12):
/// `$ref`, `type` (one or several), `properties`, `required`, `additionalProperties: false`, `items`,
/// `enum`, `const`, `oneOf`, `anyOf`, `minimum`, `maximum`, `minLength`, `pattern` and the `date-time`
/// and `date` formats. Returns every violation with its JSON path, so a failing test says what is wrong.
struct SchemaValidator {
    let document: [String: Any]

    func validate(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return validate(value, against: resolved, at: path)
        }
        var errors: [String] = []
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let matching = alternatives.filter { validate(value, against: $0, at: path).isEmpty }.count
            if matching != 1 { errors.append("\(path): matches \(matching) of oneOf, not exactly 1") }
        }
        if let alternatives = schema["anyOf"] as? [[String: Any]],
            !alternatives.contains(where: { validate(value, against: $0, at: path).isEmpty })
        {
            errors.append("\(path): matches none of anyOf")
        }
        if let types = (schema["type"] as? String).map({ [$0] }) ?? schema["type"] as? [String],
            !types.contains(where: { Self.value(value, hasType: $0) })
        {
            return errors + ["\(path): \(Self.describe(value)) is not \(types.joined(separator: " or "))"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            errors.append("\(path): \(value) not in enum \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            errors.append("\(path): \(value) is not \(constant)")
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum {
                errors.append("\(path): below \(minimum)")
            }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum {
                errors.append("\(path): above \(maximum)")
            }
        }
        if let string = value as? String {
            if let minimum = schema["minLength"] as? Int, string.count < minimum {
                errors.append("\(path): shorter than \(minimum)")
            }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil
            {
                errors.append("\(path): \(string) does not match \(pattern)")
            }
            switch schema["format"] as? String {
            case "date-time"
            where string.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/) == nil:
                errors.append("\(path): \(string) is not an RFC 3339 date-time")
            case "date" where string.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil:
                errors.append("\(path): \(string) is not a date")
            default: break
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            // `x-required-unless-fields`: required whenever the request named no sparse fieldset, which is
            // how every request of the contract tests is made.
            let required =
                (schema["required"] as? [String] ?? []) + (schema["x-required-unless-fields"] as? [String] ?? [])
            for name in required where object[name] == nil {
                errors.append("\(path): missing required \(name)")
            }
            for (name, child) in object {
                if let propertySchema = properties[name] as? [String: Any] {
                    errors += validate(child, against: propertySchema, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected property \(name)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                errors += validate(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return errors
    }

    /// Follows a local `#/a/b/c` reference.
    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)]
        }
        return node as? [String: Any]
    }

    static func value(_ value: Any, hasType type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "integer": number(value).map { $0 == $0.rounded() } ?? false
        case "number": number(value) != nil
        case "boolean": value is Bool
        default: false
        }
    }

    static func number(_ value: Any) -> Double? {
        if value is String || value is NSNull { return nil }
        if let int = value as? Int { return Double(int) }
        return value as? Double
    }

    static func equal(_ a: Any, _ b: Any) -> Bool { "\(a)" == "\(b)" }

    static func describe(_ value: Any) -> String {
        let text = "\(value)"
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
