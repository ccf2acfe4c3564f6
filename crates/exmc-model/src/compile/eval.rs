//! Forward and reverse sweeps over a [`Program`].

use super::{custom_fn, dist_ops, multi_ops, simd_ops};
use crate::custom::CustomRef;
use super::program::{Instr, Ref, TransformKind};
use super::scalar::{self, ScalarOp};
use super::{binary, cholesky, unary};
use crate::expr::BinaryFn;
use exmc_core::{LogpError, Real};
use exmc_math::simd::Isa;
use exmc_math::transform as tr;

/// A compiled program in precision `T`. Immutable; shared by the chains.
#[derive(Clone, Debug)]
pub(crate) struct Program<T> {
    pub instrs: Vec<Instr>,
    /// `instrs[..n_logp]` compute the log density; the rest compute output
    /// quantities only (deterministics), run when draws are written.
    pub n_logp: usize,
    pub refs: Vec<Ref>,
    pub idx: Vec<u32>,
    pub ints: Vec<i64>,
    pub consts: Vec<T>,
    pub n_vals: usize,
    pub n_partials: usize,
    pub dim: usize,
    pub customs: Vec<CustomRef>,
    pub custom_fns: Vec<crate::custom_fn::CustomFnRef>,
    /// Operations of the scalar blocks ([`Instr::Scalar`]).
    pub sops: Vec<ScalarOp>,
    /// `(slot, i)`: `vals[slot]` holds `consts[i]` (scalar constants the
    /// scalar blocks read), filled when a workspace is made.
    pub const_slots: Vec<(u32, u32)>,
    /// Vector instruction set for the hot kernels ([`simd_ops`]: the
    /// instructions that have one check it), detected when the model is
    /// compiled.
    pub isa: Isa,
}

impl Program<f64> {
    /// The same program in another precision (constants rounded).
    pub fn cast<U: Real>(&self) -> Program<U> {
        Program {
            instrs: self.instrs.clone(),
            n_logp: self.n_logp,
            refs: self.refs.clone(),
            idx: self.idx.clone(),
            ints: self.ints.clone(),
            consts: self.consts.iter().map(|&v| U::c(v)).collect(),
            n_vals: self.n_vals,
            n_partials: self.n_partials,
            dim: self.dim,
            customs: self.customs.clone(),
            custom_fns: self.custom_fns.clone(),
            sops: self.sops.clone(),
            const_slots: self.const_slots.clone(),
            isa: self.isa,
        }
    }
}

/// Mutable buffers for evaluating a program: one per chain.
#[derive(Clone, Debug)]
pub(crate) struct Workspace<T> {
    pub vals: Vec<T>,
    pub adj: Vec<T>,
    pub partials: Vec<T>,
    /// f64 buffer for user densities.
    pub aux: Vec<f64>,
}

impl<T: Real> Workspace<T> {
    pub fn new(p: &Program<T>) -> Self {
        let mut vals = vec![T::zero(); p.n_vals];
        for &(slot, i) in &p.const_slots {
            vals[slot as usize] = p.consts[i as usize];
        }
        Workspace {
            vals,
            adj: vec![T::zero(); p.n_vals],
            partials: vec![T::zero(); p.n_partials],
            aux: Vec::new(),
        }
    }
}

/// Reads an operand.
#[inline(always)]
pub(crate) fn rd<'a, T>(vals: &'a [T], consts: &'a [T], r: Ref) -> &'a [T] {
    if r.is_const() {
        &consts[r.range()]
    } else {
        &vals[r.range()]
    }
}

/// Stride of an operand in a broadcast of length `n`: 0 for scalars.
#[inline(always)]
pub(crate) fn stride(r: Ref) -> usize {
    (r.len != 1) as usize
}

impl<T: Real> Program<T> {
    /// Runs instructions `[..upto]` forward from `x`; returns the log density.
    pub fn forward(&self, ws: &mut Workspace<T>, x: &[T], upto: usize) -> Result<T, LogpError> {
        ws.vals[..self.dim].copy_from_slice(x);
        let mut target = T::zero();
        for ins in &self.instrs[..upto] {
            self.forward_one(ins, &mut ws.vals, &mut ws.partials, &mut ws.aux, &mut target)?;
        }
        Ok(target)
    }

    /// Log density and gradient.
    pub fn logp_grad(&self, ws: &mut Workspace<T>, x: &[T], grad: &mut [T]) -> Result<T, LogpError> {
        let lp = self.forward(ws, x, self.n_logp)?;
        if !lp.is_finite() {
            return Err(LogpError::recoverable(format!("log density is {} at this point", lp)));
        }
        let adj = &mut ws.adj;
        for a in adj.iter_mut() {
            *a = T::zero();
        }
        for ins in self.instrs[..self.n_logp].iter().rev() {
            self.reverse_one(ins, &ws.vals, adj, &mut ws.partials);
        }
        grad.copy_from_slice(&adj[..self.dim]);
        if let Some(i) = grad.iter().position(|g| !g.is_finite()) {
            return Err(LogpError::recoverable(format!("gradient is not finite (coordinate {i})")));
        }
        Ok(lp)
    }

    pub(crate) fn forward_one(
        &self,
        ins: &Instr,
        vals: &mut [T],
        partials: &mut [T],
        aux: &mut Vec<f64>,
        target: &mut T,
    ) -> Result<(), LogpError> {
        let consts = &self.consts[..];
        match *ins {
            Instr::Unary { f, a, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let av = rd(lo, consts, a);
                for (o, &x) in hi[..out.len()].iter_mut().zip(av) {
                    *o = unary::value(f, x);
                }
            }
            Instr::Binary { f, a, b, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let (av, bv) = (rd(lo, consts, a), rd(lo, consts, b));
                let o = &mut hi[..out.len()];
                // The common arithmetic gets loops of its own (vectorised);
                // the rest dispatch on `f` per element.
                match f {
                    BinaryFn::Add => binary_map(o, av, bv, |x, y| x + y),
                    BinaryFn::Sub => binary_map(o, av, bv, |x, y| x - y),
                    BinaryFn::Mul => binary_map(o, av, bv, |x, y| x * y),
                    BinaryFn::Div => binary_map(o, av, bv, |x, y| x / y),
                    _ => binary_map(o, av, bv, |x, y| binary::value(f, x, y)),
                }
            }
            Instr::Sum { a, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                hi[0] = sum8(rd(lo, consts, a));
            }
            Instr::Dot { a, b, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let (av, bv) = (rd(lo, consts, a), rd(lo, consts, b));
                hi[0] = av.iter().zip(bv).map(|(&x, &y)| x * y).sum();
            }
            Instr::LogSumExp { a, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                hi[0] = exmc_math::special::log_sum_exp(rd(lo, consts, a));
            }
            Instr::CumSum { a, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let mut acc = T::zero();
                for (o, &x) in hi[..out.len()].iter_mut().zip(rd(lo, consts, a)) {
                    acc += x;
                    *o = acc;
                }
            }
            Instr::MatVec { m, v, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let (mv, vv) = (rd(lo, consts, m), rd(lo, consts, v));
                let c = v.len();
                for (o, row) in hi[..out.len()].iter_mut().zip(mv.chunks_exact(c.max(1))) {
                    *o = dot4(row, vv);
                }
            }
            Instr::MatVecCols { .. } if self.isa.is_vector() => {
                simd_ops::forward(self, ins, vals, partials)?;
            }
            Instr::MatVecCols { mt, v, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let (mv, vv) = (rd(lo, consts, mt), rd(lo, consts, v));
                let o = &mut hi[..out.len()];
                o.iter_mut().for_each(|x| *x = T::zero());
                for (col, &vc) in mv.chunks_exact(out.len().max(1)).zip(vv) {
                    for (x, &m) in o.iter_mut().zip(col) {
                        *x += m * vc;
                    }
                }
            }
            Instr::Cholesky { a, out, soff } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let k = (out.len() as f64).sqrt().round() as usize;
                let s = &mut partials[soff as usize..soff as usize + cholesky::scratch_len(k)];
                cholesky::forward(rd(lo, consts, a), &mut hi[..out.len()], s, k)?;
            }
            Instr::Gather { a, idx_start, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let av = rd(lo, consts, a);
                let idx = &self.idx[idx_start as usize..idx_start as usize + out.len()];
                for (o, &i) in hi[..out.len()].iter_mut().zip(idx) {
                    *o = av[i as usize];
                }
            }
            Instr::Concat { args, n, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let mut k = 0;
                for &r in &self.refs[args as usize..(args + n) as usize] {
                    let src = rd(lo, consts, r);
                    hi[k..k + src.len()].copy_from_slice(src);
                    k += src.len();
                }
            }
            Instr::Select { c, a, b, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let (cv, av, bv) = (rd(lo, consts, c), rd(lo, consts, a), rd(lo, consts, b));
                for (i, o) in hi[..out.len()].iter_mut().enumerate() {
                    *o = if cv[i * stride(c)] != T::zero() { av[i * stride(a)] } else { bv[i * stride(b)] };
                }
            }
            Instr::Disc { .. } | Instr::Cont { .. } if self.isa.is_vector() && simd_ops::forward(self, ins, vals, partials)? => {}
            Instr::Cont { .. } | Instr::Disc { .. } => {
                dist_ops::forward(self, ins, vals, partials)?;
            }
            Instr::Multi { .. } | Instr::VTransform { .. } | Instr::Custom { .. } => {
                *target += multi_ops::forward(self, ins, vals, partials, aux)?;
            }
            Instr::CustomFn { .. } => custom_fn::forward(self, ins, vals, partials, aux)?,
            Instr::Transform { kind, y, args, nargs, out } => {
                let (lo, hi) = vals.split_at_mut(out.start());
                let yv = rd(lo, consts, y);
                let bounds = &self.refs[args as usize..(args + nargs) as usize];
                let o = &mut hi[..out.len()];
                let mut logj = T::zero();
                match kind {
                    TransformKind::Lower | TransformKind::Upper => {
                        let bv = rd(lo, consts, bounds[0]);
                        let sb = stride(bounds[0]);
                        for i in 0..o.len() {
                            let (x, lj) = if kind == TransformKind::Lower {
                                tr::lower::forward(yv[i], bv[i * sb])
                            } else {
                                tr::upper::forward(yv[i], bv[i * sb])
                            };
                            o[i] = x;
                            logj += lj;
                        }
                    }
                    TransformKind::Interval | TransformKind::OffsetMultiplier => {
                        let (av, bv) = (rd(lo, consts, bounds[0]), rd(lo, consts, bounds[1]));
                        let (sa, sb) = (stride(bounds[0]), stride(bounds[1]));
                        for i in 0..o.len() {
                            let (x, lj) = if kind == TransformKind::Interval {
                                tr::interval::forward(yv[i], av[i * sa], bv[i * sb])
                            } else {
                                tr::offset_multiplier::forward(yv[i], av[i * sa], bv[i * sb])
                            };
                            o[i] = x;
                            logj += lj;
                        }
                    }
                }
                *target += logj;
            }
            Instr::Target { a } => {
                *target += sum8(rd(vals, consts, a));
            }
            Instr::Scalar { start, n } => scalar::forward(&self.sops[start as usize..(start + n) as usize], vals),
        }
        Ok(())
    }

    pub(crate) fn reverse_one(&self, ins: &Instr, vals: &[T], adj: &mut [T], partials: &mut [T]) {
        let consts = &self.consts[..];
        match *ins {
            Instr::Unary { f, a, out } => {
                if a.is_const() {
                    return;
                }
                let (alo, ahi) = adj.split_at_mut(out.start());
                let av = &vals[a.range()];
                let ov = &vals[out.range()];
                let aa = &mut alo[a.range()];
                for i in 0..out.len() {
                    aa[i] += ahi[i] * unary::deriv(f, av[i], ov[i]);
                }
            }
            Instr::Binary { f, a, b, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let (av, bv) = (rd(vals, consts, a), rd(vals, consts, b));
                let ov = &vals[out.range()];
                let (sa, sb) = (stride(a), stride(b));
                let (ga, gb) = (!a.is_const(), !b.is_const());
                let (a0, b0) = (a.start(), b.start());
                let n = out.len();
                // Addition and subtraction: adjoints pass straight through
                // (tight loops, no per-element dispatch).
                if matches!(f, BinaryFn::Add | BinaryFn::Sub) {
                    let sign = if f == BinaryFn::Sub { -T::one() } else { T::one() };
                    let g = &ahi[..n];
                    if ga {
                        if sa == 1 {
                            alo[a0..a0 + n].iter_mut().zip(g).for_each(|(x, &gi)| *x += gi);
                        } else {
                            alo[a0] += sum8(g);
                        }
                    }
                    if gb {
                        if sb == 1 {
                            alo[b0..b0 + n].iter_mut().zip(g).for_each(|(x, &gi)| *x += sign * gi);
                        } else {
                            alo[b0] += sign * sum8(g);
                        }
                    }
                    return;
                }
                // Multiplication: ∂(ab)/∂a = b, ∂(ab)/∂b = a.
                if f == BinaryFn::Mul {
                    let g = &ahi[..n];
                    if ga {
                        add_product(&mut alo[a0..a0 + n * sa + (1 - sa)], g, bv, sa == 1);
                    }
                    if gb {
                        add_product(&mut alo[b0..b0 + n * sb + (1 - sb)], g, av, sb == 1);
                    }
                    return;
                }
                for i in 0..n {
                    let g = ahi[i];
                    let (da, db) = binary::partials(f, av[i * sa], bv[i * sb], ov[i]);
                    if ga {
                        alo[a0 + i * sa] += g * da;
                    }
                    if gb {
                        alo[b0 + i * sb] += g * db;
                    }
                }
            }
            Instr::Sum { a, out } => {
                if !a.is_const() {
                    let g = adj[out.start()];
                    adj[a.range()].iter_mut().for_each(|x| *x += g);
                }
            }
            Instr::Dot { a, b, out } => {
                let g = adj[out.start()];
                let (av, bv) = (rd(vals, consts, a), rd(vals, consts, b));
                if !a.is_const() {
                    let a0 = a.start();
                    for i in 0..a.len() {
                        adj[a0 + i] += g * bv[i];
                    }
                }
                if !b.is_const() {
                    let b0 = b.start();
                    for i in 0..b.len() {
                        adj[b0 + i] += g * av[i];
                    }
                }
            }
            Instr::LogSumExp { a, out } => {
                if !a.is_const() {
                    let g = adj[out.start()];
                    let v = vals[out.start()];
                    let a0 = a.start();
                    for i in 0..a.len() {
                        adj[a0 + i] += g * (vals[a0 + i] - v).exp();
                    }
                }
            }
            Instr::CumSum { a, out } => {
                if !a.is_const() {
                    let (alo, ahi) = adj.split_at_mut(out.start());
                    let mut acc = T::zero();
                    let a0 = a.start();
                    for i in (0..out.len()).rev() {
                        acc += ahi[i];
                        alo[a0 + i] += acc;
                    }
                }
            }
            Instr::MatVec { m, v, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let g = &ahi[..out.len()];
                let (mv, vv) = (rd(vals, consts, m), rd(vals, consts, v));
                let c = v.len();
                if !v.is_const() {
                    let av = &mut alo[v.range()];
                    for (row, &gr) in mv.chunks_exact(c.max(1)).zip(g) {
                        for (a, &mrc) in av.iter_mut().zip(row) {
                            *a += gr * mrc;
                        }
                    }
                }
                if !m.is_const() {
                    let am = &mut alo[m.range()];
                    for (arow, &gr) in am.chunks_exact_mut(c.max(1)).zip(g) {
                        for (a, &vc) in arow.iter_mut().zip(vv) {
                            *a += gr * vc;
                        }
                    }
                }
            }
            Instr::MatVecCols { .. } if self.isa.is_vector() && simd_ops::reverse(self, ins, vals, adj) => {}
            Instr::MatVecCols { mt, v, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let g = &ahi[..out.len()];
                let mv = rd(vals, consts, mt);
                let av = &mut alo[v.range()];
                for (a, col) in av.iter_mut().zip(mv.chunks_exact(out.len().max(1))) {
                    *a += dot4(col, g);
                }
            }
            Instr::Cholesky { a, out, soff } => {
                if !a.is_const() {
                    let (alo, ahi) = adj.split_at_mut(out.start());
                    let k = (out.len() as f64).sqrt().round() as usize;
                    let s = &mut partials[soff as usize..soff as usize + cholesky::scratch_len(k)];
                    cholesky::reverse(&vals[out.range()], &ahi[..out.len()], &mut alo[a.range()], s, k);
                }
            }
            Instr::Gather { a, idx_start, out } => {
                if !a.is_const() {
                    let (alo, ahi) = adj.split_at_mut(out.start());
                    let idx = &self.idx[idx_start as usize..idx_start as usize + out.len()];
                    let a0 = a.start();
                    for (&i, &g) in idx.iter().zip(&ahi[..out.len()]) {
                        alo[a0 + i as usize] += g;
                    }
                }
            }
            Instr::Concat { args, n, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let mut k = 0;
                for &r in &self.refs[args as usize..(args + n) as usize] {
                    if !r.is_const() {
                        for (a, &g) in alo[r.range()].iter_mut().zip(&ahi[k..k + r.len()]) {
                            *a += g;
                        }
                    }
                    k += r.len();
                }
            }
            Instr::Select { c, a, b, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let cv = rd(vals, consts, c);
                for i in 0..out.len() {
                    let r = if cv[i * stride(c)] != T::zero() { a } else { b };
                    if !r.is_const() {
                        alo[r.start() + i * stride(r)] += ahi[i];
                    }
                }
            }
            Instr::Cont { .. } | Instr::Disc { .. } => dist_ops::reverse(self, ins, adj, partials),
            Instr::Multi { .. } | Instr::VTransform { .. } | Instr::Custom { .. } => {
                multi_ops::reverse(self, ins, vals, adj, partials)
            }
            Instr::CustomFn { .. } => custom_fn::reverse(self, ins, adj, partials),
            Instr::Transform { kind, y, args, nargs, out } => {
                let (alo, ahi) = adj.split_at_mut(out.start());
                let yv = &vals[y.range()];
                let bounds = &self.refs[args as usize..(args + nargs) as usize];
                match kind {
                    TransformKind::Lower | TransformKind::Upper => {
                        let br = bounds[0];
                        let bv = rd(vals, consts, br);
                        let sb = stride(br);
                        for i in 0..out.len() {
                            let (ay, ab) = if kind == TransformKind::Lower {
                                tr::lower::backward(yv[i], bv[i * sb], ahi[i])
                            } else {
                                tr::upper::backward(yv[i], bv[i * sb], ahi[i])
                            };
                            alo[y.start() + i] += ay;
                            if !br.is_const() {
                                alo[br.start() + i * sb] += ab;
                            }
                        }
                    }
                    TransformKind::Interval | TransformKind::OffsetMultiplier => {
                        let (ra, rb) = (bounds[0], bounds[1]);
                        let (av, bv) = (rd(vals, consts, ra), rd(vals, consts, rb));
                        let (sa, sb) = (stride(ra), stride(rb));
                        for i in 0..out.len() {
                            let (ay, aa, ab) = if kind == TransformKind::Interval {
                                tr::interval::backward(yv[i], av[i * sa], bv[i * sb], ahi[i])
                            } else {
                                tr::offset_multiplier::backward(yv[i], av[i * sa], bv[i * sb], ahi[i])
                            };
                            alo[y.start() + i] += ay;
                            if !ra.is_const() {
                                alo[ra.start() + i * sa] += aa;
                            }
                            if !rb.is_const() {
                                alo[rb.start() + i * sb] += ab;
                            }
                        }
                    }
                }
            }
            Instr::Target { a } => {
                if !a.is_const() {
                    adj[a.range()].iter_mut().for_each(|x| *x += T::one());
                }
            }
            Instr::Scalar { start, n } => scalar::reverse(&self.sops[start as usize..(start + n) as usize], vals, adj),
        }
    }
}

/// `o = f(a, b)` elementwise, `a` and `b` of length `o.len()` or 1
/// (broadcast).
#[inline(always)]
fn binary_map<T: Real>(o: &mut [T], av: &[T], bv: &[T], f: impl Fn(T, T) -> T) {
    match (av.len(), bv.len()) {
        (1, 1) => o[0] = f(av[0], bv[0]),
        (1, _) => o.iter_mut().zip(bv).for_each(|(o, &y)| *o = f(av[0], y)),
        (_, 1) => o.iter_mut().zip(av).for_each(|(o, &x)| *o = f(x, bv[0])),
        _ => o.iter_mut().zip(av.iter().zip(bv)).for_each(|(o, (&x, &y))| *o = f(x, y)),
    }
}

/// `Σ x` in eight independent accumulators over fixed-size chunks (the
/// compiler vectorises it; a fixed order, so results are reproducible),
/// combined pairwise, then the tail in order.
#[inline]
pub(crate) fn sum8<T: Real>(x: &[T]) -> T {
    let mut acc = [T::zero(); 8];
    let c = x.chunks_exact(8);
    let r = c.remainder();
    for x in c {
        for j in 0..8 {
            acc[j] += x[j];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for &v in r {
        s += v;
    }
    s
}

/// Dot product with eight independent accumulators over fixed-size chunks
/// (the compiler vectorises it; the order of summation is fixed, so results
/// are reproducible).
#[inline]
pub(crate) fn dot4<T: Real>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [T::zero(); 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (x, y) in ra.iter().zip(rb) {
        s += *x * *y;
    }
    s
}

/// Adjoint of one factor of a product: `adj[i] += g[i] other[i]` when the
/// factor is a vector (`elementwise`), `adj[0] += Σ g[i] other[i]` when it
/// is a broadcast scalar; `other` may itself be a broadcast scalar.
#[inline(always)]
fn add_product<T: Real>(adj: &mut [T], g: &[T], other: &[T], elementwise: bool) {
    let at = |i: usize| if other.len() == 1 { other[0] } else { other[i] };
    if elementwise {
        if other.len() == 1 {
            adj.iter_mut().zip(g).for_each(|(x, &gi)| *x += gi * other[0]);
        } else {
            adj.iter_mut().zip(g.iter().zip(other)).for_each(|(x, (&gi, &oi))| *x += gi * oi);
        }
    } else {
        adj[0] += (0..g.len()).map(|i| g[i] * at(i)).sum::<T>();
    }
}
