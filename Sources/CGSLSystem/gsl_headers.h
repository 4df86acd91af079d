// The GSL headers simrun uses. Found through pkg-config (package `gsl`, Debian `libgsl-dev`).
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_errno.h>
