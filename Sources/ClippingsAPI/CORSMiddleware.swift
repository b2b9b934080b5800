import HTTPTypes
import Hummingbird

/// Cross-origin access for browser clients, off unless origins are configured (`CLIPPINGS_CORS_ORIGINS`).
///
/// Only listed origins (or every origin, for `*`) get `Access-Control-Allow-Origin`; a preflight
/// (`OPTIONS` with `Access-Control-Request-Method`) from one is answered 204 with the methods and headers
/// the API takes. Responses, preflights included, name `Origin` in `Vary`, so caches keep the answers to different origins apart.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let origins: Set<String>

    static var allowedMethods: String { "GET, HEAD, POST, PATCH, DELETE" }
    static var allowedHeaders: String {
        "Authorization, Content-Type, Content-Encoding, If-None-Match, X-Request-ID"
    }
    /// Response headers a script may read beyond the CORS-safelisted ones.
    static var exposedHeaders: String {
        "ETag, Link, Location, X-Request-ID, Clippings-Duplicate, WWW-Authenticate, Allow"
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = origins.contains("*") || origins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                // Answered here: this middleware sits outside the one that turns thrown problems into responses.
                var refusal = try Problem(.forbidden, detail: "Cross-origin requests from \(origin) are not allowed.")
                    .response(from: request, context: context)
                refusal.headers.append(HTTPField(name: .vary, value: Self.preflightVary))
                return refusal
            }
            var headers = corsHeaders(origin: origin)
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = "600"
            headers[.vary] = Self.preflightVary
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if allowed { response.headers.append(contentsOf: corsHeaders(origin: origin)) }
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        return response
    }

    /// What a preflight's answer depends on, so a cache never gives one origin's answer to another.
    static var preflightVary: String { "Origin, Access-Control-Request-Method, Access-Control-Request-Headers" }

    func corsHeaders(origin: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origins.contains("*") ? "*" : origin
        headers[.accessControlExposeHeaders] = Self.exposedHeaders
        return headers
    }
}
