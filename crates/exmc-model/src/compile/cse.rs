//! Common-subexpression elimination on the model graph (hash-consing).
//!
//! A front end that traces a program (the Stan interpreter) builds a fresh
//! node each time it evaluates an expression: inside an HMM forward pass,
//! `log(theta[j, k])` is rebuilt for every time step and
//! `normal_lpdf(y[t] | mu[k], 1)` for every previous state `j`. Nodes that
//! are structurally equal — same operation, same payload, same shape and
//! the same (already merged) children — are merged here, bottom-up, so each
//! is computed once. Short data (up to [`SMALL_DATA`] values, e.g. the
//! literal `1`) is merged by value; longer data by identity.

use crate::dist::{DistKind, Eval};
use crate::expr::{BinaryFn, Expr, Node, NodeData, UnaryFn};
use crate::shape::Shape;
use std::collections::HashMap;

/// Data of at most this many values is merged by value.
const SMALL_DATA: usize = 16;

type Ptr = *const NodeData;

/// The structure of a node with its children replaced by their merged
/// versions' addresses.
#[derive(PartialEq, Eq, Hash)]
enum Key {
    Data(Vec<u64>),
    IntData(Vec<i64>),
    Unary(UnaryFn, Ptr),
    Binary(BinaryFn, Ptr, Ptr),
    Sum(Ptr),
    Dot(Ptr, Ptr),
    LogSumExp(Ptr),
    CumSum(Ptr),
    MatVec(Ptr, Ptr),
    Cholesky(Ptr),
    Gather(Ptr, Vec<u32>),
    Concat(Vec<Ptr>),
    Reshape(Ptr),
    Select(Ptr, Ptr, Ptr),
    Density { kind: DistKind, eval: Eval, x: Ptr, args: Vec<Ptr>, ints: Vec<Vec<i64>>, trunc: Option<(Option<Ptr>, Option<Ptr>)> },
}

/// The factors with structurally equal subexpressions merged.
pub(super) fn factors(factors: &[(String, Expr)]) -> Vec<(String, Expr)> {
    let mut cse = Cse::default();
    factors.iter().map(|(name, e)| (name.clone(), cse.merged(e))).collect()
}

#[derive(Default)]
struct Cse {
    /// Structure → the one node kept for it.
    table: HashMap<(Shape, Key), Expr>,
    /// Any visited node → its merged version.
    merged: HashMap<Ptr, Expr>,
}

impl Cse {
    /// The merged version of `root` (iterative post-order: graphs from long
    /// loops are deep).
    fn merged(&mut self, root: &Expr) -> Expr {
        let mut stack: Vec<(Expr, bool)> = vec![(root.clone(), false)];
        while let Some((e, ready)) = stack.pop() {
            if self.merged.contains_key(&e.ptr()) {
                continue;
            }
            if !ready {
                stack.push((e.clone(), true));
                e.0.node.for_each_child(|c| {
                    if !self.merged.contains_key(&c.ptr()) {
                        stack.push((c.clone(), false));
                    }
                });
                continue;
            }
            let m = self.merge_node(&e);
            self.merged.insert(e.ptr(), m);
        }
        self.merged[&root.ptr()].clone()
    }

    /// `e` rebuilt over merged children, then looked up by structure.
    fn merge_node(&mut self, e: &Expr) -> Expr {
        if e.error().is_some() {
            return e.clone();
        }
        let m = |c: &Expr| self.merged.get(&c.ptr()).cloned().unwrap_or_else(|| c.clone());
        let mut changed = false;
        e.0.node.for_each_child(|c| changed |= m(c).ptr() != c.ptr());
        let rebuilt = if changed { Expr::new(with_children(&e.0.node, m), e.shape()) } else { e.clone() };
        match key(&rebuilt) {
            Some(k) => self.table.entry((rebuilt.shape(), k)).or_insert(rebuilt).clone(),
            None => rebuilt,
        }
    }
}

/// The structural key of a node whose children are already merged; `None`
/// for nodes merged by identity only (parameters, long data, custom terms).
fn key(e: &Expr) -> Option<Key> {
    let p = |c: &Expr| c.ptr();
    Some(match &e.0.node {
        Node::Const(v) if v.len() <= SMALL_DATA => Key::Data(v.iter().map(|x| x.to_bits()).collect()),
        Node::IntConst(v) if v.len() <= SMALL_DATA => Key::IntData(v.to_vec()),
        Node::Const(_) | Node::IntConst(_) | Node::Param(_) | Node::Custom(..) | Node::CustomFn(..) => return None,
        Node::Unary(f, a) => Key::Unary(*f, p(a)),
        Node::Binary(f, a, b) => Key::Binary(*f, p(a), p(b)),
        Node::Sum(a) => Key::Sum(p(a)),
        Node::Dot(a, b) => Key::Dot(p(a), p(b)),
        Node::LogSumExp(a) => Key::LogSumExp(p(a)),
        Node::CumSum(a) => Key::CumSum(p(a)),
        Node::MatVec(a, b) => Key::MatVec(p(a), p(b)),
        Node::Cholesky(a) => Key::Cholesky(p(a)),
        Node::Gather(a, idx) => Key::Gather(p(a), idx.to_vec()),
        Node::Concat(parts) => Key::Concat(parts.iter().map(p).collect()),
        Node::Reshape(a) => Key::Reshape(p(a)),
        Node::Select(c, a, b) => Key::Select(p(c), p(a), p(b)),
        Node::LogDensity(d, x) => Key::Density {
            kind: d.kind,
            eval: d.eval,
            x: p(x),
            args: d.args.iter().map(p).collect(),
            ints: d.int_args.clone(),
            trunc: d.truncation.as_ref().map(|(l, u)| (l.as_ref().map(p), u.as_ref().map(p))),
        },
    })
}

/// The same node over the children `m(child)`.
fn with_children(node: &Node, m: impl Fn(&Expr) -> Expr) -> Node {
    match node {
        Node::Const(_) | Node::IntConst(_) | Node::Param(_) => unreachable!("leaves have no children"),
        Node::Unary(f, a) => Node::Unary(*f, m(a)),
        Node::Binary(f, a, b) => Node::Binary(*f, m(a), m(b)),
        Node::Sum(a) => Node::Sum(m(a)),
        Node::Dot(a, b) => Node::Dot(m(a), m(b)),
        Node::LogSumExp(a) => Node::LogSumExp(m(a)),
        Node::CumSum(a) => Node::CumSum(m(a)),
        Node::MatVec(a, b) => Node::MatVec(m(a), m(b)),
        Node::Cholesky(a) => Node::Cholesky(m(a)),
        Node::Gather(a, idx) => Node::Gather(m(a), idx.clone()),
        Node::Concat(parts) => Node::Concat(parts.iter().map(&m).collect()),
        Node::Reshape(a) => Node::Reshape(m(a)),
        Node::Select(c, a, b) => Node::Select(m(c), m(a), m(b)),
        Node::Custom(f, args) => Node::Custom(f.clone(), args.iter().map(&m).collect()),
        Node::CustomFn(f, args) => Node::CustomFn(f.clone(), args.iter().map(&m).collect()),
        Node::LogDensity(d, x) => {
            let mut d = d.clone();
            d.args = d.args.iter().map(&m).collect();
            Node::LogDensity(d, m(x))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::normal;
    use crate::{Expr, Model};
    use exmc_core::LogDensity;

    /// An HMM-like forward pass traced naively: `log(theta[k])` and the
    /// emission density rebuilt at every use.
    fn forward_pass() -> Model {
        let y = [0.3, 1.2, -0.5, 2.0, 0.7, 1.1];
        let mut m = Model::new();
        let theta = m.param_vector("theta", 2, normal(0.0, 1.0)).unwrap();
        let mu = m.param_vector("mu", 2, normal(0.0, 3.0)).unwrap();
        let mut gamma: Vec<Expr> = (0..2).map(|k| normal(mu.at(k), 1.0).lpdf(Expr::scalar(y[0]))).collect();
        for &yt in &y[1..] {
            gamma = (0..2)
                .map(|k| {
                    let acc: Vec<Expr> = (0..2)
                        .map(|j| &gamma[j] + theta.at(k).log_inv_logit() + normal(mu.at(k), 1.0).lpdf(Expr::scalar(yt)))
                        .collect();
                    crate::expr::concat(&acc).log_sum_exp()
                })
                .collect();
        }
        m.factor("forward", crate::expr::concat(&gamma).log_sum_exp()).unwrap();
        m
    }

    #[test]
    fn repeated_subexpressions_are_computed_once() {
        let c = forward_pass().compile().unwrap();
        let (n, _) = c.instruction_count();
        // Per step and state after merging: 2 adds per previous state, a
        // concat and a log-sum-exp; the emission and log_inv_logit terms
        // once per (step, state), not once per previous state.
        assert!(n <= 90, "{n} instructions (about 150 without merging)");
        // Value against the same recursion in plain f64.
        let x = [0.4, -0.3, 0.5, 1.5];
        let lii = |v: f64| -(1.0 + (-v).exp()).ln();
        let ln_n = |y: f64, m: f64| -0.5 * (y - m) * (y - m) - 0.5 * (2.0 * std::f64::consts::PI).ln();
        let y = [0.3, 1.2, -0.5, 2.0, 0.7, 1.1];
        let mut g: Vec<f64> = (0..2).map(|k| ln_n(y[0], x[2 + k])).collect();
        for &yt in &y[1..] {
            g = (0..2)
                .map(|k| {
                    let a: Vec<f64> = (0..2).map(|j| g[j] + lii(x[k]) + ln_n(yt, x[2 + k])).collect();
                    let mx = a[0].max(a[1]);
                    mx + ((a[0] - mx).exp() + (a[1] - mx).exp()).ln()
                })
                .collect();
        }
        let mx = g[0].max(g[1]);
        let forward = mx + ((g[0] - mx).exp() + (g[1] - mx).exp()).ln();
        let prior: f64 = x[..2].iter().map(|&t| ln_n(t, 0.0)).sum::<f64>()
            + x[2..].iter().map(|&m| ln_n(m / 3.0, 0.0) - 3f64.ln()).sum::<f64>();
        let mut grad = [0.0; 4];
        let lp = c.density::<f64>().logp_grad(&x, &mut grad).unwrap();
        assert!((lp - (forward + prior)).abs() < 1e-12, "{lp} vs {}", forward + prior);
    }
}
