//! Forward and reverse sweeps of the distribution instructions: vectorised
//! log densities with analytic partials (Stan Math's operands-and-partials
//! pattern). The forward sweep stores each operand's partial derivative in the
//! partials buffer; the reverse sweep scales them by the output's adjoint.
//!
//! Broadcasting: every operand has length 1 or `n`. Terms that depend only on
//! scalar parameters (`Continuous::param_terms`, for the parameters in
//! `Continuous::HOISTED`) are computed once and scaled by `n`.

use super::eval::{rd, stride, Program};
use super::program::{Instr, Ref};
use crate::dist::Eval;
use crate::{with_cdf, with_cont, with_disc};
use exmc_core::{LogpError, Real};
use exmc_math::dist::{Cdf, Continuous, Discrete, MAX_PARAMS};
use exmc_math::special::log_diff_exp;

const MAXOPS: usize = MAX_PARAMS + 3;

/// Offsets into the partials buffer for each operand that needs gradient
/// (`usize::MAX` for data operands). Returns the end offset.
#[inline]
fn partial_offsets(ops: &[Ref], poff: usize, po: &mut [usize; MAXOPS]) -> usize {
    let mut off = poff;
    for (j, r) in ops.iter().enumerate() {
        if !r.is_const() && r.len > 0 {
            po[j] = off;
            off += r.len();
        } else {
            po[j] = usize::MAX;
        }
    }
    off
}

#[inline(always)]
fn acc<T: Real>(partials: &mut [T], po: usize, i: usize, v: T) {
    if po != usize::MAX {
        partials[po + i] += v;
    }
}

pub(super) fn forward<T: Real>(p: &Program<T>, ins: &Instr, vals: &mut [T], partials: &mut [T]) -> Result<(), LogpError> {
    let consts = &p.consts[..];
    match *ins {
        Instr::Cont { kind, eval, trunc, args, nargs, out, poff } => {
            let ops = &p.refs[args as usize..(args + nargs) as usize];
            let mut po = [usize::MAX; MAXOPS];
            let end = partial_offsets(ops, poff as usize, &mut po);
            partials[poff as usize..end].iter_mut().for_each(|v| *v = T::zero());
            let (lo, hi) = vals.split_at_mut(out.start());
            let v = match (eval, trunc) {
                (Eval::Lpdf, false) => with_cont!(kind, D => cont_lpdf::<D, T>(lo, consts, ops, &po, partials)),
                (Eval::Lpdf, true) => with_cdf!(kind, D => cont_truncated::<D, T>(lo, consts, ops, &po, partials),
                    _ => Err(no_cdf(kind.name()))),
                (Eval::Interval, _) => with_cdf!(kind, D => cont_interval::<D, T>(lo, consts, ops, &po, partials),
                    _ => Err(no_cdf(kind.name()))),
                (_, _) => with_cdf!(kind, D => cont_cdf::<D, T>(eval, lo, consts, ops, &po, partials),
                    _ => Err(no_cdf(kind.name()))),
            }?;
            hi[0] = v;
        }
        Instr::Disc { kind, n, ioff, args, nargs, cterm, out, poff } => {
            let ops = &p.refs[args as usize..(args + nargs) as usize];
            let mut po = [usize::MAX; MAXOPS];
            let end = partial_offsets(ops, poff as usize, &mut po);
            partials[poff as usize..end].iter_mut().for_each(|v| *v = T::zero());
            let (lo, hi) = vals.split_at_mut(out.start());
            let c = consts[cterm as usize];
            let v = with_disc!(kind, D => disc_lpmf::<D, T>(lo, consts, &p.ints[ioff as usize..], n as usize, ops, &po, partials))?;
            hi[0] = c + v;
        }
        _ => unreachable!("dist_ops::forward called on {ins:?}"),
    }
    Ok(())
}

fn no_cdf(name: &str) -> LogpError {
    LogpError::fatal(format!("{name}: no CDF is implemented, so it cannot be truncated or censored"))
}

pub(super) fn reverse<T: Real>(p: &Program<T>, ins: &Instr, adj: &mut [T], partials: &[T]) {
    let (args, nargs, out, poff) = match *ins {
        Instr::Cont { args, nargs, out, poff, .. } | Instr::Disc { args, nargs, out, poff, .. } => (args, nargs, out, poff),
        _ => unreachable!(),
    };
    let ops = &p.refs[args as usize..(args + nargs) as usize];
    let mut po = [usize::MAX; MAXOPS];
    partial_offsets(ops, poff as usize, &mut po);
    let g = adj[out.start()];
    for (j, r) in ops.iter().enumerate() {
        if po[j] != usize::MAX {
            let pv = &partials[po[j]..po[j] + r.len()];
            for (a, &d) in adj[r.range()].iter_mut().zip(pv) {
                *a += g * d;
            }
        }
    }
}

/// Element `i` of a broadcast operand (a scalar repeats).
#[inline(always)]
fn elem<T: Real>(vals: &[T], consts: &[T], r: Ref, i: usize) -> T {
    rd(vals, consts, r)[i * stride(r)]
}

/// The parameters of element `i` into `pi` (operands `ops[1..=np]`).
#[inline(always)]
fn load_params<T: Real>(vals: &[T], consts: &[T], ops: &[Ref], np: usize, i: usize, pi: &mut [T; MAX_PARAMS]) {
    for k in 0..np {
        pi[k] = elem(vals, consts, ops[1 + k], i);
    }
}

/// Broadcast length of the operands (the longest).
#[inline]
fn bcast_len(ops: &[Ref]) -> usize {
    ops.iter().map(|r| r.len()).max().unwrap_or(1)
}

fn cont_lpdf<D: Continuous, T: Real>(
    vals: &[T],
    consts: &[T],
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    // Specialise the element loop on which parameters are scalars, so that
    // the compiler sees them as loop-invariant and hoists what depends on
    // them alone (e.g. 1/ν in student_t).
    let np = D::PARAMS.len();
    let mask = (0..np).filter(|&k| ops[1 + k].len == 1).fold(0u32, |m, k| m | (1 << k));
    match mask {
        0 => cont_lpdf_masked::<D, T, 0>(vals, consts, ops, po, partials),
        1 => cont_lpdf_masked::<D, T, 1>(vals, consts, ops, po, partials),
        2 => cont_lpdf_masked::<D, T, 2>(vals, consts, ops, po, partials),
        3 => cont_lpdf_masked::<D, T, 3>(vals, consts, ops, po, partials),
        4 => cont_lpdf_masked::<D, T, 4>(vals, consts, ops, po, partials),
        5 => cont_lpdf_masked::<D, T, 5>(vals, consts, ops, po, partials),
        6 => cont_lpdf_masked::<D, T, 6>(vals, consts, ops, po, partials),
        7 => cont_lpdf_masked::<D, T, 7>(vals, consts, ops, po, partials),
        _ => cont_lpdf_masked::<D, T, 0>(vals, consts, ops, po, partials),
    }
}

/// The element loop of [`cont_lpdf`]; bit `k` of `SCALAR` set means
/// parameter `k` is a scalar (read once, before the loop).
#[inline(always)]
fn cont_lpdf_masked<D: Continuous, T: Real, const SCALAR: u32>(
    vals: &[T],
    consts: &[T],
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    let np = D::PARAMS.len();
    let x = ops[0];
    let params = &ops[1..1 + np];
    let n = bcast_len(&ops[..1 + np]);
    let xs = rd(vals, consts, x);
    let sx = stride(x);
    let mut ps: [&[T]; MAX_PARAMS] = [&[]; MAX_PARAMS];
    let mut pi = [T::zero(); MAX_PARAMS];
    for k in 0..np {
        ps[k] = rd(vals, consts, params[k]);
        pi[k] = ps[k][0];
    }
    let is_scalar = |k: usize| SCALAR & (1 << k) != 0 || params[k].len == 1;
    let hoisted = (0..np).all(|k| D::HOISTED & (1 << k) == 0 || is_scalar(k));
    let mut total = T::zero();
    let mut dpa = [T::zero(); MAX_PARAMS];
    let mut dpb = [T::zero(); MAX_PARAMS];
    // Sums of the partials of the scalar parameters (one slot each).
    let mut dscalar = [T::zero(); MAX_PARAMS];
    if hoisted {
        let a = D::param_terms(&pi[..np], &mut dpa[..np])?;
        let nt = T::c(n as f64);
        total += a * nt;
        for k in 0..np {
            if D::HOISTED & (1 << k) != 0 {
                dscalar[k] += dpa[k] * nt;
            }
        }
    }
    for i in 0..n {
        for k in 0..np {
            if SCALAR & (1 << k) == 0 {
                pi[k] = ps[k][i * stride(params[k])];
            }
        }
        if !hoisted {
            let a = D::param_terms(&pi[..np], &mut dpa[..np])?;
            total += a;
            for k in 0..np {
                if is_scalar(k) {
                    dscalar[k] += dpa[k];
                } else {
                    acc(partials, po[k + 1], i, dpa[k]);
                }
            }
        }
        let mut dx = T::zero();
        let b = D::variate_terms(xs[i * sx], &pi[..np], &mut dx, &mut dpb[..np]);
        total += b;
        acc(partials, po[0], i * sx, dx);
        for k in 0..np {
            if is_scalar(k) {
                dscalar[k] += dpb[k];
            } else {
                acc(partials, po[k + 1], i, dpb[k]);
            }
        }
    }
    for k in 0..np {
        if is_scalar(k) {
            acc(partials, po[k + 1], 0, dscalar[k]);
        }
    }
    Ok(total)
}

fn cont_cdf<D: Cdf, T: Real>(
    eval: Eval,
    vals: &[T],
    consts: &[T],
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    let np = D::PARAMS.len();
    let n = bcast_len(&ops[..1 + np]);
    let mut d = [T::zero(); MAX_PARAMS + 1];
    let mut pi = [T::zero(); MAX_PARAMS];
    let mut total = T::zero();
    for i in 0..n {
        load_params(vals, consts, ops, np, i, &mut pi);
        let x = elem(vals, consts, ops[0], i);
        let v = match eval {
            Eval::Lcdf => D::lcdf(x, &pi[..np], &mut d[..np + 1])?,
            _ => D::lccdf(x, &pi[..np], &mut d[..np + 1])?,
        };
        total += v;
        for j in 0..=np {
            acc(partials, po[j], i * stride(ops[j]), d[j]);
        }
    }
    Ok(total)
}

/// `Σ log(F(bᵢ) − F(aᵢ))`: operands `[a, params..., (no lower), b]`.
fn cont_interval<D: Cdf, T: Real>(
    vals: &[T],
    consts: &[T],
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    let np = D::PARAMS.len();
    let ub = ops[2 + np];
    let n = bcast_len(ops);
    let mut pi = [T::zero(); MAX_PARAMS];
    let mut d = [T::zero(); MAX_PARAMS + 2];
    let mut total = T::zero();
    for i in 0..n {
        load_params(vals, consts, ops, np, i, &mut pi);
        let a = elem(vals, consts, ops[0], i);
        let b = elem(vals, consts, ub, i);
        total += exmc_math::dist::log_interval_prob::<D, T>(a, b, &pi[..np], &mut d[..np + 2])?;
        acc(partials, po[0], i * stride(ops[0]), d[0]);
        for k in 0..np {
            acc(partials, po[1 + k], i * stride(ops[1 + k]), d[2 + k]);
        }
        acc(partials, po[2 + np], i * stride(ub), d[1]);
    }
    Ok(total)
}

/// `lpdf(x) - log(F(U) - F(L))`, with `-inf` outside `[L, U]`.
fn cont_truncated<D: Cdf, T: Real>(
    vals: &[T],
    consts: &[T],
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    let np = D::PARAMS.len();
    let (lr, ur) = (ops[1 + np], ops[2 + np]);
    let n = bcast_len(ops);
    let mut pi = [T::zero(); MAX_PARAMS];
    let mut d = [T::zero(); MAX_PARAMS + 1];
    let mut dl = [T::zero(); MAX_PARAMS + 1];
    let mut du = [T::zero(); MAX_PARAMS + 1];
    let mut total = T::zero();
    for i in 0..n {
        load_params(vals, consts, ops, np, i, &mut pi);
        let p = &pi[..np];
        let x = elem(vals, consts, ops[0], i);
        let lower = (lr.len > 0).then(|| elem(vals, consts, lr, i));
        let upper = (ur.len > 0).then(|| elem(vals, consts, ur, i));
        if lower.is_some_and(|l| x < l) || upper.is_some_and(|u| x > u) {
            return Ok(T::neg_infinity());
        }
        let lp = D::lpdf(x, p, &mut d[..np + 1])?;
        // The normaliser Z = F(U) - F(L) and its partials: dZ[0] w.r.t. L,
        // dZ[1 + k] w.r.t. p_k, dZu w.r.t. U.
        let mut dz = [T::zero(); MAX_PARAMS + 1];
        let (mut dz_l, mut dz_u) = (T::zero(), T::zero());
        let logz = match (lower, upper) {
            (None, None) => T::zero(),
            (Some(l), None) => {
                let v = D::lccdf(l, p, &mut dl[..np + 1])?;
                dz[1..=np].copy_from_slice(&dl[1..=np]);
                dz_l = dl[0];
                v
            }
            (None, Some(u)) => {
                let v = D::lcdf(u, p, &mut du[..np + 1])?;
                dz[1..=np].copy_from_slice(&du[1..=np]);
                dz_u = du[0];
                v
            }
            (Some(l), Some(u)) => {
                // Use the tail where the difference is computed accurately.
                let fl = D::lcdf(l, p, &mut dl[..np + 1])?;
                if fl < T::c(-std::f64::consts::LN_2) {
                    let fu = D::lcdf(u, p, &mut du[..np + 1])?;
                    let v = log_diff_exp(fu, fl);
                    let (wu, wl) = ((fu - v).exp(), (fl - v).exp());
                    for k in 1..=np {
                        dz[k] = wu * du[k] - wl * dl[k];
                    }
                    dz_u = wu * du[0];
                    dz_l = -wl * dl[0];
                    v
                } else {
                    let sl = D::lccdf(l, p, &mut dl[..np + 1])?;
                    let su = D::lccdf(u, p, &mut du[..np + 1])?;
                    let v = log_diff_exp(sl, su);
                    let (wl, wu) = ((sl - v).exp(), (su - v).exp());
                    for k in 1..=np {
                        dz[k] = wl * dl[k] - wu * du[k];
                    }
                    dz_l = wl * dl[0];
                    dz_u = -wu * du[0];
                    v
                }
            }
        };
        total += lp - logz;
        acc(partials, po[0], i * stride(ops[0]), d[0]);
        for k in 1..=np {
            acc(partials, po[k], i * stride(ops[k]), d[k] - dz[k]);
        }
        acc(partials, po[1 + np], i * stride(lr), -dz_l);
        acc(partials, po[2 + np], i * stride(ur), -dz_u);
    }
    Ok(total)
}

fn disc_lpmf<D: Discrete, T: Real>(
    vals: &[T],
    consts: &[T],
    ints: &[i64],
    n: usize,
    ops: &[Ref],
    po: &[usize; MAXOPS],
    partials: &mut [T],
) -> Result<T, LogpError> {
    let np = D::PARAMS.len();
    let ni = D::INT_ARGS.len();
    let mut ps: [&[T]; MAX_PARAMS] = [&[]; MAX_PARAMS];
    let mut sp = [0usize; MAX_PARAMS];
    for k in 0..np {
        ps[k] = rd(vals, consts, ops[k]);
        sp[k] = stride(ops[k]);
    }
    let mut pi = [T::zero(); MAX_PARAMS];
    let mut dp = [T::zero(); MAX_PARAMS];
    let mut total = T::zero();
    for i in 0..n {
        for k in 0..np {
            pi[k] = ps[k][i * sp[k]];
        }
        total += D::lpmf_rest(&ints[i * ni..(i + 1) * ni], &pi[..np], &mut dp[..np])?;
        for k in 0..np {
            acc(partials, po[k], i * sp[k], dp[k]);
        }
    }
    Ok(total)
}
