import Testing
@testable import Reports

@Suite struct JSONValueTests {
    @Test func serialisesInInsertionOrderWithStableNumberFormats() {
        let value = JSONValue.object([
            ("b", .int(2)), ("a", .number(0.1)), ("whole", .number(400000)), ("nan", .finite(.nan)),
            ("list", .array([.bool(true), .null, .string("q\"\\\n\u{1}")])), ("empty", .object([])),
        ])
        #expect(value.serialized() == """
            {
              "b": 2,
              "a": 0.1,
              "whole": 400000,
              "nan": null,
              "list": [
                true,
                null,
                "q\\"\\\\\\n\\u0001"
              ],
              "empty": {}
            }

            """)
    }

    @Test func looksUpDottedPaths() {
        let value = JSONValue.object([("stations", .object([("api", .object([("wait", .int(3))]))]))])
        #expect(value.value(at: "stations.api.wait") == .int(3))
        #expect(value.value(at: "stations.db.wait") == nil)
    }

    @Test func estimateOfOneReplicationHasNoInterval() {
        let single = Estimate(replicationValues: [2.5])
        #expect(single.mean == 2.5 && single.ci95 == nil)
        #expect(single.json.serialized().contains("\"ci95\": null"))
    }

    @Test func estimateUsesStudentT() {
        // Values 1…8: mean 4.5, s = 2.449490, t(0.975, 7) = 2.364624 → half-width 2.047860.
        let estimate = Estimate(replicationValues: (1...8).map(Double.init))
        #expect(estimate.mean == 4.5)
        #expect(abs(estimate.ci95! - 2.364624251 * 2.449489743 / 8.0.squareRoot()) < 1e-6)
    }

    @Test func missingValueInAnyReplicationMakesTheEstimateNull() {
        let estimate = Estimate(replicationValues: [1, .nan, 3])
        #expect(estimate.mean.isNaN && estimate.ci95 == nil)
        #expect(estimate.json == .object([("mean", .null), ("ci95", .null)]))
    }
}
