import Testing
@testable import Sim
import CGSL

@Test func gslIsLinked() {
    // The t quantile for 7 degrees of freedom at 0.975 is 2.364624...
    #expect(abs(gsl_cdf_tdist_Pinv(0.975, 7) - 2.3646242510) < 1e-8)
}
