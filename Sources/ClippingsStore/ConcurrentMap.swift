extension Array where Element: Sendable {
    /// `map` run in `slices` contiguous slices at once, results in the original order: how imports spread
    /// extraction over the processors while the single database writer stores the previous batch.
    public func concurrentMap<Result: Sendable>(
        slices: Int,
        _ transform: @escaping @Sendable (Element) -> Result
    ) async -> [Result] {
        guard !isEmpty else { return [] }
        let sliceSize = (count + Swift.max(1, slices) - 1) / Swift.max(1, slices)
        return await withTaskGroup(of: (Int, [Result]).self) { group in
            for (number, start) in stride(from: 0, to: count, by: sliceSize).enumerated() {
                let slice = self[start..<Swift.min(start + sliceSize, count)]
                group.addTask { (number, slice.map(transform)) }
            }
            var done: [(Int, [Result])] = []
            for await slice in group { done.append(slice) }
            return done.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
