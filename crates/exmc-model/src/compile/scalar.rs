//! Scalar blocks: runs of single-value arithmetic run as one instruction.
//!
//! A loop with a carried state (an ARMA error recursion
//! `err[t] = y[t] - (mu + phi y[t-1] + theta err[t-1])`, a GARCH variance,
//! a user recursion) traces into one scalar node per operation, and no
//! vectorisation applies since each step needs the previous one. Run as
//! generic [`Instr::Unary`] / [`Instr::Binary`], each costs a dispatch over
//! the whole instruction set, a constant-or-value branch per operand, slice
//! splitting and a loop of length one, forward and reverse.
//!
//! This pass (run on the lowered program) replaces each maximal run of
//! consecutive scalar `Unary` / `Binary` instructions (and `log_sum_exp`
//! of two scalars, a `Concat` + `LogSumExp` pair) by one
//! [`Instr::Scalar`] over a compact array of [`ScalarOp`]s whose operands
//! are plain indices into `vals`: every scalar constant such an operation
//! reads gets a slot of its own at the end of `vals`, filled once per
//! workspace (`Program::const_slots`). Within a run, a product read by
//! nothing else is fused into the operation that consumes it
//! (`a b + c`, `c - a b`, `a b - c`, `a b + c d`, `d - (a b + c)`; a square
//! read once as a factor: `a (b b)`, `a (b b) + c`), with the
//! operations evaluated in the same order, so values are unchanged bit for
//! bit and gradients to rounding (only the order in which adjoints reach a
//! shared operand can change).

use super::eval::Program;
use super::program::{Instr, Ref};
use super::{binary, unary};
use crate::expr::{BinaryFn, UnaryFn};
use exmc_core::Real;
use exmc_math::special::log_sum_exp;
use std::collections::HashMap;

/// What a [`ScalarOp`] computes from `vals[a]`, `vals[b]`, `vals[c]`,
/// `vals[d]` (operands past the arity are unused).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a b + c`.
    MulAdd,
    /// `a b - c`.
    MulSub,
    /// `c - a b`.
    SubMul,
    /// `d - (a b + c)`.
    SubMulAdd,
    /// `a b + c d`.
    MulAddMul,
    /// `a (b b)`.
    MulSq,
    /// `a (b b) + c`.
    MulSqAdd,
    /// `log(exp(a) + exp(b))`, as the vector `LogSumExp` of `(a, b)` computes it.
    Lse2,
    /// `f(a)`.
    Un(UnaryFn),
    /// `f(a, b)`.
    Bin(BinaryFn),
}

/// One operation of a scalar block: `vals[out] = op(vals[a], ..)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScalarOp {
    pub op: SOp,
    pub a: u32,
    pub b: u32,
    pub c: u32,
    pub d: u32,
    pub out: u32,
}

/// Forward sweep of a block (not inlined: kept out of the generic
/// dispatch, whose code layout the small programs are sensitive to).
#[inline(never)]
pub(crate) fn forward<T: Real>(ops: &[ScalarOp], vals: &mut [T]) {
    for o in ops {
        let (a, b) = (vals[o.a as usize], vals[o.b as usize]);
        let v = match o.op {
            SOp::Add => a + b,
            SOp::Sub => a - b,
            SOp::Mul => a * b,
            SOp::Div => a / b,
            SOp::MulAdd => a * b + vals[o.c as usize],
            SOp::MulSub => a * b - vals[o.c as usize],
            SOp::SubMul => vals[o.c as usize] - a * b,
            SOp::SubMulAdd => vals[o.d as usize] - (a * b + vals[o.c as usize]),
            SOp::MulAddMul => a * b + vals[o.c as usize] * vals[o.d as usize],
            SOp::MulSq => a * (b * b),
            SOp::MulSqAdd => a * (b * b) + vals[o.c as usize],
            SOp::Lse2 => log_sum_exp(&[a, b]),
            // The common functions inline (the same formulas as `unary`).
            SOp::Un(UnaryFn::Square) => a * a,
            SOp::Un(UnaryFn::Sqrt) => a.sqrt(),
            SOp::Un(UnaryFn::Exp) => a.exp(),
            SOp::Un(UnaryFn::Log) => a.ln(),
            SOp::Un(UnaryFn::Neg) => -a,
            SOp::Un(f) => unary::value(f, a),
            SOp::Bin(f) => binary::value(f, a, b),
        };
        vals[o.out as usize] = v;
    }
}

/// Reverse sweep of a block: adds each operation's contribution to the
/// adjoints of its operands, last operation first. Adjoints of a fused
/// product's factors are `g · (other factor)`, as the unfused product's
/// would be, the product's own adjoint being exactly `±g`.
#[inline]
pub(crate) fn reverse<T: Real>(ops: &[ScalarOp], vals: &[T], adj: &mut [T]) {
    for o in ops.iter().rev() {
        let g = adj[o.out as usize];
        let (a, b, c, d) = (o.a as usize, o.b as usize, o.c as usize, o.d as usize);
        match o.op {
            SOp::Add => {
                adj[a] += g;
                adj[b] += g;
            }
            SOp::Sub => {
                adj[a] += g;
                adj[b] -= g;
            }
            SOp::Mul => {
                adj[a] += g * vals[b];
                adj[b] += g * vals[a];
            }
            SOp::Div => {
                let ib = vals[b].recip();
                adj[a] += g * ib;
                adj[b] += g * (-vals[o.out as usize] * ib);
            }
            SOp::MulAdd => {
                adj[c] += g;
                adj[a] += g * vals[b];
                adj[b] += g * vals[a];
            }
            SOp::MulSub => {
                adj[c] -= g;
                adj[a] += g * vals[b];
                adj[b] += g * vals[a];
            }
            SOp::SubMul => {
                adj[c] += g;
                let h = -g;
                adj[a] += h * vals[b];
                adj[b] += h * vals[a];
            }
            SOp::SubMulAdd => {
                adj[d] += g;
                let h = -g;
                adj[c] += h;
                adj[a] += h * vals[b];
                adj[b] += h * vals[a];
            }
            SOp::MulAddMul => {
                adj[a] += g * vals[b];
                adj[b] += g * vals[a];
                adj[c] += g * vals[d];
                adj[d] += g * vals[c];
            }
            SOp::MulSq => {
                adj[a] += g * (vals[b] * vals[b]);
                let h = g * vals[a];
                adj[b] += h * (vals[b] + vals[b]);
            }
            SOp::MulSqAdd => {
                adj[c] += g;
                adj[a] += g * (vals[b] * vals[b]);
                let h = g * vals[a];
                adj[b] += h * (vals[b] + vals[b]);
            }
            SOp::Lse2 => {
                let v = vals[o.out as usize];
                adj[a] += g * (vals[a] - v).exp();
                adj[b] += g * (vals[b] - v).exp();
            }
            SOp::Un(UnaryFn::Square) => adj[a] += g * (vals[a] + vals[a]),
            SOp::Un(UnaryFn::Sqrt) => adj[a] += g * (T::c(0.5) / vals[o.out as usize]),
            SOp::Un(UnaryFn::Exp) => adj[a] += g * vals[o.out as usize],
            SOp::Un(UnaryFn::Log) => adj[a] += g * vals[a].recip(),
            SOp::Un(UnaryFn::Neg) => adj[a] += g * -T::one(),
            SOp::Un(f) => {
                adj[a] += g * unary::deriv(f, vals[a], vals[o.out as usize]);
            }
            SOp::Bin(f) => {
                let (da, db) = binary::partials(f, vals[a], vals[b], vals[o.out as usize]);
                adj[a] += g * da;
                adj[b] += g * db;
            }
        }
    }
}

/// The scalar operation that the instructions at the start of `ins` make,
/// with its operands (not yet resolved to slots) and how many instructions
/// it takes: a scalar `Unary` / `Binary`, or the pair `Concat` of two
/// scalars read only by a `LogSumExp` (the forward algorithm of a
/// two-state HMM, `log_sum_exp({a, b})`).
fn scalar_form(p: &Program<f64>, ins: &[Instr], uses: &[u32]) -> Option<(SOp, [Ref; 2], u32, usize)> {
    match ins[0] {
        Instr::Unary { f, a, out } if a.len == 1 && out.len == 1 => Some((SOp::Un(f), [a, a], out.off, 1)),
        Instr::Binary { f, a, b, out } if a.len == 1 && b.len == 1 && out.len == 1 => {
            let op = match f {
                BinaryFn::Add => SOp::Add,
                BinaryFn::Sub => SOp::Sub,
                BinaryFn::Mul => SOp::Mul,
                BinaryFn::Div => SOp::Div,
                f => SOp::Bin(f),
            };
            Some((op, [a, b], out.off, 1))
        }
        Instr::Concat { args, n: 2, out } => match ins.get(1) {
            Some(&Instr::LogSumExp { a, out: lse }) if a == out && out.range().all(|s| uses[s] == 1) => {
                let r = &p.refs[args as usize..args as usize + 2];
                (r[0].len == 1 && r[1].len == 1).then_some((SOp::Lse2, [r[0], r[1]], lse.off, 2))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Calls `f` with every range an instruction reads.
fn for_each_read(p: &Program<f64>, ins: &Instr, mut f: impl FnMut(Ref)) {
    let list = |args: u32, n: u32, f: &mut dyn FnMut(Ref)| {
        for &r in &p.refs[args as usize..(args + n) as usize] {
            f(r);
        }
    };
    match *ins {
        Instr::Unary { a, .. }
        | Instr::Sum { a, .. }
        | Instr::LogSumExp { a, .. }
        | Instr::CumSum { a, .. }
        | Instr::Cholesky { a, .. }
        | Instr::Gather { a, .. }
        | Instr::Target { a } => f(a),
        Instr::Binary { a, b, .. } | Instr::Dot { a, b, .. } => {
            f(a);
            f(b);
        }
        Instr::MatVec { m, v, .. } | Instr::MatVecCols { mt: m, v, .. } => {
            f(m);
            f(v);
        }
        Instr::Select { c, a, b, .. } => {
            f(c);
            f(a);
            f(b);
        }
        Instr::VTransform { y, .. } => f(y),
        Instr::Transform { y, args, nargs, .. } => {
            f(y);
            list(args, nargs, &mut f);
        }
        Instr::Concat { args, n: nargs, .. }
        | Instr::Cont { args, nargs, .. }
        | Instr::Disc { args, nargs, .. }
        | Instr::Multi { args, nargs, .. }
        | Instr::Custom { args, nargs, .. }
        | Instr::CustomFn { args, nargs, .. } => list(args, nargs, &mut f),
        Instr::Scalar { start, n } => {
            for o in &p.sops[start as usize..(start + n) as usize] {
                for s in operands(o) {
                    f(Ref { off: s, len: 1 });
                }
            }
        }
    }
}

/// The `vals` slots an operation reads.
fn operands(o: &ScalarOp) -> Vec<u32> {
    match o.op {
        SOp::Un(_) => vec![o.a],
        SOp::Add | SOp::Sub | SOp::Mul | SOp::Div | SOp::MulSq | SOp::Lse2 | SOp::Bin(_) => vec![o.a, o.b],
        SOp::MulAdd | SOp::MulSub | SOp::SubMul | SOp::MulSqAdd => vec![o.a, o.b, o.c],
        SOp::SubMulAdd | SOp::MulAddMul => vec![o.a, o.b, o.c, o.d],
    }
}

/// The pass: scalar runs of `prog.instrs` become [`Instr::Scalar`] blocks
/// (the log density's instructions and the output-only ones separately).
/// `outputs` are the ranges read from outside the program (reported values).
pub(super) fn build_blocks(prog: &mut Program<f64>, outputs: &[Ref]) {
    // How often each value slot is read.
    let mut uses = vec![0u32; prog.n_vals];
    let mut count = |r: Ref| {
        if !r.is_const() {
            for s in r.range() {
                uses[s] += 1;
            }
        }
    };
    for ins in &prog.instrs {
        for_each_read(prog, ins, &mut count);
    }
    outputs.iter().for_each(|&r| count(r));

    let instrs = std::mem::take(&mut prog.instrs);
    let mut const_slot: HashMap<u32, u32> = HashMap::new();
    let sections = [0..prog.n_logp, prog.n_logp..instrs.len()];
    for (k, section) in sections.into_iter().enumerate() {
        let mut i = section.start;
        while i < section.end {
            let mut j = i;
            let mut ops: Vec<ScalarOp> = Vec::new();
            while j < section.end {
                let Some((op, [a, b], out, len)) = scalar_form(prog, &instrs[j..section.end], &uses) else { break };
                j += len;
                // Scalar constants get a value slot of their own.
                let mut slot = |r: Ref| {
                    if r.is_const() {
                        *const_slot.entry(r.start() as u32).or_insert_with(|| {
                            let s = prog.n_vals as u32;
                            prog.n_vals += 1;
                            prog.const_slots.push((s, r.start() as u32));
                            s
                        })
                    } else {
                        r.start() as u32
                    }
                };
                let (a, b) = (slot(a), slot(b));
                ops.push(ScalarOp { op, a, b, c: a, d: a, out });
            }
            if ops.is_empty() {
                prog.instrs.push(instrs[i].clone());
                i += 1;
                continue;
            }
            let ops = fuse(ops, &uses);
            let start = prog.sops.len() as u32;
            prog.sops.extend_from_slice(&ops);
            prog.instrs.push(Instr::Scalar { start, n: ops.len() as u32 });
            i = j;
        }
        if k == 0 {
            prog.n_logp = prog.instrs.len();
        }
    }
}

/// Fuses products read once (by an operation of the same block) into their
/// reader; see the module documentation for the forms.
fn fuse(mut ops: Vec<ScalarOp>, uses: &[u32]) -> Vec<ScalarOp> {
    let mut producer: HashMap<u32, usize> = HashMap::new();
    let mut dead = vec![false; ops.len()];
    for i in 0..ops.len() {
        let o = ops[i];
        // A single-use product (or `a b + c`) made earlier in this block.
        let fusable = |s: u32, want: SOp| -> Option<usize> {
            let &j = producer.get(&s)?;
            let single = (s as usize) < uses.len() && uses[s as usize] == 1;
            (single && !dead[j] && ops[j].op == want).then_some(j)
        };
        let fused = match o.op {
            SOp::Add => match (fusable(o.a, SOp::Mul), fusable(o.b, SOp::Mul)) {
                (Some(j), Some(k)) => Some((vec![j, k], ScalarOp { op: SOp::MulAddMul, a: ops[j].a, b: ops[j].b, c: ops[k].a, d: ops[k].b, out: o.out })),
                (None, Some(k)) => Some((vec![k], ScalarOp { op: SOp::MulAdd, a: ops[k].a, b: ops[k].b, c: o.a, d: o.a, out: o.out })),
                (Some(j), None) => Some((vec![j], ScalarOp { op: SOp::MulAdd, a: ops[j].a, b: ops[j].b, c: o.b, d: o.b, out: o.out })),
                (None, None) => {
                    let (x, j) = match fusable(o.b, SOp::MulSq) {
                        Some(k) => (o.a, Some(k)),
                        None => (o.b, fusable(o.a, SOp::MulSq)),
                    };
                    j.map(|j| (vec![j], ScalarOp { op: SOp::MulSqAdd, a: ops[j].a, b: ops[j].b, c: x, d: x, out: o.out }))
                }
            },
            // `x (z z)` from a square read only here.
            SOp::Mul => {
                let square = SOp::Un(UnaryFn::Square);
                let (x, j) = match fusable(o.b, square) {
                    Some(k) => (o.a, Some(k)),
                    None => (o.b, fusable(o.a, square)),
                };
                j.map(|j| (vec![j], ScalarOp { op: SOp::MulSq, a: x, b: ops[j].a, c: x, d: x, out: o.out }))
            }
            SOp::Sub => {
                if let Some(k) = fusable(o.b, SOp::Mul) {
                    Some((vec![k], ScalarOp { op: SOp::SubMul, a: ops[k].a, b: ops[k].b, c: o.a, d: o.a, out: o.out }))
                } else if let Some(k) = fusable(o.b, SOp::MulAdd) {
                    Some((vec![k], ScalarOp { op: SOp::SubMulAdd, a: ops[k].a, b: ops[k].b, c: ops[k].c, d: o.a, out: o.out }))
                } else {
                    fusable(o.a, SOp::Mul).map(|j| (vec![j], ScalarOp { op: SOp::MulSub, a: ops[j].a, b: ops[j].b, c: o.b, d: o.b, out: o.out }))
                }
            }
            _ => None,
        };
        if let Some((gone, new)) = fused {
            for g in gone {
                dead[g] = true;
            }
            ops[i] = new;
        }
        producer.insert(ops[i].out, i);
    }
    ops.into_iter().zip(dead).filter(|(_, d)| !d).map(|(o, _)| o).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one operation forward and reverse on `vals` (operands in slots
    /// 0..4, output in slot 4) with output adjoint 1.
    fn run<T: Real>(op: SOp, x: [f64; 4]) -> (T, [T; 4]) {
        let o = ScalarOp { op, a: 0, b: 1, c: 2, d: 3, out: 4 };
        let mut vals: Vec<T> = x.iter().map(|&v| T::c(v)).chain([T::zero()]).collect();
        forward(&[o], &mut vals);
        let mut adj = vec![T::zero(); 5];
        adj[4] = T::one();
        reverse(&[o], &vals, &mut adj);
        (vals[4], [adj[0], adj[1], adj[2], adj[3]])
    }

    fn reference(op: SOp, x: [f64; 4]) -> f64 {
        let [a, b, c, d] = x;
        match op {
            SOp::Add => a + b,
            SOp::Sub => a - b,
            SOp::Mul => a * b,
            SOp::Div => a / b,
            SOp::MulAdd => a * b + c,
            SOp::MulSub => a * b - c,
            SOp::SubMul => c - a * b,
            SOp::SubMulAdd => d - (a * b + c),
            SOp::MulAddMul => a * b + c * d,
            SOp::MulSq => a * (b * b),
            SOp::MulSqAdd => a * (b * b) + c,
            SOp::Lse2 => log_sum_exp(&[a, b]),
            SOp::Un(f) => unary::value(f, a),
            SOp::Bin(f) => binary::value(f, a, b),
        }
    }

    const OPS: [SOp; 20] = [
        SOp::Lse2,
        SOp::MulSq,
        SOp::MulSqAdd,
        SOp::Un(UnaryFn::Exp),
        SOp::Un(UnaryFn::Log),
        SOp::Un(UnaryFn::Neg),
        SOp::Un(UnaryFn::Log1p),
        SOp::Add,
        SOp::Sub,
        SOp::Mul,
        SOp::Div,
        SOp::MulAdd,
        SOp::MulSub,
        SOp::SubMul,
        SOp::SubMulAdd,
        SOp::MulAddMul,
        SOp::Un(UnaryFn::Sqrt),
        SOp::Un(UnaryFn::Square),
        SOp::Bin(BinaryFn::Pow),
        SOp::Bin(BinaryFn::LogSumExp),
    ];

    #[test]
    fn each_operation_matches_its_formula_and_finite_differences_f64() {
        let x = [1.3, 0.7, -2.1, 0.4];
        for op in OPS {
            let (v, g) = run::<f64>(op, x);
            assert_eq!(v, reference(op, x), "{op:?} value");
            if let SOp::Un(f) = op {
                // Bit for bit what the generic instruction computes.
                assert_eq!(g[0], unary::deriv(f, x[0], v), "{op:?} derivative");
            }
            for k in 0..4 {
                let h = 1e-6;
                let (mut up, mut dn) = (x, x);
                up[k] += h;
                dn[k] -= h;
                let fd = (reference(op, up) - reference(op, dn)) / (2.0 * h);
                assert!((g[k] - fd).abs() < 1e-7 * fd.abs().max(1.0), "{op:?} d/dx{k}: {} vs {fd}", g[k]);
            }
        }
    }

    #[test]
    fn each_operation_matches_in_f32() {
        let x = [1.3, 0.7, -2.1, 0.4];
        for op in OPS {
            let (v64, g64) = run::<f64>(op, x);
            let (v32, g32) = run::<f32>(op, x);
            assert!((v32 as f64 - v64).abs() < 1e-5 * v64.abs().max(1.0), "{op:?} value {v32} vs {v64}");
            for k in 0..4 {
                assert!((g32[k] as f64 - g64[k]).abs() < 1e-5 * g64[k].abs().max(1.0), "{op:?} d/dx{k}");
            }
        }
    }

    fn mul(a: u32, b: u32, out: u32) -> ScalarOp {
        ScalarOp { op: SOp::Mul, a, b, c: a, d: a, out }
    }
    fn bin(op: SOp, a: u32, b: u32, out: u32) -> ScalarOp {
        ScalarOp { op, a, b, c: a, d: a, out }
    }

    #[test]
    fn single_use_products_fuse_and_shared_ones_do_not() {
        // ARMA step: t1 = theta e; t2 = phi y; t3 = mu + t2; t4 = t3 + t1; e' = y' - t4.
        let (theta, e, phi, y, mu, y2) = (0, 1, 2, 3, 4, 5);
        let ops = vec![
            mul(theta, e, 10),
            mul(phi, y, 11),
            bin(SOp::Add, mu, 11, 12),
            bin(SOp::Add, 12, 10, 13),
            bin(SOp::Sub, y2, 13, 14),
        ];
        let mut uses = vec![1u32; 20];
        let fused = fuse(ops.clone(), &uses);
        assert_eq!(fused.len(), 2, "{fused:?}");
        assert_eq!(fused[0], ScalarOp { op: SOp::MulAdd, a: phi, b: y, c: mu, d: mu, out: 12 });
        assert_eq!(fused[1], ScalarOp { op: SOp::SubMulAdd, a: theta, b: e, c: 12, d: y2, out: 14 });
        // The product `theta e` is also read elsewhere: it stays.
        uses[10] = 2;
        let fused = fuse(ops, &uses);
        assert_eq!(fused.len(), 4, "{fused:?}");
        assert_eq!(fused[0], mul(theta, e, 10));
    }

    #[test]
    fn both_products_of_a_sum_fuse() {
        let ops = vec![mul(0, 1, 10), mul(2, 3, 11), bin(SOp::Add, 10, 11, 12), bin(SOp::Sub, 12, 4, 13)];
        let fused = fuse(ops, &[1; 20]);
        assert_eq!(fused, vec![ScalarOp { op: SOp::MulAddMul, a: 0, b: 1, c: 2, d: 3, out: 12 }, bin(SOp::Sub, 12, 4, 13)]);
        let ops = vec![mul(0, 1, 10), bin(SOp::Sub, 10, 4, 13)];
        assert_eq!(fuse(ops, &[1; 20]), vec![ScalarOp { op: SOp::MulSub, a: 0, b: 1, c: 4, d: 4, out: 13 }]);
        // GARCH: `a0 + a1 square(d)` is one operation.
        let sq = ScalarOp { op: SOp::Un(UnaryFn::Square), a: 2, b: 2, c: 2, d: 2, out: 10 };
        let ops = vec![sq, mul(10, 1, 11), bin(SOp::Add, 0, 11, 12)];
        assert_eq!(fuse(ops, &[1; 20]), vec![ScalarOp { op: SOp::MulSqAdd, a: 1, b: 2, c: 0, d: 0, out: 12 }]);
    }

    use crate::dist::{exponential, normal};
    use crate::expr::concat;
    use crate::{Expr, Model};
    use exmc_core::LogDensity;

    fn series(n: usize) -> Vec<f64> {
        (0..n).map(|i| 1.0 + (i as f64 * 0.37).sin() + 0.3 * (i as f64 * 5.1).cos()).collect()
    }

    /// ARMA(1,1) as a Stan loop traces it: one scalar node per operation;
    /// a deterministic reads one product of the recursion, so that product
    /// must stay unfused.
    fn arma(n: usize) -> Model {
        let y = series(n);
        let mut m = Model::new();
        let mu = m.param("mu", normal(0.0, 10.0)).unwrap();
        let phi = m.param("phi", normal(0.0, 2.0)).unwrap();
        let theta = m.param("theta", normal(0.0, 2.0)).unwrap();
        let sigma = m.param("sigma", exponential(1.0)).unwrap();
        let mut nu = vec![&mu + &phi * &mu];
        let mut err = vec![Expr::scalar(y[0]) - &nu[0]];
        let mut shared = None;
        for t in 1..n {
            let ma = &theta * &err[t - 1];
            if t == 3 {
                shared = Some(ma.clone());
            }
            nu.push(&mu + &phi * Expr::scalar(y[t - 1]) + ma);
            err.push(Expr::scalar(y[t]) - &nu[t]);
        }
        // Observed (not a factor), so the graph reaches the compiler as
        // built and the deterministic shares the product's node.
        m.observe("y", normal(concat(&nu), &sigma), y.clone()).unwrap();
        m.deterministic("ma3", shared.unwrap()).unwrap();
        m
    }

    /// A GARCH(1,1)-like variance recursion with square roots, squares,
    /// a division and a power: the generic operations inside a block.
    fn garch(n: usize) -> Model {
        let y = series(n);
        let mut m = Model::new();
        let mu = m.param("mu", normal(0.0, 1.0)).unwrap();
        let a0 = m.param("a0", exponential(1.0)).unwrap();
        let a1 = m.param("a1", exponential(2.0)).unwrap();
        let b1 = m.param("b1", exponential(2.0)).unwrap();
        let mut s = vec![Expr::scalar(0.5)];
        let mut z = vec![];
        for t in 1..n {
            let dev = Expr::scalar(y[t - 1]) - &mu;
            let v = &a0 + &a1 * dev.square() + &b1 * s[t - 1].square();
            s.push(v.sqrt());
            z.push((Expr::scalar(y[t]) - &mu) / &s[t] + s[t].pow(Expr::scalar(0.3)) * 0.01);
        }
        m.factor("z", normal(0.0, 1.0).lpdf(concat(&z))).unwrap();
        m.factor("jac", -concat(&s[1..]).ln().sum()).unwrap();
        m
    }

    /// Compiles `m` with and without scalar blocks; values, gradients (f64
    /// to 1e-12, f32 to single precision) and reported values must agree.
    /// Returns the number of log-density instructions with blocks.
    fn same_with_and_without_blocks(m: &Model, points: &[Vec<f64>]) -> usize {
        let opts = super::super::CompileOptions::default();
        let on = super::super::lower::lower_with(m, &opts, true).unwrap();
        let off = super::super::lower::lower_with(m, &opts, false).unwrap();
        let (n_on, n_off) = (on.instruction_count().0, off.instruction_count().0);
        assert!(n_on * 10 < n_off, "{n_on} instructions with blocks, {n_off} without");
        let (mut d_on, mut d_off) = (on.density::<f64>(), off.density::<f64>());
        let (mut s_on, mut s_off) = (on.density::<f32>(), off.density::<f32>());
        for x in points {
            let (mut g_on, mut g_off) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            let l_on = d_on.logp_grad(x, &mut g_on).unwrap();
            let l_off = d_off.logp_grad(x, &mut g_off).unwrap();
            assert!((l_on - l_off).abs() <= 1e-12 * l_off.abs().max(1.0), "{l_on} vs {l_off}");
            for (p, q) in g_on.iter().zip(&g_off) {
                assert!((p - q).abs() <= 1e-12 * q.abs().max(1.0), "{g_on:?} vs {g_off:?}");
            }
            assert_eq!(d_on.constrained_values(x).unwrap(), d_off.constrained_values(x).unwrap());
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let (mut g_on, mut g_off) = (vec![0.0f32; x.len()], vec![0.0f32; x.len()]);
            let l_on = s_on.logp_grad(&x32, &mut g_on).unwrap();
            let l_off = s_off.logp_grad(&x32, &mut g_off).unwrap();
            assert!((l_on - l_off).abs() <= 1e-4 * l_off.abs().max(1.0), "f32: {l_on} vs {l_off}");
            for (p, q) in g_on.iter().zip(&g_off) {
                assert!((p - q).abs() <= 1e-3 * q.abs().max(1.0), "f32: {g_on:?} vs {g_off:?}");
            }
        }
        n_on
    }

    #[test]
    fn arma_recursion_same_with_and_without_blocks() {
        let points = vec![vec![0.3, 0.5, -0.4, 0.1], vec![-1.2, -0.3, 0.7, -0.8], vec![0.9, 0.95, 0.2, 0.4]];
        same_with_and_without_blocks(&arma(150), &points);
    }

    #[test]
    fn garch_recursion_same_with_and_without_blocks() {
        let points = vec![vec![0.3, 0.5, -0.4, 0.1], vec![-1.2, -0.3, -1.7, -0.8], vec![0.9, 0.2, -2.0, -0.5]];
        same_with_and_without_blocks(&garch(120), &points);
    }

    /// The forward algorithm of a two-state HMM with normal emissions:
    /// `gamma[t, k] = log_sum_exp(gamma[t-1, j] + log theta[j, k] + lpdf)`
    /// over `j`, one `Concat` + `LogSumExp` of two scalars per state and step.
    fn hmm(n: usize) -> Model {
        let y = series(n);
        let mut m = Model::new();
        let mu1 = m.param("mu1", normal(0.0, 3.0)).unwrap();
        let mu2 = m.param("mu2", normal(2.0, 3.0)).unwrap();
        let p1 = m.param("p1", normal(0.0, 1.0)).unwrap();
        let p2 = m.param("p2", normal(0.0, 1.0)).unwrap();
        // log theta[j, k] for two states: log(inv_logit(p)), log(1 - inv_logit(p)).
        let lt = [[p1.log_inv_logit(), p1.log1m_inv_logit()], [p2.log_inv_logit(), p2.log1m_inv_logit()]];
        let mu = [&mu1, &mu2];
        let emit = |t: usize, k: usize| -(Expr::scalar(y[t]) - mu[k]).square() * 0.5;
        let mut gamma = [emit(0, 0), emit(0, 1)];
        for t in 1..n {
            let next = [0, 1].map(|k| concat(&[&gamma[0] + &lt[0][k] + emit(t, k), &gamma[1] + &lt[1][k] + emit(t, k)]).log_sum_exp());
            gamma = next;
        }
        m.factor("hmm", concat(&gamma).log_sum_exp()).unwrap();
        m
    }

    #[test]
    fn hmm_forward_algorithm_same_with_and_without_blocks() {
        let points = vec![vec![0.3, 0.5, -0.4, 0.1], vec![-1.2, 2.3, 1.7, -0.8], vec![40.0, -3.0, -2.0, 0.5]];
        let n = same_with_and_without_blocks(&hmm(80), &points);
        // The log_sum_exp pairs join the blocks: the recursion is one block.
        assert!(n < 12, "{n} instructions");
    }

    #[test]
    fn arma_gradient_matches_finite_differences() {
        let c = arma(60).compile().unwrap();
        let mut d = c.density::<f64>();
        let x = vec![0.3, 0.5, -0.4, 0.1];
        let mut g = vec![0.0; 4];
        d.logp_grad(&x, &mut g).unwrap();
        for k in 0..4 {
            let h = 1e-6;
            let (mut up, mut dn) = (x.clone(), x.clone());
            up[k] += h;
            dn[k] -= h;
            let fd = (d.logp(&up).unwrap() - d.logp(&dn).unwrap()) / (2.0 * h);
            assert!((g[k] - fd).abs() < 1e-6 * fd.abs().max(1.0), "d/dx{k}: {} vs {fd}", g[k]);
        }
    }
}
