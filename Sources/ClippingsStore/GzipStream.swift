import CompressNIO
import NIOCore

/// A gzip stream (a request body, a `.gz` file), decoded whole or refused: every member of a multi-member stream (what
/// `cat a.gz b.gz` makes), each checked to its trailer (CRC and length), and nothing stored from a stream
/// that is cut short or damaged, which would otherwise become an article ending mid-word or a bulk upload
/// missing its last lines without a word.
public enum GzipStream {
    public enum Failure: Error, Equatable {
        /// The stream stops before a member's end (no trailer).
        case truncated
        /// Not gzip, a bad CRC or length, or bytes after the last member that are not another member.
        case corrupt
        /// Decoded, it would be larger than allowed.
        case tooLarge
    }

    /// The decoded bytes of every member, at most `maximumSize` of them.
    public static func decode(_ body: ByteBuffer, maximumSize: Int) throws(Failure) -> ByteBuffer {
        guard body.readableBytes > 0 else { throw .truncated }
        var input = body
        var output = ByteBuffer()
        let decompressor: ZlibDecompressor
        do {
            decompressor = try ZlibDecompressor(algorithm: .gzip)
            while true {
                try inflateMember(&input, into: &output, with: decompressor, maximumSize: maximumSize)
                guard input.readableBytes > 0 else { break }
                // The member ended and bytes follow: the next member.
                try decompressor.reset()
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            throw .truncated
        } catch {
            throw .corrupt
        }
        // All input read: the last member ended only if zlib reached its trailer. A stream that has ended
        // answers "ended" again without reading a byte offered to it; one cut short reads it (or fails on it).
        var probe = ByteBuffer(bytes: [0])
        var sink = ByteBuffer()
        sink.reserveCapacity(64)
        guard (try? decompressor.inflate(from: &probe, to: &sink)) != nil, probe.readableBytes == 1 else {
            throw .truncated
        }
        return output
    }

    /// Inflates until the member ends or the input runs out, window by window.
    private static func inflateMember(
        _ input: inout ByteBuffer,
        into output: inout ByteBuffer,
        with decompressor: ZlibDecompressor,
        maximumSize: Int
    ) throws {
        while true {
            var window = ByteBuffer()
            window.reserveCapacity(64 * 1024)
            var full = false
            do {
                try decompressor.inflate(from: &input, to: &window)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                full = true
            }
            guard output.readableBytes + window.readableBytes <= maximumSize else { throw Failure.tooLarge }
            output.writeBuffer(&window)
            // Returned without filling the window: the member ended, or every input byte was read.
            if !full { return }
        }
    }
}
