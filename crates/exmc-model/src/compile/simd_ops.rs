//! Instructions with vector kernels for the CPU at hand
//! ([`exmc_math::simd`]), used (f64 and f32) when the program's
//! [`Isa`](exmc_math::simd::Isa) is AVX2 or better: the sweeps' arms for
//! these instructions call in here first. Each function returns `false`
//! when it does not handle an instruction (or a case of it), and the
//! generic arm runs it instead, so behaviour on bad values (NaN,
//! infinities: errors, divergences) is the generic code's.
//!
//! * `MatVecCols`: forward `out = M v` and reverse `v̄ += Mᵀ ō`
//!   ([`simd::linalg`](exmc_math::simd::linalg)).
//! * `Disc { bernoulli_logit }` over a vector `η` (one element per
//!   observation): log mass and `∂/∂η` with the branch-free polynomial
//!   `exp`/`log1p` ([`simd::logistic`](exmc_math::simd::logistic)).

use super::eval::{rd, Program};
use super::program::Instr;
use crate::dist::DiscKind;
use exmc_core::{LogpError, Real};
use exmc_math::simd;

/// Forward step of `ins` with a vector kernel; `Ok(false)` if not handled.
pub(super) fn forward<T: Real>(p: &Program<T>, ins: &Instr, vals: &mut [T], partials: &mut [T]) -> Result<bool, LogpError> {
    let consts = &p.consts[..];
    match *ins {
        Instr::MatVecCols { mt, v, out } => {
            let (lo, hi) = vals.split_at_mut(out.start());
            simd::linalg::matvec_cols(p.isa, &mut hi[..out.len()], rd(lo, consts, mt), rd(lo, consts, v));
            Ok(true)
        }
        Instr::Disc { kind: DiscKind::BernoulliLogit, n, ioff, args, nargs: 1, cterm, out, poff } => {
            let eta = p.refs[args as usize];
            let n = n as usize;
            // One η per observation, η a parameter-dependent vector.
            if eta.is_const() || eta.len() != n || n == 0 {
                return Ok(false);
            }
            let (lo, hi) = vals.split_at_mut(out.start());
            let Some(ys) = p.ints.get(ioff as usize..ioff as usize + n) else { return Ok(false) };
            let dp = &mut partials[poff as usize..poff as usize + n];
            match simd::logistic::bernoulli_logit_sum(p.isa, &lo[eta.range()], ys, dp) {
                Some(lp) => {
                    hi[0] = consts[cterm as usize] + T::c(lp);
                    Ok(true)
                }
                None => Ok(false),
            }
        }
        _ => Ok(false),
    }
}

/// Reverse step of `ins` with a vector kernel; `false` if not handled.
pub(super) fn reverse<T: Real>(p: &Program<T>, ins: &Instr, vals: &[T], adj: &mut [T]) -> bool {
    match *ins {
        Instr::MatVecCols { mt, v, out } if !v.is_const() => {
            let (alo, ahi) = adj.split_at_mut(out.start());
            let mv = rd(vals, &p.consts, mt);
            simd::linalg::dot_cols_add(p.isa, &mut alo[v.range()], mv, &ahi[..out.len()]);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::{bernoulli_logit, normal};
    use crate::{matvec, CompileOptions, Compiled, Expr, Model};
    use exmc_core::LogDensity;
    use exmc_math::simd::Isa;

    /// Deterministic values in [-1, 1) (an LCG).
    fn values(count: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..count)
            .map(|_| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .collect()
    }

    /// `alpha, beta[p] ~ N(0, 10)`, `y ~ bernoulli_logit(alpha + X beta)`
    /// (or `X beta + alpha`, as the Stan front end's `bernoulli_logit_glm`
    /// lowers it), `n × p` data with `n` not a multiple of any block size.
    fn logistic(n: usize, p: usize, alpha_last: bool) -> Compiled {
        let x = Expr::matrix(n, p, values(n * p, 5));
        let y: Vec<i64> = values(n, 6).iter().map(|&v| (v > 0.1) as i64).collect();
        let mut m = Model::new();
        let a = m.param("alpha", normal(0.0, 10.0)).unwrap();
        let b = m.param_vector("beta", p, normal(0.0, 10.0)).unwrap();
        let eta = if alpha_last { matvec(&x, &b) + &a } else { &a + matvec(&x, &b) };
        m.observe("y", bernoulli_logit(eta), y).unwrap();
        m.compile_with(&CompileOptions::default()).unwrap()
    }

    /// Points from the origin out to |eta| ~ 1e4 and beyond, one coordinate
    /// at ±1e-300, plus non-finite ones.
    fn points(dim: usize) -> Vec<Vec<f64>> {
        let mut pts = vec![vec![0.0; dim]];
        for (k, scale) in [1e-300, 1e-3, 0.3, 1.0, 3.0, 30.0, 700.0, 1e4, 1e300].into_iter().enumerate() {
            pts.push(values(dim, 40 + k as u64).iter().map(|v| v * scale).collect());
        }
        let mut tiny = values(dim, 99);
        tiny[0] = 1e-300;
        tiny[1] = -1e-300;
        pts.push(tiny);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for at in [0, dim - 1] {
                let mut x = values(dim, 7);
                x[at] = bad;
                pts.push(x);
            }
        }
        pts
    }

    fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / b.abs().max(1e-300)
        }
    }

    #[test]
    fn vector_kernels_match_the_scalar_program_incl_extremes_and_errors() {
        for alpha_last in [false, true] {
            let c = logistic(203, 7, alpha_last);
            let mut scalar = c.with_isa(Isa::scalar()).density::<f64>();
            assert_eq!(c.with_isa(Isa::scalar()).isa(), Isa::scalar());
            for isa in [Isa::avx2_or_lower(), Isa::detect()] {
                let mut fast = c.with_isa(isa).density::<f64>();
                for x in points(c.dim()) {
                    let (mut g0, mut g1) = (vec![0.0; x.len()], vec![0.0; x.len()]);
                    match (scalar.logp_grad(&x, &mut g0), fast.logp_grad(&x, &mut g1)) {
                        (Ok(l0), Ok(l1)) => {
                            assert!(rel(l1, l0) <= 1e-14, "{}: logp {l1} vs {l0} at {x:?}", isa.name());
                            for (i, (a, b)) in g1.iter().zip(&g0).enumerate() {
                                // Gradients are sums with cancellation: relative to the largest.
                                let scale = g0.iter().fold(1e-300f64, |m, v| m.max(v.abs()));
                                assert!((a - b).abs() <= 1e-14 * scale, "{}: grad[{i}] {a} vs {b} at {x:?}", isa.name());
                            }
                        }
                        (Err(e0), Err(e1)) => {
                            assert_eq!(e0.is_recoverable(), e1.is_recoverable(), "{}: {e0} vs {e1}", isa.name());
                            assert_eq!(e0.to_string(), e1.to_string());
                        }
                        (r0, r1) => panic!("{}: scalar {r0:?} vs vector {r1:?} at {x:?}", isa.name()),
                    }
                }
            }
        }
    }

    #[test]
    fn f32_vector_kernels_match_the_f32_scalar_program() {
        let c = logistic(203, 7, false);
        let mut scalar = c.with_isa(Isa::scalar()).density::<f32>();
        let mut fast = c.density::<f32>();
        for x in &points(c.dim())[..5] {
            let x: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let (mut g0, mut g1) = (vec![0.0f32; x.len()], vec![0.0f32; x.len()]);
            let l0 = scalar.logp_grad(&x, &mut g0).unwrap();
            let l1 = fast.logp_grad(&x, &mut g1).unwrap();
            assert!((l1 - l0).abs() <= 1e-5 * l0.abs().max(1.0), "{}: logp {l1} vs {l0}", c.isa().name());
            let scale = g0.iter().fold(1f32, |m, v| m.max(v.abs()));
            for (a, b) in g1.iter().zip(&g0) {
                assert!((a - b).abs() <= 1e-5 * scale, "{}: grad {a} vs {b}", c.isa().name());
            }
        }
    }

    /// AVX2 and AVX-512 sum in the same order with the same fused steps, so
    /// draws for a seed do not depend on which of the two a CPU has.
    #[test]
    fn avx2_and_avx512_are_bit_identical() {
        let c = logistic(203, 7, false);
        let (mut a, mut b) = (c.with_isa(Isa::avx2_or_lower()).density::<f64>(), c.density::<f64>());
        for x in &points(c.dim())[..8] {
            let (mut g0, mut g1) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            let (l0, l1) = (a.logp_grad(x, &mut g0).ok(), b.logp_grad(x, &mut g1).ok());
            assert_eq!(l0.map(f64::to_bits), l1.map(f64::to_bits));
            assert_eq!(g0, g1);
        }
    }

    #[test]
    fn nan_parameter_is_a_recoverable_error_at_every_level() {
        let c = logistic(40, 3, false);
        for isa in [Isa::scalar(), Isa::detect()] {
            let mut d = c.with_isa(isa).density::<f64>();
            let mut g = vec![0.0; 4];
            let e = d.logp_grad(&[0.1, f64::NAN, 0.2, 0.3], &mut g).unwrap_err();
            assert!(e.is_recoverable(), "{}: {e}", isa.name());
        }
    }

    #[test]
    fn gradient_matches_central_differences() {
        let c = logistic(203, 7, false);
        let mut d = c.density::<f64>();
        for x in [values(8, 1), values(8, 2).iter().map(|v| 3.0 * v).collect()] {
            let mut g = vec![0.0; 8];
            d.logp_grad(&x, &mut g).unwrap();
            for i in 0..8 {
                let h = 1e-6;
                let (mut xp, mut xm) = (x.clone(), x.clone());
                xp[i] += h;
                xm[i] -= h;
                let mut scratch = vec![0.0; 8];
                let fd = (d.logp_grad(&xp, &mut scratch).unwrap() - d.logp_grad(&xm, &mut scratch).unwrap()) / (2.0 * h);
                assert!((g[i] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "{} grad[{i}] {} vs {fd}", c.isa().name(), g[i]);
            }
        }
    }
}
