import Testing
import Sim
@testable import TaskSystem

// MARK: - The users a session with turnover is drawn from

@Suite struct SessionUserPoolTests {
    @Test func drawsEachUserOnceUntilReleasedThenNone() {
        var pool = SessionUserPool(users: (1...5).map { UserID($0) })
        var stream = RandomStream(seed: 7)
        var drawn: [Int] = []
        for _ in 0..<5 {
            guard let user = pool.draw(&stream) else {
                Issue.record("the pool ran dry with \(pool.count) users left")
                return
            }
            drawn.append(user.rawValue)
        }
        // Five draws without release are the five users, each once, and then nobody is left.
        #expect(drawn.sorted() == [1, 2, 3, 4, 5])
        #expect(pool.count == 0)
        #expect(pool.draw(&stream) == nil)
        // A released user is the only one left, so the next draw is it.
        pool.release(UserID(drawn[2]))
        #expect(pool.draw(&stream) == UserID(drawn[2]))
    }

    @Test func sameSeedSameDraws() {
        func draws(seed: UInt64) -> [Int] {
            var pool = SessionUserPool(users: (1...50).map { UserID($0) })
            var stream = RandomStream(seed: seed)
            var result: [Int] = []
            for round in 0..<200 {
                guard let user = pool.draw(&stream) else { return result }
                result.append(user.rawValue)
                if round % 3 != 0 { pool.release(user) }  // two sessions of three end
            }
            return result
        }
        #expect(draws(seed: 3) == draws(seed: 3))
        #expect(draws(seed: 3) != draws(seed: 4))
    }

    @Test func drawsAreUniformOverTheFreeUsers() {
        // Draw and release at once, 40,000 times from 8 users: each count is binomial(n, 1/8),
        // within ±4 √(n p (1 − p)).
        var pool = SessionUserPool(users: (1...8).map { UserID($0) })
        var stream = RandomStream(seed: 21)
        var counts = Array(repeating: 0.0, count: 8)
        let n = 40_000
        for _ in 0..<n {
            guard let user = pool.draw(&stream) else { break }
            counts[user.rawValue - 1] += 1
            pool.release(user)
        }
        let p = 1.0 / 8
        let bound = 4 * (Double(n) * p * (1 - p)).squareRoot()
        for (index, count) in counts.enumerated() {
            #expect(abs(count - Double(n) * p) <= bound, "user \(index + 1): \(count) of \(n)")
        }
    }
}
