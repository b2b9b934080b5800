import ClippingsStore

/// The query parameters a page was asked with, and the addresses of its neighbours: the same listing with
/// one filter changed, without one, or on its next page. Built by `QueryParameters.encode`, so nothing a
/// reader typed can break out of an address (and the templates escape it once more for HTML).
struct PageAddress {
    var path: String
    /// The parameters given, in order (an empty search box left out).
    var pairs: [(name: String, value: String)]

    /// Names that choose a page of a listing rather than what it holds.
    static let paging: Set<String> = ["cursor"]

    /// The address with `name` set to `values` (none: removed), back on the first page.
    func setting(_ name: String, to values: [String]) -> String {
        setting([name: values])
    }

    /// The address with each named parameter set to its values (none: removed), back on the first page.
    func setting(_ changes: [String: [String]]) -> String {
        let kept = pairs.filter { changes[$0.name] == nil && !Self.paging.contains($0.name) }
        let added = changes.sorted { $0.key < $1.key }.flatMap { name, values in values.map { (name, $0) } }
        return Self.address(path, kept + added)
    }

    /// The next page's address, or false (what the templates test) when this page is the last.
    func next(_ cursor: String?) -> Any {
        guard let cursor else { return false }
        return Self.address(path, pairs.filter { $0.name != "cursor" } + [("cursor", cursor)])
    }

    static func address(_ path: String, _ pairs: [(name: String, value: String)]) -> String {
        pairs.isEmpty ? path : path + "?" + QueryParameters.encode(pairs)
    }
}
