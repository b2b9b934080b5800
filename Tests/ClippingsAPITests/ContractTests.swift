import ClippingsAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import Yams

/// The server against `openapi.yaml`: every documented operation is served, every route is documented,
/// and every answer (successes, 304s and each documented error) has a documented status, the documented
/// headers and a body that validates against the documented schema.
@Suite("openapi.yaml is the contract")
struct ContractTests {
    static func specification() throws -> [String: Any] {
        let text = try String(
            contentsOf: TestArguments.repository.appendingPathComponent("openapi.yaml"),
            encoding: .utf8
        )
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test("the document is OpenAPI 3.1 and lists exactly the paths and methods the router serves")
    func pathsMatch() throws {
        let specification = try Self.specification()
        #expect((specification["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(specification["paths"] as? [String: [String: Any]])
        let served = try APIRoutes.served()
        #expect(Set(paths.keys) == Set(served.keys))
        let operations: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        for (path, methods) in served {
            let documented = Set((paths[path] ?? [:]).keys.filter(operations.contains).map { $0.uppercased() })
            // HEAD is answered wherever GET is, and documented with it.
            let answered = Set(methods.map(\.rawValue)).subtracting(["HEAD"])
            #expect(documented == answered, "\(path)")
            #expect(methods.contains(.head) == methods.contains(.get), "\(path)")
        }
    }

    @Test("every operation's answers match their documented status, headers and schema")
    func responsesMatch() async throws {
        try await withApp { client in
            // Loaded inside the test client's closure: parsed YAML is not Sendable.
            let specification = try Self.specification()
            let validator = SchemaValidator(document: specification)
            let paths = try #require(specification["paths"] as? [String: [String: Any]])
            // Reads are checked here; write-only paths (`/articles/bulk`) by their own tests.
            for (template, item) in paths {
                guard let operation = item["get"] as? [String: Any] else { continue }
                let responses = try #require(operation["responses"] as? [String: Any])
                let slug = template.hasPrefix("/tag") ? "norway" : template.hasPrefix("/read") ? "1" : "deepdotweb"
                let concrete = template.replacingOccurrences(of: "{id}", with: "1")
                    .replacingOccurrences(of: "{slug}", with: slug)
                var requests: [(uri: String, headers: HTTPFields)] = [
                    (concrete, [:]), (concrete, [.acceptEncoding: "gzip"]), (concrete + "?bogus=1", [:]),
                ]
                if template.hasSuffix("articles") {
                    requests += [
                        (concrete + "?q=police&facets=tag,source,language,year,story", [:]),
                        (concrete + "?q=%22unclosed", [:]),
                    ]
                }
                if template == "/" {
                    requests += [("/?q=police&tag=norway", [:]), ("/?q=police&limit=1", [.acceptEncoding: "gzip"])]
                }
                if template.contains("{") {
                    requests.append(
                        (
                            template.replacingOccurrences(of: "{id}", with: "no-such-thing")
                                .replacingOccurrences(of: "{slug}", with: "no-such-thing"), [:]
                        )
                    )
                }
                for (uri, headers) in requests {
                    let response = try await client.get(uri, headers: headers)
                    let errors = try check(response, against: responses, validator: validator)
                    #expect(errors.isEmpty, "GET \(uri): \(errors)")
                    if response.status == .ok, let tag = response.headers[.eTag] {
                        let notModified = try await client.get(uri, headers: [.ifNoneMatch: tag])
                        #expect(notModified.status == .notModified)
                        let notModifiedErrors = try check(notModified, against: responses, validator: validator)
                        #expect(notModifiedErrors.isEmpty, "GET \(uri) with If-None-Match: \(notModifiedErrors)")
                    }
                }
                let rejected = try await client.execute(uri: concrete, method: .put, headers: [:], body: nil)
                let methodNotAllowed = try #require(validator.resolve("#/components/responses/MethodNotAllowed"))
                let errors = try check(rejected, against: ["405": methodNotAllowed], validator: validator)
                #expect(errors.isEmpty, "PUT \(concrete): \(errors)")
            }
        }
    }

    /// The ways a response breaks its documentation; empty when it keeps it.
    func check(
        _ response: TestResponse,
        against responses: [String: Any],
        validator: SchemaValidator
    ) throws -> [String] {
        guard var documented = responses[String(response.status.code)] as? [String: Any] else {
            return ["status \(response.status.code) is not documented"]
        }
        if let reference = documented["$ref"] as? String { documented = validator.resolve(reference) ?? [:] }
        var errors: [String] = []
        for (name, header) in documented["headers"] as? [String: Any] ?? [:] {
            var header = header as? [String: Any] ?? [:]
            if let reference = header["$ref"] as? String { header = validator.resolve(reference) ?? [:] }
            let value = response.headers[HTTPField.Name(name)!]
            if header["required"] as? Bool == true, value == nil { errors.append("missing header \(name)") }
            if let value, let schema = header["schema"] as? [String: Any] {
                errors += validator.validate(value, against: schema, at: "header \(name)")
            }
        }
        let content = documented["content"] as? [String: Any]
        guard let content else {
            if response.body.readableBytes > 0 { errors.append("undocumented body") }
            return errors
        }
        let type = response.headers[.contentType]?.split(separator: ";").first.map(String.init) ?? ""
        guard let media = content[type] as? [String: Any], let schema = media["schema"] as? [String: Any] else {
            return errors + ["content type \(type) is not documented"]
        }
        let isJSON = ["application/json", "application/problem+json", "application/feed+json"].contains(type)
        let text = String(buffer: try response.plainBody())
        // YAML is read as YAML (schema validators such as Schemathesis parse it too); other text stays text.
        let body: Any =
            isJSON ? try response.json() : type == "application/yaml" ? try Yams.load(yaml: text) ?? "" : text
        return errors + validator.validate(body, against: schema)
    }
}
