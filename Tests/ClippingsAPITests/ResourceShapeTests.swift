import ClippingsAPI
import ClippingsStore
import Foundation
import Testing
import Yams

/// The one declaration of each resource's fields (`ResourceFields`) against `openapi.yaml`: a field added
/// to one and not the other fails here.
@Suite("Resource fields agree with openapi.yaml")
struct ResourceShapeTests {
    static func components() throws -> [String: Any] {
        let specification = try ContractTests.specification()
        return try #require(specification["components"] as? [String: Any])
    }

    /// The property names of a schema in `components/schemas`.
    static func properties(_ schema: String) throws -> Set<String> {
        let schemas = try #require(try components()["schemas"] as? [String: Any])
        let definition = try #require(schemas[schema] as? [String: Any], "no schema \(schema)")
        let properties = try #require(definition["properties"] as? [String: Any], "\(schema) has no properties")
        return Set(properties.keys)
    }

    /// The names a `fields` parameter's pattern allows.
    static func fieldNames(_ parameter: String) throws -> Set<String> {
        let parameters = try #require(try components()["parameters"] as? [String: Any])
        let definition = try #require(parameters[parameter] as? [String: Any])
        let schema = try #require(definition["schema"] as? [String: Any])
        let pattern = try #require(schema["pattern"] as? String)
        let first = try #require(pattern.firstRange(of: /\(([a-z_|]+)\)/))
        return Set(pattern[first].dropFirst().dropLast().split(separator: "|").map(String.init))
    }

    @Test("the article, tag and source schemas hold exactly the declared fields")
    func schemas() throws {
        #expect(try Self.properties("ArticleSummary") == ResourceFields.articleSummaryNames)
        #expect(try Self.properties("Article") == ResourceFields.articleNames)
        #expect(try Self.properties("TagInfo") == ResourceFields.tagNames)
        #expect(try Self.properties("TagDetail") == ResourceFields.tagNames.union(["related_tags"]))
        #expect(try Self.properties("SourceInfo") == ResourceFields.sourceNames)
        #expect(
            try Self.properties("ArticleInput") == ResourceFields.articleInput.union(ResourceFields.articleOutputOnly)
        )
        #expect(try Self.properties("ArticlePatch") == ResourceFields.articleEditable)
    }

    @Test("each fields= parameter allows exactly the declared names")
    func sparseFieldsets() throws {
        #expect(try Self.fieldNames("SummaryFields") == ResourceFields.articleSummaryNames)
        #expect(try Self.fieldNames("ArticleFields") == ResourceFields.articleNames)
        #expect(try Self.fieldNames("TagFields") == ResourceFields.tagNames.union(["related_tags"]))
        #expect(try Self.fieldNames("SourceFields") == ResourceFields.sourceNames)
    }

    @Test("the export's documented CSV columns are the declared ones, in order")
    func csvColumns() throws {
        let specification = try ContractTests.specification()
        let paths = try #require(specification["paths"] as? [String: [String: Any]])
        let export = try #require(paths["/articles/export"]?["get"] as? [String: Any])
        let description = try #require(export["description"] as? String)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let columns = ResourceFields.csvColumns.map(\.name).joined(separator: ", ")
        #expect(description.contains("`\(columns)`"))
    }
}
