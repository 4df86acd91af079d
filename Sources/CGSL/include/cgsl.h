// cgsl.h — a small C shim between Swift and GSL.
//
// Swift 6 refuses to touch GSL's mutable globals (gsl_rng_mt19937 and friends), and GSL's
// distributions want a `gsl_rng *`. simrun's random streams keep their generator state
// (xoshiro256**, four 64-bit words) inline in a Swift value; the functions below wrap that state
// in a stack-allocated `gsl_rng` of simrun's own GSL generator type, so GSL's variate algorithms
// draw from exactly the same stream as the inlined Swift fast path. No allocation per draw.
#ifndef CGSL_H
#define CGSL_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#ifdef __cplusplus
extern "C" {
#endif

/// simrun's GSL generator type: xoshiro256** (Blackman & Vigna), 32-bit integer output,
/// 53-bit doubles in [0, 1). Its state is `uint64_t[4]`.
const gsl_rng_type *cgsl_xoshiro256ss_type(void);

/// One xoshiro256** step on `state` (uint64_t[4]); the same function the GSL type uses.
uint64_t cgsl_xoshiro256ss_next(uint64_t *state);

/// GSL's variate algorithms, drawing from the xoshiro256** state `state` (uint64_t[4]).
double cgsl_ran_gaussian(uint64_t *state, double sigma);
double cgsl_ran_lognormal(uint64_t *state, double zeta, double sigma);
double cgsl_ran_gamma(uint64_t *state, double shape, double scale);
double cgsl_ran_weibull(uint64_t *state, double scale, double shape);
double cgsl_ran_pareto(uint64_t *state, double shape, double scale);
double cgsl_ran_exponential(uint64_t *state, double mean);
unsigned int cgsl_ran_poisson(uint64_t *state, double mean);

/// Turns GSL's default error handler (abort) off; simrun validates parameters before calling.
void cgsl_disable_abort_on_error(void);

#ifdef __cplusplus
}
#endif

#endif
