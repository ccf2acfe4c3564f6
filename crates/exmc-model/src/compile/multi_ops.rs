//! Multivariate distributions, vector transforms and user densities in the
//! forward and reverse sweeps.
//!
//! The multivariate kernels (`exmc_math::dist`) write the partials of every
//! operand into caller buffers; each operand has its own region in the
//! partials buffer (data operands too, as write-only scratch), so the
//! reverse sweep is the generic "adjoint += output adjoint × partial".

use super::eval::{rd, Program};
use super::program::{Instr, Ref};
use crate::dist::MultiKind;
use exmc_core::{LogpError, Real};
use exmc_math::dist as k;

/// Scratch values a multivariate kernel needs, given the variate's length
/// and the parameters' lengths.
pub(crate) fn scratch_len(kind: MultiKind, variate_len: usize, param_lens: &[usize]) -> usize {
    match kind {
        MultiKind::MultiNormal => param_lens[1],
        MultiKind::LkjCorr => variate_len,
        MultiKind::Categorical | MultiKind::CategoricalLogit => param_lens[0],
        _ => 0,
    }
}

fn fatal(e: impl std::fmt::Display) -> LogpError {
    LogpError::fatal(e.to_string())
}

const MAXOPS: usize = 4;

/// Splits the partials buffer into one region per operand, plus scratch.
fn regions<'a, T>(partials: &'a mut [T], ops: &[Ref], poff: usize) -> ([&'a mut [T]; MAXOPS], &'a mut [T]) {
    let mut rest = &mut partials[poff..];
    let mut out: [&'a mut [T]; MAXOPS] = Default::default();
    for (slot, r) in out.iter_mut().zip(ops) {
        let (a, b) = std::mem::take(&mut rest).split_at_mut(r.len());
        *slot = a;
        rest = b;
    }
    (out, rest)
}

/// Forward sweep of a multivariate / vector-transform / custom instruction.
/// Returns what it adds to the target directly (a transform's log-Jacobian).
pub(super) fn forward<T: Real>(
    p: &Program<T>,
    ins: &Instr,
    vals: &mut [T],
    partials: &mut [T],
    aux: &mut Vec<f64>,
) -> Result<T, LogpError> {
    let consts = &p.consts[..];
    match *ins {
        Instr::Multi { kind, args, nargs, ioff, ni, out, poff, scratch } => {
            let ops = &p.refs[args as usize..(args + nargs) as usize];
            let (lo, hi) = vals.split_at_mut(out.start());
            let mut v: [&[T]; MAXOPS] = [&[]; MAXOPS];
            for (slot, &r) in v.iter_mut().zip(ops) {
                *slot = rd(lo, consts, r);
            }
            let (mut d, rest) = regions(partials, ops, poff as usize);
            let scratch = &mut rest[..scratch as usize];
            let lp = match kind {
                MultiKind::Dirichlet => {
                    let (dx, da) = two(&mut d);
                    k::dirichlet_lpdf(v[0], v[1], dx, da)?
                }
                MultiKind::MultiNormal => {
                    let [dx, dmu, ds] = three(&mut d);
                    k::multi_normal_lpdf(v[0], v[1], v[2], dx, dmu, ds, scratch)?
                }
                MultiKind::MultiNormalCholesky => {
                    let [dx, dmu, dl] = three(&mut d);
                    k::multi_normal_cholesky_lpdf(v[0], v[1], v[2], dx, dmu, dl)?
                }
                MultiKind::LkjCorrCholesky | MultiKind::LkjCorr => {
                    let n = ops[0].len();
                    let kk = (n as f64).sqrt().round() as usize;
                    let (dl, de) = two(&mut d);
                    let mut deta = T::zero();
                    let lp = if kind == MultiKind::LkjCorr {
                        k::lkj_corr_lpdf(v[0], kk, v[1][0], dl, &mut deta, scratch)?
                    } else {
                        k::lkj_corr_cholesky_lpdf(v[0], kk, v[1][0], dl, &mut deta)?
                    };
                    de[0] = deta;
                    lp
                }
                MultiKind::Categorical | MultiKind::CategoricalLogit => {
                    let ints = &p.ints[ioff as usize..(ioff + ni) as usize];
                    let theta = v[0];
                    let acc = &mut d[0];
                    acc.iter_mut().for_each(|x| *x = T::zero());
                    let mut lp = T::zero();
                    for &n in ints {
                        let idx = (n - 1) as usize;
                        lp += if kind == MultiKind::Categorical {
                            k::categorical_lpmf(idx, theta, scratch)?
                        } else {
                            k::categorical_logit_lpmf(idx, theta, scratch)?
                        };
                        for (a, &s) in acc.iter_mut().zip(scratch.iter()) {
                            *a += s;
                        }
                    }
                    lp
                }
                MultiKind::GaussianRandomWalk => {
                    let (dx, ds) = two(&mut d);
                    let mut dinit = [T::zero(); 2];
                    let mut dsigma = T::zero();
                    let lp = k::gaussian_random_walk_lpdf(v[0], None, v[1][0], dx, &mut dinit, &mut dsigma)?;
                    ds[0] = dsigma;
                    lp
                }
            };
            hi[0] = lp;
            Ok(T::zero())
        }
        Instr::VTransform { t, y, out, soff } => {
            let (lo, hi) = vals.split_at_mut(out.start());
            let scratch = &mut partials[soff as usize..soff as usize + t.scratch_len()];
            t.forward(&lo[y.range()], &mut hi[..out.len()], scratch).map_err(fatal)
        }
        Instr::Custom { id, args, nargs, out, poff } => {
            // Arguments and gradient pass through an f64 buffer (grown once).
            let ops = &p.refs[args as usize..(args + nargs) as usize];
            let n: usize = ops.iter().map(|r| r.len()).sum();
            aux.clear();
            for &r in ops {
                aux.extend(rd(vals, consts, r).iter().map(|v| v.f64()));
            }
            aux.resize(2 * n, 0.0);
            let (x, g) = aux.split_at_mut(n);
            let lp = p.customs[id as usize].0.logp_grad(x, g)?;
            for (dst, &src) in partials[poff as usize..poff as usize + n].iter_mut().zip(g.iter()) {
                *dst = T::c(src);
            }
            vals[out.start()] = T::c(lp);
            Ok(T::zero())
        }
        _ => unreachable!("multi_ops::forward on {ins:?}"),
    }
}

pub(super) fn reverse<T: Real>(p: &Program<T>, ins: &Instr, vals: &[T], adj: &mut [T], partials: &mut [T]) {
    match *ins {
        Instr::Multi { args, nargs, out, poff, .. } | Instr::Custom { args, nargs, out, poff, .. } => {
            let ops = &p.refs[args as usize..(args + nargs) as usize];
            let g = adj[out.start()];
            let mut off = poff as usize;
            for r in ops {
                if !r.is_const() {
                    for (a, &d) in adj[r.range()].iter_mut().zip(&partials[off..off + r.len()]) {
                        *a += g * d;
                    }
                }
                off += r.len();
            }
        }
        Instr::VTransform { t, y, out, soff } => {
            let (alo, ahi) = adj.split_at_mut(out.start());
            let scratch = &mut partials[soff as usize..soff as usize + t.scratch_len()];
            // Shapes were checked when the program was built.
            let _ = t.backward(&vals[y.range()], &vals[out.range()], &ahi[..out.len()], &mut alo[y.range()], scratch);
        }
        _ => unreachable!(),
    }
}

fn two<'a, T>(d: &'a mut [&mut [T]]) -> (&'a mut [T], &'a mut [T]) {
    let (a, b) = d.split_at_mut(1);
    (&mut *a[0], &mut *b[0])
}

fn three<'a, T>(d: &'a mut [&mut [T]]) -> [&'a mut [T]; 3] {
    let (a, rest) = d.split_at_mut(1);
    let (b, c) = rest.split_at_mut(1);
    [&mut *a[0], &mut *b[0], &mut *c[0]]
}
