import ClippingsStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Service endpoints: liveness, readiness, metrics and the API contract itself.
struct MetaController<Context: RequestContext> {
    let store: any ArchiveStore
    let metrics: ServerMetrics

    /// The running build's version, reported by `/health` and `/ready`.
    static var version: String { "0.1.0" }

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("health", use: health)
            .get("ready", use: ready)
            .get("metrics", use: metricsText)
            .get("openapi.yaml", use: openAPI)
    }

    /// Liveness: answers while the process can serve HTTP, whatever the database is doing, so an orchestrator
    /// restarts the process only when restarting can help.
    @Sendable func health(_ request: Request, context: Context) async throws -> HealthResponse {
        _ = try QueryParameters(request, allowed: [])
        return HealthResponse(version: Self.version)
    }

    /// Readiness: the database answers and is fully migrated; 503 otherwise, so no traffic is sent here.
    @Sendable func ready(_ request: Request, context: Context) async throws -> ReadyResponse {
        _ = try QueryParameters(request, allowed: [])
        let unavailable = Problem(.serviceUnavailable, detail: "The database is not available.")
        do {
            guard try await store.isReady() else { throw unavailable }
            return ReadyResponse(articles: try await store.articleCount(), version: Self.version)
        } catch let problem as Problem {
            throw problem
        } catch {
            context.logger.error("readiness check failed", metadata: ["error": "\(error)"])
            throw unavailable
        }
    }

    /// Prometheus text exposition of the request metrics and the archive's size.
    @Sendable func metricsText(_ request: Request, context: Context) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        // The request counters stay readable when the database is not: the gauges are then left out.
        let text = metrics.render(
            articles: try? await store.articleCount(),
            databaseBytes: await store.databaseSize(),
            routing: store.readRouting()
        )
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
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
