// cgsl.c — see include/cgsl.h.
#include "cgsl.h"
#include <gsl/gsl_errno.h>

// MARK: - xoshiro256** as a GSL generator type

static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t cgsl_xoshiro256ss_next(uint64_t *s) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xoshiro_set(void *vstate, unsigned long seed) {
    uint64_t *s = (uint64_t *)vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++) {  // splitmix64, as the xoshiro authors recommend
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}

static unsigned long xoshiro_get(void *vstate) {
    return (unsigned long)(cgsl_xoshiro256ss_next((uint64_t *)vstate) >> 32);
}

static double xoshiro_get_double(void *vstate) {
    return (double)(cgsl_xoshiro256ss_next((uint64_t *)vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(uint64_t[4]),
    &xoshiro_set, &xoshiro_get, &xoshiro_get_double,
};

const gsl_rng_type *cgsl_xoshiro256ss_type(void) { return &xoshiro_type; }

// MARK: - Variates on caller-owned state

#define WITH_RNG(state) gsl_rng rng = { &xoshiro_type, (void *)(state) }

double cgsl_ran_gaussian(uint64_t *state, double sigma) { WITH_RNG(state); return gsl_ran_gaussian_ziggurat(&rng, sigma); }
double cgsl_ran_lognormal(uint64_t *state, double zeta, double sigma) { WITH_RNG(state); return gsl_ran_lognormal(&rng, zeta, sigma); }
double cgsl_ran_gamma(uint64_t *state, double shape, double scale) { WITH_RNG(state); return gsl_ran_gamma(&rng, shape, scale); }
double cgsl_ran_weibull(uint64_t *state, double scale, double shape) { WITH_RNG(state); return gsl_ran_weibull(&rng, scale, shape); }
double cgsl_ran_pareto(uint64_t *state, double shape, double scale) { WITH_RNG(state); return gsl_ran_pareto(&rng, shape, scale); }
double cgsl_ran_exponential(uint64_t *state, double mean) { WITH_RNG(state); return gsl_ran_exponential(&rng, mean); }
unsigned int cgsl_ran_poisson(uint64_t *state, double mean) { WITH_RNG(state); return gsl_ran_poisson(&rng, mean); }

// MARK: - Error handling

void cgsl_disable_abort_on_error(void) { gsl_set_error_handler_off(); }
