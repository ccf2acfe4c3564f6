//! Elementwise functions of two arguments: value and both partials.

use crate::expr::BinaryFn;
use exmc_core::Real;
use exmc_math::special as sp;

#[inline]
fn b2t<T: Real>(b: bool) -> T {
    if b {
        T::one()
    } else {
        T::zero()
    }
}

#[inline]
pub(crate) fn value<T: Real>(f: BinaryFn, a: T, b: T) -> T {
    use BinaryFn::*;
    match f {
        Add => a + b,
        Sub => a - b,
        Mul => a * b,
        Div => a / b,
        Pow => a.powf(b),
        Fmin => a.min(b),
        Fmax => a.max(b),
        Hypot => a.hypot(b),
        Atan2 => a.atan2(b),
        LogSumExp => sp::log_sum_exp2(a, b),
        LogDiffExp => sp::log_diff_exp(a, b),
        MultiplyLog => {
            if a == T::zero() && b == T::zero() {
                T::zero()
            } else {
                a * b.ln()
            }
        }
        Lbeta => sp::lbeta(a, b),
        Beta => sp::lbeta(a, b).exp(),
        GammaP => T::c(sp::gamma_p(a.f64(), b.f64())),
        GammaQ => T::c(sp::gamma_q(a.f64(), b.f64())),
        OwensT => sp::owens_t(a, b),
        Lt => b2t(a < b),
        Le => b2t(a <= b),
        Gt => b2t(a > b),
        Ge => b2t(a >= b),
        Eq => b2t(a == b),
        Ne => b2t(a != b),
        And => b2t(a != T::zero() && b != T::zero()),
        Or => b2t(a != T::zero() || b != T::zero()),
        Fmod => a % b,
    }
}

/// `(∂f/∂a, ∂f/∂b)` given the arguments and the value `v`.
#[inline]
pub(crate) fn partials<T: Real>(f: BinaryFn, a: T, b: T, v: T) -> (T, T) {
    use BinaryFn::*;
    let (zero, one) = (T::zero(), T::one());
    match f {
        Add => (one, one),
        Sub => (one, -one),
        Mul => (b, a),
        Div => {
            let ib = b.recip();
            (ib, -v * ib)
        }
        Pow => {
            // d/da a^b = b a^(b-1); d/db = a^b log a (0 where a = 0).
            let da = if b == zero { zero } else { b * a.powf(b - one) };
            let db = if a == zero { zero } else { v * a.ln() };
            (da, db)
        }
        Fmin => {
            if a <= b {
                (one, zero)
            } else {
                (zero, one)
            }
        }
        Fmax => {
            if a >= b {
                (one, zero)
            } else {
                (zero, one)
            }
        }
        Hypot => (a / v, b / v),
        Atan2 => {
            let r = (a * a + b * b).recip();
            (b * r, -a * r)
        }
        LogSumExp => ((a - v).exp(), (b - v).exp()),
        LogDiffExp => {
            // v = a + log(1 - e^(b-a)); ∂a = e^a / (e^a - e^b), ∂b = -e^b / (e^a - e^b)
            let da = (a - v).exp();
            (da, one - da)
        }
        MultiplyLog => {
            if a == zero && b == zero {
                (zero, zero)
            } else {
                (b.ln(), a / b)
            }
        }
        Lbeta => {
            let dab = sp::digamma(a + b);
            (sp::digamma(a) - dab, sp::digamma(b) - dab)
        }
        // ∂B/∂a = B (ψ(a) − ψ(a + b))
        Beta => {
            let dab = sp::digamma(a + b);
            (v * (sp::digamma(a) - dab), v * (sp::digamma(b) - dab))
        }
        // From the log partials of `inc_gamma` (∂/∂a by its dual-number series).
        GammaP | GammaQ => {
            let g = sp::inc_gamma(a.f64(), b.f64());
            let (da, dx) = if f == GammaP { (g.dlog_p_da, g.dlog_p_dx) } else { (g.dlog_q_da, g.dlog_q_dx) };
            let vf = v.f64();
            let clean = |d: f64| if vf == 0.0 || !d.is_finite() { 0.0 } else { vf * d };
            (T::c(clean(da)), T::c(clean(dx)))
        }
        OwensT => sp::owens_t_partials(a, b),
        Lt | Le | Gt | Ge | Eq | Ne | And | Or => (zero, zero),
        Fmod => (one, -(a / b).trunc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_match_finite_differences() {
        use BinaryFn::*;
        let fs = [Add, Sub, Mul, Div, Pow, Fmin, Fmax, Hypot, Atan2, LogSumExp, LogDiffExp, MultiplyLog, Lbeta, Beta, GammaP, GammaQ, OwensT, Fmod];
        let points: [(f64, f64); 3] = [(1.3, 0.4), (2.5, 1.7), (0.7, 2.2)];
        for f in fs {
            for &(a0, b0) in &points {
                let (a, b) = if f == LogDiffExp { (a0 + 3.0, b0) } else { (a0, b0) };
                let h = 1e-6;
                let v = value(f, a, b);
                let (da, db) = partials(f, a, b, v);
                let fa = (value(f, a + h, b) - value(f, a - h, b)) / (2.0 * h);
                let fb = (value(f, a, b + h) - value(f, a, b - h)) / (2.0 * h);
                assert!((da - fa).abs() < 1e-6 * fa.abs().max(1.0), "{f:?} d/da at {a},{b}: {da} vs {fa}");
                assert!((db - fb).abs() < 1e-6 * fb.abs().max(1.0), "{f:?} d/db at {a},{b}: {db} vs {fb}");
            }
        }
    }
}
