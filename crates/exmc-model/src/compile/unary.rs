//! Elementwise functions of one argument: value and derivative.
//!
//! `deriv(f, a, v)` gives `df/da` from the argument `a` and the value
//! `v = f(a)` (whichever is cheaper), so the reverse sweep recomputes no
//! transcendental function it already has.

use crate::expr::UnaryFn;
use exmc_core::Real;
use exmc_math::special as sp;

#[inline]
pub(crate) fn value<T: Real>(f: UnaryFn, a: T) -> T {
    use UnaryFn::*;
    match f {
        Neg => -a,
        Exp => a.exp(),
        Log => a.ln(),
        Log1p => a.ln_1p(),
        Expm1 => a.exp_m1(),
        Sqrt => a.sqrt(),
        Square => a * a,
        Abs => a.abs(),
        Inv => a.recip(),
        InvSqrt => a.sqrt().recip(),
        Log1m => sp::log1m(a),
        Log1mExp => sp::log1m_exp(a),
        InvLogit => sp::inv_logit(a),
        LogInvLogit => sp::log_inv_logit(a),
        Log1mInvLogit => sp::log1m_inv_logit(a),
        Softplus => sp::log1p_exp(a),
        Logit => sp::logit(a),
        Sin => a.sin(),
        Cos => a.cos(),
        Tan => a.tan(),
        Asin => a.asin(),
        Acos => a.acos(),
        Atan => a.atan(),
        Sinh => a.sinh(),
        Cosh => a.cosh(),
        Tanh => a.tanh(),
        Asinh => a.asinh(),
        Acosh => a.acosh(),
        Atanh => a.atanh(),
        Cbrt => a.cbrt(),
        Log2 => a.log2(),
        Log10 => a.log10(),
        Exp2 => a.exp2(),
        Lgamma => sp::log_gamma(a),
        Digamma => sp::digamma(a),
        Trigamma => sp::trigamma(a),
        Erf => sp::erf(a),
        Erfc => sp::erfc(a),
        Phi => sp::phi(a),
        InvPhi => sp::inv_phi(a),
        Floor => a.floor(),
        Ceil => a.ceil(),
        Round => a.round(),
        Trunc => a.trunc(),
        Step => {
            if a < T::zero() {
                T::zero()
            } else {
                T::one()
            }
        }
        Not => {
            if a == T::zero() {
                T::one()
            } else {
                T::zero()
            }
        }
    }
}

#[inline]
pub(crate) fn deriv<T: Real>(f: UnaryFn, a: T, v: T) -> T {
    use UnaryFn::*;
    let one = T::one();
    match f {
        Neg => -one,
        Exp => v,
        Log => a.recip(),
        Log1p => (one + a).recip(),
        Expm1 => v + one,
        Sqrt => T::c(0.5) / v,
        Square => a + a,
        Abs => {
            if a > T::zero() {
                one
            } else if a < T::zero() {
                -one
            } else {
                T::zero()
            }
        }
        Inv => -v * v,
        InvSqrt => T::c(-0.5) * v / a,
        Log1m => -(one - a).recip(),
        // d/da log(1 - e^a) = -1 / expm1(-a)
        Log1mExp => -(-a).exp_m1().recip(),
        InvLogit => v * (one - v),
        LogInvLogit => sp::inv_logit(-a),
        Log1mInvLogit => -sp::inv_logit(a),
        Softplus => sp::inv_logit(a),
        Logit => (a * (one - a)).recip(),
        Sin => a.cos(),
        Cos => -a.sin(),
        Tan => one + v * v,
        Asin => (one - a * a).sqrt().recip(),
        Acos => -(one - a * a).sqrt().recip(),
        Atan => (one + a * a).recip(),
        Sinh => a.cosh(),
        Cosh => a.sinh(),
        Tanh => one - v * v,
        Asinh => (a * a + one).sqrt().recip(),
        Acosh => (a * a - one).sqrt().recip(),
        Atanh => (one - a * a).recip(),
        Cbrt => v / (T::c(3.0) * a),
        Log2 => (a * T::LN_2()).recip(),
        Log10 => (a * T::LN_10()).recip(),
        Exp2 => v * T::LN_2(),
        Lgamma => sp::digamma(a),
        Digamma => sp::trigamma(a),
        Trigamma => sp::tetragamma(a),
        Erf => T::c(std::f64::consts::FRAC_2_SQRT_PI) * (-a * a).exp(),
        Erfc => -T::c(std::f64::consts::FRAC_2_SQRT_PI) * (-a * a).exp(),
        Phi => T::c(0.398_942_280_401_432_7) * (T::c(-0.5) * a * a).exp(),
        InvPhi => (T::c(0.398_942_280_401_432_7) * (T::c(-0.5) * v * v).exp()).recip(),
        Floor | Ceil | Round | Trunc | Step | Not => T::zero(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[UnaryFn] = &[
        UnaryFn::Neg, UnaryFn::Exp, UnaryFn::Log, UnaryFn::Log1p, UnaryFn::Expm1, UnaryFn::Sqrt,
        UnaryFn::Square, UnaryFn::Abs, UnaryFn::Inv, UnaryFn::InvSqrt, UnaryFn::Log1m, UnaryFn::Log1mExp,
        UnaryFn::InvLogit, UnaryFn::LogInvLogit, UnaryFn::Log1mInvLogit, UnaryFn::Softplus, UnaryFn::Logit,
        UnaryFn::Sin, UnaryFn::Cos, UnaryFn::Tan, UnaryFn::Asin, UnaryFn::Acos, UnaryFn::Atan, UnaryFn::Sinh,
        UnaryFn::Cosh, UnaryFn::Tanh, UnaryFn::Asinh, UnaryFn::Acosh, UnaryFn::Atanh, UnaryFn::Cbrt,
        UnaryFn::Log2, UnaryFn::Log10, UnaryFn::Exp2, UnaryFn::Lgamma, UnaryFn::Digamma, UnaryFn::Trigamma, UnaryFn::Erf,
        UnaryFn::Erfc, UnaryFn::Phi, UnaryFn::InvPhi,
    ];

    /// A point inside each function's domain.
    fn domain_point(f: UnaryFn, u: f64) -> f64 {
        use UnaryFn::*;
        match f {
            Log | Log1p | Inv | Sqrt | InvSqrt | Log2 | Log10 | Cbrt | Lgamma | Digamma | Trigamma => 0.2 + 3.0 * u,
            Log1m | Logit | Asin | Acos | Atanh | InvPhi => 0.05 + 0.9 * u,
            Log1mExp => -0.1 - 3.0 * u,
            Acosh => 1.1 + 2.0 * u,
            Abs => 0.1 + u,
            Tan => -1.2 + 2.4 * u,
            _ => -3.0 + 6.0 * u,
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for &f in ALL {
            for k in 0..7 {
                let u = (k as f64 + 0.5) / 7.0;
                let a = domain_point(f, u);
                let h = 1e-6 * a.abs().max(1.0);
                let fd = (value(f, a + h) - value(f, a - h)) / (2.0 * h);
                let d = deriv(f, a, value(f, a));
                assert!((d - fd).abs() <= 1e-6 * fd.abs().max(1.0), "{f:?} at {a}: analytic {d}, numeric {fd}");
            }
        }
    }
}
