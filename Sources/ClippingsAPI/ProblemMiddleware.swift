import ClippingsPostgres
import ClippingsStore
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error into a problem response, in one place: the router's own 404s, Hummingbird's
/// `HTTPError`s, our `Problem`s and store errors. Anything unexpected is logged with its detail and
/// answered with a bare 500 that leaks nothing.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try problem(for: error, context: context).response(from: request, context: context)
        }
    }

    func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as InputError:
            return Problem(error)
        case QueryError.relevanceWithoutSearch:
            return .invalidParameter("sort", "relevance needs a search (q)")
        case QueryError.invalidCursor:
            return .invalidParameter("cursor", "not a cursor issued by this listing")
        case QueryError.phrasesTooCommon(let phrases):
            let quoted = phrases.map { "\"\($0)\"" }.joined(separator: ", ")
            return .invalidParameter(
                "q",
                "the phrase\(phrases.count == 1 ? "" : "s") \(quoted) \(phrases.count == 1 ? "is" : "are") made of words most "
                    + "articles hold, too many to check word by word: add a rarer word to the phrase, or search "
                    + "the words without quotes"
            )
        case is HTTPParserError:
            // A body that breaks HTTP mid-request (bad chunk sizes): the connection cannot be trusted further.
            var problem = Problem(.badRequest, detail: "The request body is not valid HTTP/1.1.")
            problem.headers[.connection] = "close"
            return problem
        case let error as HTTPError where error.status == .notFound:
            return .notFound("No resource at this path.")
        case let error as HTTPError:
            var problem = Problem(error.status, detail: error.body ?? error.status.reasonPhrase)
            problem.headers = error.headers
            return problem
        case let error as any HTTPResponseError where error.status.code < 500:
            return Problem(error.status, detail: error.status.reasonPhrase)
        default:
            if let reason = StorageAvailability.unavailability(of: error)
                ?? PostgresAvailability.unavailability(of: error)
            {
                context.logger.error("storage unavailable", metadata: ["error": "\(String(reflecting: error))"])
                var problem = Problem(.serviceUnavailable, detail: reason)
                problem.headers[.retryAfter] = "5"
                return problem
            }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.internalServerError, detail: "The server could not answer this request.")
        }
    }
}
