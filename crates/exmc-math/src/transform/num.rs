//! Private numerically careful helpers for the transforms.
//!
//! (`special/` may later grow public versions of these; they are kept here so
//! the transforms do not depend on files another engineer is writing.)

use exmc_core::Real;

/// `(z, 1 - z, log z, log(1 - z))` for `z = inv_logit(u)`, from one `exp` and
/// one `log1p`, each accurate in both tails (NaN in, NaN out).
#[inline]
pub(crate) fn logistic_parts<T: Real>(u: T) -> (T, T, T, T) {
    let e = (-u.abs()).exp();
    let l = e.ln_1p();
    let r = (T::one() + e).recip();
    if u >= T::zero() {
        (r, e * r, -l, -u - l)
    } else {
        (e * r, r, u - l, -l)
    }
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
            let z = 1.0 / (1.0 + (-u).exp());
            let (a, b, la, lb) = logistic_parts(u);
            assert!((a - z).abs() < 1e-15 && (b - (1.0 - z)).abs() < 1e-15, "{u}");
            assert!((la - z.ln()).abs() < 1e-13 && (lb + u.exp().ln_1p()).abs() < 1e-13, "{u}");
            assert!((log_sech2(u) + 2.0 * u.cosh().ln()).abs() < 1e-13);
            assert!((sech(u) - 1.0 / u.cosh()).abs() < 1e-15);
        }
    }

    #[test]
    fn helpers_stay_finite_in_the_tails() {
        assert_eq!(logistic_parts(800.0f64).0, 1.0);
        assert_eq!(logistic_parts(-800.0f64).1, 1.0);
        let (_, zc, _, lzc) = logistic_parts(700.0f64);
        assert!(zc > 0.0 && (lzc + 700.0).abs() < 1e-12);
        let (z, _, lz, _) = logistic_parts(-1e4f64);
        assert!(z == 0.0 && (lz + 1e4).abs() < 1e-9);
        assert_eq!(logistic_parts(f64::INFINITY), (1.0, 0.0, 0.0, f64::NEG_INFINITY));
        assert_eq!(logistic_parts(f64::NEG_INFINITY), (0.0, 1.0, f64::NEG_INFINITY, 0.0));
        let (z, zc, lz, lzc) = logistic_parts(f32::NAN);
        assert!(z.is_nan() && zc.is_nan() && lz.is_nan() && lzc.is_nan());
        assert!((log_sech2(400.0f64) - 2.0 * (2f64.ln() - 400.0)).abs() < 1e-12);
        assert!(log_sech2(1e4f32).is_finite());
        assert_eq!(sech(1e300f64), 0.0);
        assert!(log_sech2(f64::NAN).is_nan() && sech(f64::NAN).is_nan());
    }
}
