import Foundation
import GRDB

/// What SQLite's `EXPLAIN QUERY PLAN` says a statement will do, read for the few facts the plan tests rely
/// on: which tables are read whole, which indexes are sought, and whether rows are sorted in a temporary
/// B-tree. Each step's wording has changed between SQLite versions (`SCAN TABLE article AS a` became
/// `SCAN a`; constraints are spelt differently), so a step is matched on its first word, on the table or
/// alias, and on index names, which are the schema's own.
struct QueryPlan: CustomStringConvertible {
    let steps: [String]

    init(_ db: Database, _ sql: String, arguments: StatementArguments = StatementArguments()) throws {
        steps = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] }
    }

    var description: String { steps.joined(separator: " | ") }

    /// The steps that read `table` (by its name or alias): `SCAN` or `SEARCH` steps naming it. A plain
    /// `SCAN x` of a subquery the plan runs as a co-routine or materializes under that name reads the
    /// subquery's rows, not the table's.
    func reads(_ table: String) -> [String] {
        let subqueries = Set(
            steps.compactMap { step in
                ["CO-ROUTINE ", "MATERIALIZE "].first { step.hasPrefix($0) }.map { String(step.dropFirst($0.count)) }
            }
        )
        return steps.filter { step in
            let words = step.split(separator: " ").map(String.init)
            guard let verb = words.first, verb == "SCAN" || verb == "SEARCH" else { return false }
            // `SCAN a`, `SEARCH a USING …`, and the older `SCAN TABLE article AS a`.
            let named = words.dropFirst().prefix { $0 != "USING" }.filter { $0 != "TABLE" && $0 != "AS" }
            guard named.contains(table) else { return false }
            return !(verb == "SCAN" && words.count == 2 && subqueries.contains(table))
        }
    }

    /// Whether `table` is read from its first row on, whole or by an index walked from the start (`SCAN`),
    /// rather than sought at a key (`SEARCH`).
    func scans(_ table: String) -> Bool { reads(table).contains { $0.hasPrefix("SCAN") } }

    /// Whether `table`'s rows are read at all, rather than only an index that covers the columns asked for.
    func readsRows(of table: String) -> Bool { reads(table).contains { !$0.contains("COVERING INDEX") } }

    /// Whether some step seeks into `index` (a `SEARCH` through it), constraining every column of `columns`.
    func seeks(_ index: String, constraining columns: [String] = []) -> Bool {
        steps.contains { step in
            guard step.hasPrefix("SEARCH"), let found = step.range(of: "INDEX \(index) (") else { return false }
            let constraint = step[found.upperBound...].prefix { $0 != ")" }
            return columns.allSatisfy { constraint.contains($0) }
        }
    }

    /// How many times rows are sorted in a temporary B-tree (for ORDER BY, DISTINCT, GROUP BY or a
    /// compound's union).
    var temporarySorts: Int { steps.filter { $0.contains("TEMP B-TREE") }.count }
}
