import ClippingsStore
import Foundation
import Hummingbird

/// JSON answers, with sparse fieldsets (`fields=id,title`): which top-level fields of each item or
/// resource to send. The names each resource accepts are its declared fields (`ResourceFields`).
enum FieldSelection {
    /// Encodes a response body as JSON, keeping only `fields` of each resource when given.
    static func response(_ value: some Encodable, fields: Set<String>?) throws -> Response {
        if let writable = value as? any JSONWritable {
            return response(bytes: JSONOutput.bytes(of: writable, fields: fields))
        }
        return response(bytes: try JSONOutput.encoder(fields: fields).encode(value))
    }

    /// A whole answer written by `JSONOutput`.
    static func response(_ value: some JSONWritable) -> Response {
        response(bytes: JSONOutput.bytes(of: value))
    }

    private static func response(bytes: some Sequence<UInt8>) -> Response {
        let body = ByteBuffer(bytes: bytes)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
