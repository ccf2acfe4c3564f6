//! Private numerically careful helpers for the transforms.
//!
//! (`special/` may later grow public versions of these; they are kept here so
//! the transforms do not depend on files another engineer is writing.)

use exmc_core::Real;

/// `log(1 + exp(u))` without overflow for large `u` or loss for very negative `u`.
#[inline]
pub(crate) fn log1p_exp<T: Real>(u: T) -> T {
    if u > T::zero() {
        u + (-u).exp().ln_1p()
    } else {
        // also the NaN path: NaN stays NaN
        u.exp().ln_1p()
    }
}

/// `1 / (1 + exp(-u))`, accurate in both tails.
#[inline]
pub(crate) fn inv_logit<T: Real>(u: T) -> T {
    if u >= T::zero() {
        T::one() / (T::one() + (-u).exp())
    } else {
        let e = u.exp();
        e / (T::one() + e)
    }
}

/// `log(inv_logit(u)) = -log1p_exp(-u)`.
#[inline]
pub(crate) fn log_inv_logit<T: Real>(u: T) -> T {
    -log1p_exp(-u)
}

/// `log(1 - tanh(u)^2) = 2 log sech(u) = 2 (log 2 - |u| - log1p(exp(-2|u|)))`,
/// finite for every finite `u` (no `1 - tanh²` cancellation).
#[inline]
pub(crate) fn log_sech2<T: Real>(u: T) -> T {
    let a = u.abs();
    T::c(2.0) * (T::LN_2() - a - (T::c(-2.0) * a).exp().ln_1p())
}

/// `sech(u) = 1 / cosh(u)`, `0` (not NaN) for huge `|u|`.
#[inline]
pub(crate) fn sech<T: Real>(u: T) -> T {
    let e = (-u.abs()).exp();
    T::c(2.0) * e / (T::one() + e * e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_match_naive_formulas_at_moderate_points() {
        for &u in &[-7.5f64, -1.0, -1e-3, 0.0, 0.3, 2.0, 9.0] {
            assert!((log1p_exp(u) - (1.0 + u.exp()).ln()).abs() < 1e-14);
            assert!((inv_logit(u) - 1.0 / (1.0 + (-u).exp())).abs() < 1e-15);
            assert!((log_inv_logit(u) - (1.0 / (1.0 + (-u).exp())).ln()).abs() < 1e-13);
            assert!((log_sech2(u) + 2.0 * u.cosh().ln()).abs() < 1e-13);
            assert!((sech(u) - 1.0 / u.cosh()).abs() < 1e-15);
        }
    }

    #[test]
    fn helpers_stay_finite_in_the_tails() {
        assert_eq!(log1p_exp(800.0f64), 800.0);
        assert_eq!(log1p_exp(-800.0f64), 0.0);
        assert_eq!(inv_logit(-800.0f64), 0.0);
        assert_eq!(inv_logit(800.0f64), 1.0);
        assert!((log_inv_logit(-800.0f64) + 800.0).abs() < 1e-12);
        assert!((log_sech2(400.0f64) - 2.0 * (2f64.ln() - 400.0)).abs() < 1e-12);
        assert!(log_sech2(1e4f32).is_finite());
        assert_eq!(sech(1e300f64), 0.0);
        assert!(log1p_exp(f64::NAN).is_nan() && inv_logit(f32::NAN).is_nan());
        assert!(log_sech2(f64::NAN).is_nan() && sech(f64::NAN).is_nan());
    }
}
