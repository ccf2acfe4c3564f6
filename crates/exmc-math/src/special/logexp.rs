//! Log-space arithmetic: `log(1 + eˣ)`, `log(1 − eˣ)`, log-sum-exp,
//! log-diff-exp and the logistic function and its logs.
//!
//! All are generic over [`Real`] and stable for every finite input:
//! * `log1p_exp(x) = log(1 + eˣ)`: `x + log1p(e⁻ˣ)` for `x > 0`.
//! * `log1m_exp(x) = log(1 − eˣ)`, `x < 0`: `log(−expm1(x))` for `x > −ln 2`,
//!   else `log1p(−eˣ)` (Mächler 2012, "Accurately computing log(1 − exp(−|a|))").
//! * `log_diff_exp(a, b) = log(eᵃ − eᵇ) = a + log1m_exp(b − a)`, `a ≥ b`.

use exmc_core::Real;

/// `log(1 + exp(x))` (softplus).
#[inline]
pub fn log1p_exp<T: Real>(x: T) -> T {
    if x > T::zero() {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// `log(1 − exp(x))` for `x ≤ 0` (`-inf` at 0, NaN for `x > 0`).
#[inline]
pub fn log1m_exp<T: Real>(x: T) -> T {
    if x > T::zero() {
        T::nan()
    } else if x > T::c(-std::f64::consts::LN_2) {
        (-x.exp_m1()).ln()
    } else {
        (-x.exp()).ln_1p()
    }
}

/// `log(1 − x)`.
#[inline]
pub fn log1m<T: Real>(x: T) -> T {
    (-x).ln_1p()
}

/// `log(exp(a) + exp(b))`.
#[inline]
pub fn log_sum_exp2<T: Real>(a: T, b: T) -> T {
    if a == T::neg_infinity() {
        return b;
    }
    if b == T::neg_infinity() {
        return a;
    }
    if a > b {
        a + (b - a).exp().ln_1p()
    } else {
        b + (a - b).exp().ln_1p()
    }
}

/// `log Σ exp(xᵢ)`; `-inf` for an empty slice.
pub fn log_sum_exp<T: Real>(xs: &[T]) -> T {
    let mut m = T::neg_infinity();
    for &x in xs {
        if x > m || x.is_nan() {
            m = x;
        }
    }
    if !m.is_finite() {
        return m;
    }
    let mut s = T::zero();
    for &x in xs {
        s += (x - m).exp();
    }
    m + s.ln()
}

/// `log(exp(a) − exp(b))`, `a ≥ b` (`-inf` when `a == b`, NaN when `a < b`).
#[inline]
pub fn log_diff_exp<T: Real>(a: T, b: T) -> T {
    if b == T::neg_infinity() {
        return a;
    }
    if a < b {
        return T::nan();
    }
    if a == b {
        return T::neg_infinity();
    }
    a + log1m_exp(b - a)
}

/// Logistic function `1 / (1 + e⁻ˣ)`.
#[inline]
pub fn inv_logit<T: Real>(x: T) -> T {
    if x >= T::zero() {
        (T::one() + (-x).exp()).recip()
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

/// `log(inv_logit(x)) = −log1p_exp(−x)`.
#[inline]
pub fn log_inv_logit<T: Real>(x: T) -> T {
    -log1p_exp(-x)
}

/// `log(1 − inv_logit(x)) = −log1p_exp(x)`.
#[inline]
pub fn log1m_inv_logit<T: Real>(x: T) -> T {
    -log1p_exp(x)
}

/// `log(p / (1 − p))`.
#[inline]
pub fn logit<T: Real>(p: T) -> T {
    (p / (T::one() - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log1p_exp_tails() {
        assert_eq!(log1p_exp(800.0f64), 800.0);
        assert!((log1p_exp(-800.0f64) - 0.0).abs() < 1e-300);
        assert!((log1p_exp(0.0f64) - std::f64::consts::LN_2).abs() < 1e-16);
        assert!((log1p_exp(-40.0f64) - 4.248354255291589e-18).abs() < 1e-30);
    }

    #[test]
    fn log1m_exp_both_branches() {
        // log(1 - e^-1e-10) ≈ log(1e-10 - 5e-21)
        let v = log1m_exp(-1e-10f64);
        assert!((v - (1e-10f64).ln() + 5e-11).abs() < 1e-14, "{v}");
        let v = log1m_exp(-50.0f64);
        assert!((v + (-50.0f64).exp()).abs() < 1e-35);
        assert_eq!(log1m_exp(0.0f64), f64::NEG_INFINITY);
        assert!(log1m_exp(1.0f64).is_nan());
    }

    #[test]
    fn log_sum_and_diff() {
        let v = log_sum_exp(&[1000.0f64, 1000.0]);
        assert!((v - 1000.0 - std::f64::consts::LN_2).abs() < 1e-12);
        assert_eq!(log_sum_exp::<f64>(&[]), f64::NEG_INFINITY);
        let d = log_diff_exp(3.0f64, 2.0);
        assert!((d - (3.0f64.exp() - 2.0f64.exp()).ln()).abs() < 1e-14);
        assert_eq!(log_sum_exp2(f64::NEG_INFINITY, 2.0), 2.0);
    }

    #[test]
    fn logistic_family() {
        assert!((inv_logit(0.0f64) - 0.5).abs() < 1e-16);
        assert!((log_inv_logit(-30.0f64) + 30.000000000000092).abs() < 1e-12);
        assert!((log1m_inv_logit(-30.0f64) + 9.357622968839737e-14).abs() < 1e-26);
        assert!((logit(inv_logit(1.3f64)) - 1.3).abs() < 1e-14);
        assert_eq!(inv_logit(-800.0f64), 0.0);
    }
}
