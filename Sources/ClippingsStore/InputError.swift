/// Why a client's input was refused: a parameter, a field of an article, or a whole body. The same rules
/// hold for every way in (HTTP, `clippings import`, `clippings export`), so they throw this and each way
/// in says it in its own terms (the API as a 400 problem naming the parameter or field).
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A query parameter (`tag=`, `limit=`).
        case parameter
        /// A field of an article given as JSON.
        case field
        /// The input as a whole (not JSON, not an object).
        case body
    }

    public var kind: Kind
    /// The parameter or field at fault; empty for a whole body.
    public var name: String
    public var reason: String

    public static func parameter(_ name: String, _ reason: String) -> InputError {
        InputError(kind: .parameter, name: name, reason: reason)
    }

    public static func field(_ name: String, _ reason: String) -> InputError {
        InputError(kind: .field, name: name, reason: reason)
    }

    public static func body(_ reason: String) -> InputError {
        InputError(kind: .body, name: "", reason: reason)
    }

    public var description: String {
        switch kind {
        case .parameter: "Invalid parameter '\(name)': \(reason)."
        case .field: "Invalid field '\(name)': \(reason)."
        case .body: reason
        }
    }
}
