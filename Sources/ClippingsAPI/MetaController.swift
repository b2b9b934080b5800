import ClippingsStore
import HTTPTypes
import Hummingbird

/// Service endpoints: liveness and the API contract itself.
struct MetaController<Context: RequestContext> {
    let store: any ArchiveStore

    /// The running build's version, reported by `/health`.
    static var version: String { "0.1.0" }

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("health", use: health)
            .get("openapi.yaml", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> HealthResponse {
        _ = try QueryParameters(request, allowed: [])
        return HealthResponse(articles: try await store.articleCount(), version: Self.version)
    }

    @Sendable func openAPI(_ request: Request, context: Context) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml))
        )
    }
}
