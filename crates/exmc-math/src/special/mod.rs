//! Special functions (log-gamma, digamma, erf, incomplete gamma / beta, ...),
//! generic over [`Real`](exmc_core::Real). Numerically careful versions of
//! `log1p(exp(x))` and friends live here too.
//!
//! Generic functions compute in `f64` and round to the caller's precision
//! (an `f32` model pays one widening per call, and gets f64-accurate values).
//! The incomplete gamma / beta functions return log values of both tails and
//! their partials in every argument ([`IncGamma`], [`IncBeta`]).

mod bessel;
pub(crate) mod dual;
mod erf;
pub(crate) mod fast;
mod gamma;
mod inc_beta;
mod inc_gamma;
mod logexp;
mod owens_t;

pub use bessel::{bessel_i1_over_i0, log_bessel_i0};
pub use fast::{exp_clamped, exp_nonpositive, log1p_nonneg, log1p_unit};
pub use erf::{
    erf, erfc, inv_phi, inv_phi_f64, log_erfc, log_erfc_f64, log_phi, log_phi_ratio,
    log_phi_ratio_f64, phi,
};
pub use gamma::{
    digamma, digamma_f64, lbeta, lbeta_f64, lchoose, lchoose_f64, lgamma_f64, log_gamma, tetragamma,
    tetragamma_f64, trigamma, trigamma_f64,
};
pub use inc_beta::{beta_inc, inc_beta, IncBeta};
pub use owens_t::{owens_t, owens_t_f64, owens_t_partials};
pub use inc_gamma::{gamma_p, gamma_q, inc_gamma, IncGamma};
pub use logexp::{
    inv_logit, log1m, log1m_exp, log1m_inv_logit, log1p_exp, log_diff_exp, log_inv_logit,
    log_sum_exp, log_sum_exp2, logit,
};
