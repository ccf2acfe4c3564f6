//! Special functions (log-gamma, digamma, erf, incomplete gamma / beta, ...),
//! generic over [`Real`](exmc_core::Real). Numerically careful versions of
//! `log1p(exp(x))` and friends live here too.
