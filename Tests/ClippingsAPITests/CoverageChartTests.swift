import ClippingsStore
import Foundation
import Testing

@testable import ClippingsAPI

/// The coverage chart's periods: days and months as given, coarser when there would be too many bars, gaps
/// drawn as gaps, and each period's link covering exactly its days.
@Suite("Coverage chart")
struct CoverageChartTests {
    @Test("months between the first and the last are all there, empty ones as gaps left out of the table")
    func monthsWithGaps() throws {
        let chart = try #require(CoverageChart(counts: [("2016-11", 2), ("2017-06", 1)]))
        #expect(chart.unit == .month)
        #expect(chart.buckets.map(\.count) == [2, 0, 0, 0, 0, 0, 0, 1])
        let view = chart.view { from, to in "\(from)…\(to)" }
        // Addresses are escaped for HTML like any value.
        let escaped = chart.view { from, _ in "/?q=a&from=\(from)" }
        #expect((escaped["rows"] as? String)?.contains("href=\"/?q=a&amp;from=2016-11-01\"") == true)
        let rows = try #require(view["rows"] as? String)
        #expect(
            rows.matches(of: /<a href="([^"]*)">([^<]*)<\/a><\/td><td class="number">([0-9]+)</).map {
                "\($0.output.1) \($0.output.2) \($0.output.3)"
            } == ["2016-11-01…2016-11-30 November 2016 2", "2017-06-01…2017-06-30 June 2017 1"]
        )
        let bars = try #require(view["bars"] as? String)
        // Two bars: the tallest reaches the top; a bar of half the count, half as high.
        #expect(bars.matches(of: /height="([0-9.]+)"/).map { String($0.output.1) } == ["135", "67.5"])
        #expect(bars.contains("<title>November 2016: 2</title>"))
        #expect(view["caption"] as? String == "Articles per month, November 2016 to June 2017")
    }

    @Test("a month's last day follows the calendar: February in leap and common years, December")
    func monthEnds() {
        func days(_ month: String) -> (String, String) {
            CoverageChart.days(of: CivilDays.monthNumber(month)!, unit: .month)
        }
        #expect(days("2016-02") == ("2016-02-01", "2016-02-29"))
        #expect(days("2100-02") == ("2100-02-01", "2100-02-28"))
        #expect(days("2000-02") == ("2000-02-01", "2000-02-29"))
        #expect(days("2016-12") == ("2016-12-01", "2016-12-31"))
    }

    @Test("counts are written with thousands separated, as English writes them")
    func numbers() {
        #expect(
            [0, 7, 999, 1_000, 12_345, 1_234_567, -4_200].map(ReadingRoomViews.number)
                == ["0", "7", "999", "1,000", "12,345", "1,234,567", "-4,200"]
        )
        #expect(ReadingRoomViews.counted(1, "article") == "1 article")
        #expect(ReadingRoomViews.counted(2, "copy", plural: "copies") == "2 copies")
    }

    @Test("too many days become months, too many months become years; nothing dated is no chart")
    func coarsening() throws {
        let days = try #require(CoverageChart(counts: [("2016-11-20", 1), ("2016-11-29", 2)]))
        #expect(days.unit == .day && days.buckets.count == 10)
        let months = try #require(CoverageChart(counts: [("2016-01-05", 1), ("2016-09-30", 3)]))
        #expect(months.unit == .month && months.buckets.map(\.count) == [1, 0, 0, 0, 0, 0, 0, 0, 3])
        let years = try #require(CoverageChart(counts: [("2005-03", 4), ("2024-12", 1), ("2005-07", 1)]))
        #expect(years.unit == .year && years.buckets.count == 20)
        #expect(years.buckets.first?.count == 5 && years.buckets.last?.count == 1)
        #expect(years.days(of: 2005) == ("2005-01-01", "2005-12-31"))
        #expect(CoverageChart(counts: []) == nil)
        #expect(CoverageChart(counts: [("not a date", 3)]) == nil)
    }
}
