import Foundation
import Synchronization

/// The `Date` header's text (RFC 9110 §5.6.7, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted once a second.
///
/// Hummingbird keeps such a clock for the router's answers but not in public; the cache's channel
/// handler needs its own.
final class HTTPDate: Sendable {
    private let latest = Mutex<(second: Int, text: String)>((-1, ""))

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    func now() -> String {
        let second = time(nil)
        return latest.withLock { latest in
            if latest.second != second { latest = (second, Self.format(second)) }
            return latest.text
        }
    }

    static func format(_ second: time_t) -> String {
        var moment = second
        var parts = tm()
        gmtime_r(&moment, &parts)
        let two = { (value: Int32) in value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
