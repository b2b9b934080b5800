import ClippingsStore
import Foundation
import Hummingbird

/// JSON answers, with sparse fieldsets (`fields=id,title`): which top-level fields of each item or
/// resource to send. The names each resource accepts are its declared fields (`ResourceFields`).
enum FieldSelection {
    /// Encodes a response body as JSON, keeping only `fields` of each resource when given.
    static func response(_ value: some Encodable, fields: Set<String>?) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let fields { encoder.userInfo[ResourceJSONKeys.fields] = fields }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
