import ClippingsStore
import Hummingbird

extension QueryParameters {
    /// A request's query parameters, each name one of `allowed`. Parsed here rather than with Hummingbird's
    /// dictionary so that `+` means a space, repeated keys are kept in order, and every mistake is a 400
    /// naming the parameter: unknown names (a typo must not silently widen a result), a single-valued
    /// parameter given twice, values out of range.
    init(_ request: Request, allowed: Set<String>) throws(InputError) {
        try self.init(pairs: try Self.pairs(of: request), allowed: allowed)
    }

    /// The decoded name/value pairs of a request's query string, in order.
    static func pairs(of request: Request) throws(InputError) -> [(name: String, value: String)] {
        try pairs(ofQuery: request.uri.query ?? "")
    }

    /// The `fields` parameter: a comma-separated list of field names, each one of `available`.
    func fields(_ available: Set<String>) throws(InputError) -> Set<String>? {
        try names("fields", allowed: available).map(Set.init)
    }
}
