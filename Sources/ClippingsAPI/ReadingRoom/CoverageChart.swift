import ClippingsStore

/// Articles over time as an SVG bar chart drawn on the server, with the same numbers as table rows: what a
/// reader sees of a search's, a tag's, a source's or a story's coverage.
///
/// Counts come per day (`YYYY-MM-DD`) or per month (`YYYY-MM`); days become months and months years when
/// there would be more than `maximumBars` bars, so a chart stays readable on a phone. Empty periods between
/// the first and the last are drawn as gaps, and left out of the table.
struct CoverageChart {
    enum Unit: String {
        case day, month, year
    }

    static let maximumBars = 120
    static let width = 640.0
    static let height = 140.0
    static let top = 4.0
    static let baseline = 139.0

    var unit: Unit
    /// Each period's first day's ordinal (days since 1970 for days, `year * 12 + month - 1` for months, the
    /// year for years) with its count, oldest first, gaps filled with zeros.
    var buckets: [(period: Int, count: Int)]

    /// Nil when nothing is dated.
    init?(counts: [(value: String, count: Int)]) {
        var unit = Unit.month
        var totals: [Int: Int] = [:]
        for (value, count) in counts {
            if let month = CivilDays.monthNumber(value) {
                totals[month, default: 0] += count
            } else if let day = CivilDays.dayNumber(value) {
                unit = .day
                totals[day, default: 0] += count
            }
        }
        guard let first = totals.keys.min(), let last = totals.keys.max() else { return nil }
        var span = last - first + 1
        while span > Self.maximumBars, unit != .year {
            var coarser: [Int: Int] = [:]
            for (period, count) in totals {
                coarser[unit == .day ? Self.month(ofDay: period) : period / 12, default: 0] += count
            }
            totals = coarser
            unit = unit == .day ? .month : .year
            span = totals.keys.max()! - totals.keys.min()! + 1
        }
        self.unit = unit
        let start = totals.keys.min()!
        buckets = (start..<(start + span)).map { ($0, totals[$0] ?? 0) }
    }

    /// The view the `chart` template draws; `link` gives the listing of one period (first and last day,
    /// `YYYY-MM-DD`).
    func view(link: (String, String) -> String) -> View {
        let maximum = max(1, buckets.map(\.count).max() ?? 1)
        let slot = Self.width / Double(buckets.count)
        let barWidth = min(max(slot * 0.8, 0.5), 48)
        // The bars as SVG, built here (a chart may have 120): numbers, and labels of our own making, escaped
        // all the same.
        var bars = ""
        for (index, bucket) in buckets.enumerated() where bucket.count > 0 {
            let barHeight = max(1, (Self.baseline - Self.top) * Double(bucket.count) / Double(maximum))
            bars += "<rect class=\"bar\" x=\"\(Self.number(Double(index) * slot + (slot - barWidth) / 2))\" "
            bars += "y=\"\(Self.number(Self.baseline - barHeight))\" width=\"\(Self.number(barWidth))\" "
            bars += "height=\"\(Self.number(barHeight))\"><title>"
            bars += PageHTML().escapeText("\(label(bucket.period)): \(bucket.count)") + "</title></rect>\n"
        }
        // The table's rows too: one per period with articles, each linked to its listing.
        var rows = ""
        for bucket in buckets where bucket.count > 0 {
            let (from, to) = days(of: bucket.period)
            rows += "<tr><td><a href=\"" + PageHTML().escapeText(link(from, to)) + "\">"
            rows +=
                PageHTML().escapeText(label(bucket.period))
                + "</a></td><td class=\"number\">\(bucket.count)</td></tr>\n"
        }
        let first = label(buckets.first!.period)
        let last = label(buckets.last!.period)
        return [
            "caption": "Articles per \(unit.rawValue), \(first == last ? first : "\(first) to \(last)")",
            "unit": unit.rawValue.prefix(1).uppercased() + unit.rawValue.dropFirst(),
            "width": Self.number(Self.width),
            "height": Self.number(Self.height),
            "baseline": Self.number(Self.baseline),
            "bars": bars,
            "rows": rows,
            "firstLabel": first,
            "lastLabel": first == last ? "" : last,
            "maximum": "\(maximum) at most",
        ]
    }

    /// A period as people read it: `2016-11-29`, `November 2016`, `2016`.
    func label(_ period: Int) -> String {
        switch unit {
        case .day: Self.dayString(period)
        case .month: "\(ReadingRoomViews.monthNames[period % 12]) \(period / 12)"
        case .year: "\(period)"
        }
    }

    /// A period's first and last day.
    func days(of period: Int) -> (String, String) { Self.days(of: period, unit: unit) }

    static func days(of period: Int, unit: Unit) -> (String, String) {
        switch unit {
        case .day:
            return (dayString(period), dayString(period))
        case .month:
            let next = CivilDays.days(year: (period + 1) / 12, month: (period + 1) % 12 + 1, day: 1)
            return (dayString(CivilDays.days(year: period / 12, month: period % 12 + 1, day: 1)), dayString(next - 1))
        case .year:
            return ("\(CivilDays.padded(period, 4))-01-01", "\(CivilDays.padded(period, 4))-12-31")
        }
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func month(ofDay day: Int) -> Int {
        let (year, month, _) = CivilDays.date(day)
        return year * 12 + month - 1
    }

    static func dayString(_ day: Int) -> String {
        let (year, month, dayOfMonth) = CivilDays.date(day)
        return "\(CivilDays.padded(year, 4))-\(CivilDays.padded(month, 2))-\(CivilDays.padded(dayOfMonth, 2))"
    }
}
