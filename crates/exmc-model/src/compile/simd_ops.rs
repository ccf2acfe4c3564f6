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
//! * `Cont { student_t_log_scale, lpdf }` over a vector of `n ≥ 8` variates
//!   with scalar `ν`, `μ` (the `sv` likelihood): forward only, with the
//!   partials stored where the generic reverse sweep reads them
//!   ([`simd::student_t`](exmc_math::simd::student_t)).

use super::eval::{rd, Program};
use super::program::{Instr, Ref};
use crate::dist::{ContKind, DiscKind, Eval};
use exmc_core::{LogpError, Real};
use exmc_math::dist::{Continuous, StudentTLogScale};
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
        Instr::Cont { kind: ContKind::StudentTLogScale, eval: Eval::Lpdf, trunc: false, args, nargs: 4, out, poff } => {
            Ok(student_t_log_scale(p, &p.refs[args as usize..args as usize + 4], out, poff as usize, vals, partials))
        }
        _ => Ok(false),
    }
}

/// `student_t_log_scale_lpdf(x | ν, μ, log σ)` for `x` of length `n ≥ 8`,
/// scalar `ν`, `μ` and `log σ` of length `n` or 1; `false` if not handled.
/// Writes the value and the partials as `dist_ops` does: one slot per
/// element of each non-constant operand, in operand order, scalars' slots
/// holding sums; the `ν` terms (`param_terms`) once, times `n`.
fn student_t_log_scale<T: Real>(p: &Program<T>, ops: &[Ref], out: Ref, poff: usize, vals: &mut [T], partials: &mut [T]) -> bool {
    let (x, nu, mu, ls) = (ops[0], ops[1], ops[2], ops[3]);
    let n = x.len();
    if n < 8 || nu.len() != 1 || mu.len() != 1 || !(ls.len() == n || ls.len() == 1) {
        return false;
    }
    let (lo, hi) = vals.split_at_mut(out.start());
    let consts = &p.consts[..];
    let (nu_v, mu_v, lsv) = (rd(lo, consts, nu)[0], rd(lo, consts, mu)[0], rd(lo, consts, ls));
    let mut dpa = [T::zero(); 3];
    // Errors (bad ν, μ, log σ₁) are the generic path's to report.
    let Ok(a) = StudentTLogScale::param_terms(&[nu_v, mu_v, lsv[0]], &mut dpa) else { return false };
    // Partial slots, as dist_ops lays them out.
    let mut off = poff;
    let mut slot = [usize::MAX; 4];
    for (j, r) in ops.iter().enumerate() {
        if !r.is_const() && r.len > 0 {
            slot[j] = off;
            off += r.len();
        }
    }
    let Some(seg) = partials.get_mut(poff..off) else { return false };
    let (head, tail) = seg.split_at_mut(if slot[3] == usize::MAX { off - poff } else { slot[3] - poff });
    let dx: &mut [T] = if slot[0] == usize::MAX { &mut [] } else { &mut head[..n] };
    let dls: &mut [T] = if slot[3] != usize::MAX && ls.len() == n { &mut tail[..n] } else { &mut [] };
    let mut sums = [0.0f64; 3];
    let Some(lp) = simd::student_t::student_t_log_scale_sum(p.isa, rd(lo, consts, x), nu_v, mu_v, lsv, dx, dls, &mut sums) else {
        return false;
    };
    let nt = T::c(n as f64);
    if slot[1] != usize::MAX {
        partials[slot[1]] = dpa[0] * nt + T::c(sums[0]);
    }
    if slot[2] != usize::MAX {
        partials[slot[2]] = T::c(sums[1]);
    }
    if slot[3] != usize::MAX && ls.len() == 1 {
        partials[slot[3]] = T::c(sums[2]);
    }
    hi[0] = a * nt + T::c(lp);
    true
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
    pub(super) fn values(count: usize, seed: u64) -> Vec<f64> {
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

/// The `student_t_log_scale` kernel inside compiled models (the `sv` benchmark
/// and small hand models) against the portable program.
#[cfg(test)]
mod student_t_tests {
    use crate::dist::{exponential, gaussian_random_walk, normal, student_t};
    use crate::{Compiled, Constraint, Model, Shape};
    use exmc_core::LogDensity;
    use exmc_math::simd::Isa;

    use super::tests::values;

    /// The `sv` benchmark as `exmc::bench_models::sv` writes it, with the
    /// shared benchmark data.
    fn sv() -> Compiled {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench-models/sv.json");
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).expect("sv.json")).expect("json");
        let returns: Vec<f64> = json["data"]["returns"].as_array().expect("returns").iter().map(|v| v.as_f64().expect("real")).collect();
        let t = returns.len();
        let mut m = Model::new();
        let sigma = m.param("sigma", exponential(50.0)).unwrap();
        let nu = m.param("nu", exponential(0.1)).unwrap();
        let s = m.param_with("s", Shape::Vector(t), None, Constraint::Real).unwrap();
        m.factor("s_1", normal(0.0, &sigma).lpdf(s.at(0))).unwrap();
        m.factor("s_walk", gaussian_random_walk(&sigma).lpdf(&s)).unwrap();
        m.observe("returns", student_t(&nu, 0.0, s.exp()), returns).unwrap();
        m.compile().unwrap()
    }

    /// Small models (13 elements: one block of 8 and a tail) covering the
    /// kernel's cases: data or parameter variate, parameter `μ`, vector or
    /// scalar log-scale.
    fn small(variate_param: bool, scalar_scale: bool) -> Compiled {
        let n = 13;
        let mut m = Model::new();
        let nu = m.param("nu", exponential(0.2)).unwrap();
        let mu = m.param("mu", normal(0.0, 1.0)).unwrap();
        let h = if scalar_scale {
            m.param("h", normal(0.0, 1.0)).unwrap()
        } else {
            m.param_vector("h", n, normal(0.0, 1.0)).unwrap()
        };
        let t = student_t(&nu, &mu, h.exp());
        if variate_param {
            let x = m.param_vector("x", n, normal(0.0, 3.0)).unwrap();
            m.factor("lik", t.lpdf(&x)).unwrap();
        } else {
            let y: Vec<f64> = values(n, 11).iter().map(|v| 2.0 * v).collect();
            m.observe("y", t, y).unwrap();
        }
        m.compile().unwrap()
    }

    fn models() -> Vec<(String, Compiled)> {
        let mut v = vec![("sv".to_string(), sv())];
        for vp in [false, true] {
            for sc in [false, true] {
                v.push((format!("small(variate param {vp}, scalar scale {sc})"), small(vp, sc)));
            }
        }
        v
    }

    /// Points: random at several scales, the log-scales pushed to ±30 and
    /// ±300 (and one element to ±700, past f64's range for z²), large ν,
    /// and NaN / ±inf coordinates.
    fn points(dim: usize) -> Vec<Vec<f64>> {
        let mut pts = vec![vec![0.0; dim]];
        for (k, scale) in [1e-3, 0.3, 1.0, 3.0].into_iter().enumerate() {
            pts.push(values(dim, 40 + k as u64).iter().map(|v| v * scale).collect());
        }
        for (k, big) in [30.0, -30.0, 300.0, -300.0, 700.0, -700.0].into_iter().enumerate() {
            // Coordinates past the first two (log σ, log ν / μ ...) set to ±big.
            let mut x = values(dim, 60 + k as u64);
            x[2..].iter_mut().for_each(|v| *v += big);
            pts.push(x);
            let mut one = values(dim, 70 + k as u64);
            one[dim - 1] = big;
            pts.push(one);
        }
        let mut large_nu = values(dim, 80);
        large_nu[1] = 15.0;
        pts.push(large_nu);
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for at in [0, 1, 2, dim - 1] {
                let mut x = values(dim, 7);
                x[at] = bad;
                pts.push(x);
            }
        }
        pts
    }

    fn rel(a: f64, b: f64, scale: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / scale.max(1e-300)
        }
    }

    #[test]
    fn compiled_models_match_the_portable_program_incl_extremes_and_errors() {
        let (mut worst_lp, mut worst_g) = (0.0f64, 0.0f64);
        for (name, c) in models() {
            let mut scalar = c.with_isa(Isa::scalar()).density::<f64>();
            let mut differs = false;
            for isa in [Isa::avx2_or_lower(), Isa::detect()] {
                let mut fast = c.with_isa(isa).density::<f64>();
                for x in points(c.dim()) {
                    let (mut g0, mut g1) = (vec![0.0; x.len()], vec![0.0; x.len()]);
                    match (scalar.logp_grad(&x, &mut g0), fast.logp_grad(&x, &mut g1)) {
                        (Ok(l0), Ok(l1)) => {
                            differs |= l0.to_bits() != l1.to_bits();
                            let e = rel(l1, l0, l0.abs());
                            assert!(e <= 1e-13, "{name} {}: logp {l1} vs {l0} at {x:?}", isa.name());
                            worst_lp = worst_lp.max(e);
                            for (i, (a, b)) in g1.iter().zip(&g0).enumerate() {
                                // Per coordinate, with a floor at 1e-13 of the largest (sums with cancellation).
                                let scale = g0.iter().fold(0f64, |m, v| m.max(v.abs()));
                                let e = rel(*a, *b, b.abs().max(1e-3 * scale));
                                assert!(e <= 1e-13, "{name} {}: grad[{i}] {a} vs {b} at {x:?}", isa.name());
                                worst_g = worst_g.max(e);
                            }
                        }
                        (Err(e0), Err(e1)) => {
                            assert_eq!(e0.is_recoverable(), e1.is_recoverable(), "{name} {}: {e0} vs {e1}", isa.name());
                            assert_eq!(e0.to_string(), e1.to_string(), "{name} {}", isa.name());
                        }
                        (r0, r1) => panic!("{name} {}: scalar {r0:?} vs vector {r1:?} at {x:?}", isa.name()),
                    }
                }
            }
            // The kernel really runs (its fused, polynomial arithmetic
            // rounds differently from libm somewhere among the points).
            if Isa::detect().is_vector() {
                assert!(differs, "{name}: the vector program is bit-identical to the portable one");
            }
        }
        eprintln!("worst relative difference: logp {worst_lp:e}, gradient {worst_g:e}");
    }

    #[test]
    fn nan_is_the_same_recoverable_error_at_every_level() {
        let c = sv();
        for at in [0, 1, 2, 50, 101] {
            let mut x = values(c.dim(), 3);
            x[at] = f64::NAN;
            let mut msgs = vec![];
            for isa in [Isa::scalar(), Isa::avx2_or_lower(), Isa::detect()] {
                let mut g = vec![0.0; c.dim()];
                let e = c.with_isa(isa).density::<f64>().logp_grad(&x, &mut g).unwrap_err();
                assert!(e.is_recoverable(), "{}: {e}", isa.name());
                msgs.push(e.to_string());
            }
            assert!(msgs.iter().all(|m| *m == msgs[0]), "{msgs:?}");
        }
    }

    #[test]
    fn f32_matches_the_f32_portable_program() {
        for (name, c) in models() {
            let mut scalar = c.with_isa(Isa::scalar()).density::<f32>();
            let mut fast = c.density::<f32>();
            for x in &points(c.dim())[..9] {
                let x: Vec<f32> = x.iter().map(|&v| v as f32).collect();
                let (mut g0, mut g1) = (vec![0.0f32; x.len()], vec![0.0f32; x.len()]);
                match (scalar.logp_grad(&x, &mut g0), fast.logp_grad(&x, &mut g1)) {
                    (Ok(l0), Ok(l1)) => {
                        assert!((l1 - l0).abs() <= 1e-5 * l0.abs().max(1.0), "{name}: logp {l1} vs {l0} at {x:?}");
                        let scale = g0.iter().fold(1f32, |m, v| m.max(v.abs()));
                        for (i, (a, b)) in g1.iter().zip(&g0).enumerate() {
                            assert!((a - b).abs() <= 1e-5 * scale, "{name}: grad[{i}] {a} vs {b} at {x:?}");
                        }
                    }
                    (Err(e0), Err(e1)) => assert_eq!(e0.to_string(), e1.to_string()),
                    (r0, r1) => panic!("{name}: scalar {r0:?} vs vector {r1:?} at {x:?}"),
                }
            }
        }
    }

    #[test]
    fn gradient_matches_central_differences() {
        for (name, c) in models() {
            let mut d = c.density::<f64>();
            let dim = c.dim();
            for x in [values(dim, 1), values(dim, 2).iter().map(|v| 2.0 * v).collect()] {
                let mut g = vec![0.0; dim];
                d.logp_grad(&x, &mut g).unwrap();
                let mut scratch = vec![0.0; dim];
                for i in 0..dim {
                    let h = 1e-6;
                    let (mut xp, mut xm) = (x.clone(), x.clone());
                    xp[i] += h;
                    xm[i] -= h;
                    let fd = (d.logp_grad(&xp, &mut scratch).unwrap() - d.logp_grad(&xm, &mut scratch).unwrap()) / (2.0 * h);
                    assert!((g[i] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "{name} {}: grad[{i}] {} vs {fd}", c.isa().name(), g[i]);
                }
            }
        }
    }
}
