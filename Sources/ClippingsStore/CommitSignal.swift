import Synchronization

/// Wakes the tasks waiting for this process's next commit (a long-polling `/changes`), each at most once.
///
/// A waiter is registered under an id that its timeout can settle too: whichever of the commit or the
/// timeout comes first resumes it, and one that comes before the registration is remembered, so no waiter
/// is left hanging.
final class CommitSignal: Sendable {
    private enum Waiter {
        case waiting(CheckedContinuation<Void, Never>)
        case settled
    }

    private let waiters = Mutex<[Int: Waiter]>([:])
    private let nextID = Atomic<Int>(0)

    /// Returns at the next commit through this process, or when `timeout` has passed.
    func wait(upTo timeout: Duration) async {
        let id = nextID.add(1, ordering: .relaxed).newValue
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in self.register(id, continuation) }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.settle(id)
            }
            await group.next()
            group.cancelAll()
            settle(id)
        }
        waiters.withLock { $0[id] = nil }
    }

    /// Resumes every waiter.
    func fire() {
        let waiting = waiters.withLock { waiters in
            let found = waiters.compactMap { id, waiter -> (Int, CheckedContinuation<Void, Never>)? in
                if case .waiting(let continuation) = waiter { return (id, continuation) }
                return nil
            }
            for (id, _) in found { waiters[id] = .settled }
            return found.map(\.1)
        }
        for continuation in waiting { continuation.resume() }
    }

    private func register(_ id: Int, _ continuation: CheckedContinuation<Void, Never>) {
        let settled = waiters.withLock { waiters in
            if case .settled = waiters[id] { return true }
            waiters[id] = .waiting(continuation)
            return false
        }
        if settled { continuation.resume() }
    }

    private func settle(_ id: Int) {
        let continuation = waiters.withLock { waiters -> CheckedContinuation<Void, Never>? in
            defer { waiters[id] = .settled }
            if case .waiting(let continuation) = waiters[id] { return continuation }
            return nil
        }
        continuation?.resume()
    }
}
