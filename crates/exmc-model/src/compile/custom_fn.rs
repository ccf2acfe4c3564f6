//! User-supplied vector functions ([`crate::CustomFunction`]) in the forward
//! and reverse sweeps.
//!
//! Forward: the operands are copied into an f64 buffer, the function writes
//! its value and its Jacobian `J` (`out_len × n_args`, row-major); `J` is
//! kept in the partials arena at `poff`. Reverse: `adj(args) += Jᵀ adj(out)`.

use super::eval::{rd, Program};
use super::program::{Instr, Ref};
use exmc_core::{LogpError, Real};

/// Partials needed by a function of `n_args` values returning `out_len`.
pub(crate) fn partials_len(out_len: usize, n_args: usize) -> usize {
    out_len * n_args
}

pub(super) fn forward<T: Real>(p: &Program<T>, ins: &Instr, vals: &mut [T], partials: &mut [T], aux: &mut Vec<f64>) -> Result<(), LogpError> {
    let Instr::CustomFn { id, args, nargs, out, poff } = *ins else { unreachable!("custom_fn::forward on {ins:?}") };
    let ops = &p.refs[args as usize..(args + nargs) as usize];
    let n: usize = ops.iter().map(|r| r.len()).sum();
    let m = out.len();
    aux.clear();
    for &r in ops {
        aux.extend(rd(vals, &p.consts, r).iter().map(|v| v.f64()));
    }
    aux.resize(n + m + m * n, 0.0);
    let (x, rest) = aux.split_at_mut(n);
    let (y, jac) = rest.split_at_mut(m);
    let f = &p.custom_fns[id as usize].0;
    f.eval(x, y, Some(jac))?;
    if let Some(k) = y.iter().position(|v| !v.is_finite()) {
        return Err(LogpError::recoverable(format!("{}: output {} is {}", f.name(), k + 1, y[k])));
    }
    for (dst, &src) in vals[out.range()].iter_mut().zip(y.iter()) {
        *dst = T::c(src);
    }
    for (dst, &src) in partials[poff as usize..poff as usize + m * n].iter_mut().zip(jac.iter()) {
        *dst = T::c(src);
    }
    Ok(())
}

pub(super) fn reverse<T: Real>(p: &Program<T>, ins: &Instr, adj: &mut [T], partials: &[T]) {
    let Instr::CustomFn { args, nargs, out, poff, .. } = *ins else { unreachable!() };
    let ops: &[Ref] = &p.refs[args as usize..(args + nargs) as usize];
    let n: usize = ops.iter().map(|r| r.len()).sum();
    let (lo, hi) = adj.split_at_mut(out.start());
    let g = &hi[..out.len()];
    let jac = &partials[poff as usize..poff as usize + out.len() * n];
    let mut col = 0;
    for r in ops {
        if !r.is_const() {
            let a = &mut lo[r.range()];
            for (k, &gk) in g.iter().enumerate() {
                if gk != T::zero() {
                    let row = &jac[k * n + col..k * n + col + r.len()];
                    for (aj, &d) in a.iter_mut().zip(row) {
                        *aj += gk * d;
                    }
                }
            }
        }
        col += r.len();
    }
}
