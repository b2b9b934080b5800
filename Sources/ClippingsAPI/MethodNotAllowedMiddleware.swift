import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a known path asked with a method it does not take (`PROPFIND`, `CONNECT`, `POST` on a
/// read-only path) with 405 and `Allow` (RFC 9110 §15.5.6), not the router's 404: the router finds no
/// responder for the method and falls through to its not-found answer, which this turns around.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            guard let (template, allowed) = routes.match(request.uri.path) else { throw error }
            context.coreContext.endpointPath.value = template
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            var problem = Problem(
                .methodNotAllowed,
                detail: "\(request.method.rawValue) is not allowed here; use \(allow)."
            )
            problem.headers[.allow] = allow
            throw problem
        }
    }
}

/// The router's path templates and their methods, filled once the routes are added (the middleware that
/// reads it must be added before them).
final class RouteTable: Sendable {
    private let templates = Mutex<[(segments: [Substring], path: String, methods: [HTTPRequest.Method])]>([])

    func set(_ methods: [String: [HTTPRequest.Method]]) {
        templates.withLock {
            $0 = methods.map { (Self.segments($0.key), $0.key, $0.value) }
        }
    }

    /// The template a path resolves to as the router's trie resolves it: segment by segment, a literal
    /// before a `{parameter}`.
    func match(_ path: String) -> (template: String, methods: [HTTPRequest.Method])? {
        let segments = Self.segments(path)
        let candidates = templates.withLock { $0 }.filter { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        let best = candidates.max { lhs, rhs in
            lhs.segments.map { !$0.hasPrefix("{") }.lexicographicallyPrecedes(rhs.segments.map { !$0.hasPrefix("{") }) {
                !$0 && $1
            }
        }
        return best.map { ($0.path, $0.methods) }
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
