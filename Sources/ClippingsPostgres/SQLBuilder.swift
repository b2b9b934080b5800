import PostgresNIO

/// A statement assembled from SQL text and bound values: every value from a client is a `$n` parameter,
/// never part of the text.
final class SQLBuilder {
    private(set) var sql: String
    private var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    /// Binds a value, returning its placeholder.
    func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds an optional value (NULL when nil), returning its placeholder.
    func bind(_ value: (some PostgresDynamicTypeEncodable)?) -> String {
        if let value { binds.append(value) } else { binds.appendNull() }
        return "$\(binds.count)"
    }

    func append(_ text: String) {
        sql += text
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
