import HTTPTypes
import Synchronization

/// The `X-Request-ID` every response carries and every log line of a request names.
enum RequestID {
    static let field = HTTPField.Name("X-Request-ID")!

    /// A client's id, if it is 1–128 characters of letters, digits and `._:-` (nothing to inject into logs).
    static func accepted(_ value: String) -> String? {
        let allowed = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
        return allowed && (1...128).contains(value.utf8.count) ? value : nil
    }

    /// 32 hex digits: this process's random 64-bit prefix, then the next of its counter mixed by
    /// SplitMix64. Unique within the process and, by the prefix, across restarts; unpredictable enough for
    /// a log key, and without the two `getrandom` calls per request that random bits cost on a cache hit.
    static func make() -> String {
        var state = prefix.high &+ counter.add(1, ordering: .relaxed).newValue &* 0x9E37_79B9_7F4A_7C15
        state = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
        state = (state ^ (state >> 27)) &* 0x94D0_49BB_1331_11EB
        state ^= state >> 31
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 32) { text in
            for (half, bits) in [prefix.low, state].enumerated() {
                for nibble in 0..<16 {
                    text[half * 16 + nibble] = digits[Int((bits >> (60 - 4 * UInt64(nibble))) & 0xF)]
                }
            }
            return 32
        }
    }

    private static let prefix: (low: UInt64, high: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)
}
