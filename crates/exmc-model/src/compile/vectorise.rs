//! Vectorisation of scalar log-density terms: superword-level parallelism
//! on the model graph (Larsen & Amarasinghe 2000, "Exploiting superword level
//! parallelism with multimedia instruction sets").
//!
//! A Stan program that loops over observations,
//! `for (n in 1:N) y[n] ~ normal(alpha + beta * x[n], sigma);`, traces into
//! N scalar factors, each a little scalar graph: N multiplications, N
//! additions and N one-element normal densities. This pass
//!
//! 1. groups the factors that are the same density of scalars (same family,
//!    same evaluation, no truncation) — each group becomes one factor over
//!    vectors, which is the same sum of log densities;
//! 2. groups the scalar operations feeding them (unary and binary functions,
//!    single-element reads of one vector) by operation and depth, the length
//!    of the longest path from a leaf. Nodes of equal depth never depend on
//!    each other, so each group is one vector operation;
//! 3. packs each operand list of a group into one vector: a shared operand
//!    stays a scalar (broadcast), scalar data becomes a data vector, elements
//!    of earlier groups become those groups' vectors (a gather when reordered)
//!    and anything else is concatenated.
//!
//! The log density is unchanged up to the order of summation: N×3 scalar
//! instructions become three vector ones. Sequential recurrences (an AR
//! error recursion, an HMM forward pass) have one node per depth and stay
//! scalar. Scalar nodes that are also read elsewhere (e.g. by a generated
//! quantity) keep their scalar form there.

use crate::dist::{Dist, DistKind, Eval};
use crate::expr::{concat, log_density, BinaryFn, Expr, Node, NodeData, UnaryFn};
use crate::shape::Shape;
use std::collections::HashMap;
use std::rc::Rc;

/// Fewer scalar terms than this are left alone.
const MIN_TERMS: usize = 4;

/// What a group of scalar operations has in common.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum OpKey {
    Unary(UnaryFn),
    Binary(BinaryFn),
    /// A single element of this (non-scalar) node.
    Element(*const NodeData),
}

/// What a group of scalar log-density factors has in common.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct DensityKey {
    kind: DistKind,
    eval: Eval,
    nargs: usize,
    nints: usize,
    /// Priors (a random variate) and likelihood terms (data) are kept
    /// apart: their operands come from different places.
    random_variate: bool,
}

/// The factors with their scalar densities merged into vector ones (see
/// the module documentation). Factors that do not take part are returned
/// unchanged, in their order; merged factors follow.
pub(super) fn factors(factors: &[(String, Expr)]) -> Vec<(String, Expr)> {
    let mut by_key: HashMap<DensityKey, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, (_, e)) in factors.iter().enumerate() {
        if let Some(key) = density_key(e) {
            let g = *by_key.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
    }
    groups.retain(|g| g.len() >= MIN_TERMS);
    if groups.is_empty() {
        return factors.to_vec();
    }
    let mut packer = Packer::default();
    let roots: Vec<&Expr> = groups.iter().flatten().map(|&i| &factors[i].1).collect();
    packer.vectorise_operations(&roots);

    let mut merged = vec![false; factors.len()];
    let mut out_merged = Vec::with_capacity(groups.len());
    for g in &groups {
        let members: Vec<(&Dist, &Expr)> = g
            .iter()
            .map(|&i| match &factors[i].1 .0.node {
                Node::LogDensity(d, x) => (&**d, x),
                _ => unreachable!("density_key accepts log densities only"),
            })
            .collect();
        let Some(term) = packer.density(&members) else { continue };
        for &i in g {
            merged[i] = true;
        }
        let name = format!("{} (and {} more terms like it, vectorised)", factors[g[0]].0, g.len() - 1);
        out_merged.push((name, term));
    }
    let mut out: Vec<(String, Expr)> =
        factors.iter().zip(&merged).filter(|(_, m)| !**m).map(|(f, _)| f.clone()).collect();
    out.extend(out_merged);
    out
}

/// The group key of a scalar log-density factor that can be merged.
fn density_key(e: &Expr) -> Option<DensityKey> {
    let Node::LogDensity(d, x) = &e.0.node else { return None };
    if e.error().is_some() || !e.is_random() || x.len() != 1 || d.truncation.is_some() {
        return None;
    }
    if d.args.iter().any(|a| a.len() != 1) || d.int_args.iter().any(|a| a.len() != 1) {
        return None;
    }
    match d.kind {
        DistKind::Cont(_) => {}
        DistKind::Disc(_) if x.as_int_const().is_some() => {}
        _ => return None,
    }
    Some(DensityKey {
        kind: d.kind,
        eval: d.eval,
        nargs: d.args.len(),
        nints: d.int_args.len(),
        random_variate: x.is_random(),
    })
}

/// The group key of a scalar operation that can be vectorised.
fn op_key(e: &Expr) -> Option<OpKey> {
    if e.len() != 1 || !e.is_random() || e.error().is_some() {
        return None;
    }
    match &e.0.node {
        Node::Unary(f, _) => Some(OpKey::Unary(*f)),
        Node::Binary(f, _, _) => Some(OpKey::Binary(*f)),
        Node::Gather(src, idx) if idx.len() == 1 && src.len() > 1 => Some(OpKey::Element(src.ptr())),
        _ => None,
    }
}

/// The vector operations built so far, and where each vectorised scalar
/// node's value now lives.
#[derive(Default)]
struct Packer {
    vectors: Vec<Expr>,
    /// Scalar node → (index into `vectors`, element).
    lanes: HashMap<*const NodeData, (usize, u32)>,
}

impl Packer {
    /// Groups the scalar operations under `roots` by (depth, operation) and
    /// builds one vector operation per group of two or more, shallowest
    /// first.
    fn vectorise_operations(&mut self, roots: &[&Expr]) {
        // Depth of every candidate node, by an iterative post-order walk
        // (graphs from long loops are deep).
        let mut depth: HashMap<*const NodeData, usize> = HashMap::new();
        let mut order: Vec<Expr> = Vec::new();
        let mut stack: Vec<(Expr, bool)> = Vec::new();
        // Roots pushed last-first so that groups list their members in the
        // roots' order (then most packs are the identity, not a gather).
        for root in roots.iter().rev() {
            let mut children = Vec::new();
            root.0.node.for_each_child(|c| children.push((c.clone(), false)));
            stack.extend(children.into_iter().rev());
        }
        while let Some((e, ready)) = stack.pop() {
            if depth.contains_key(&e.ptr()) || op_key(&e).is_none() {
                continue;
            }
            let children = operands(&e);
            if !ready {
                stack.push((e.clone(), true));
                for c in children.into_iter().rev() {
                    if op_key(c).is_some() && !depth.contains_key(&c.ptr()) {
                        stack.push((c.clone(), false));
                    }
                }
                continue;
            }
            let d = 1 + children.iter().map(|c| depth.get(&c.ptr()).copied().unwrap_or(0)).max().unwrap_or(0);
            depth.insert(e.ptr(), d);
            order.push(e);
        }
        let mut index: HashMap<(usize, OpKey), usize> = HashMap::new();
        let mut groups: Vec<(usize, OpKey, Vec<Expr>)> = Vec::new();
        for e in order {
            let (d, key) = (depth[&e.ptr()], op_key(&e).expect("walked nodes have a key"));
            let g = *index.entry((d, key)).or_insert_with(|| {
                groups.push((d, key, Vec::new()));
                groups.len() - 1
            });
            groups[g].2.push(e);
        }
        groups.sort_by_key(|g| g.0);
        for (_, key, members) in groups {
            if members.len() < 2 {
                continue;
            }
            if let Some(v) = self.operation(key, &members) {
                let slot = self.vectors.len();
                self.vectors.push(v);
                for (lane, m) in members.iter().enumerate() {
                    self.lanes.insert(m.ptr(), (slot, lane as u32));
                }
            }
        }
    }

    /// One vector operation computing every member of a group, or `None`
    /// when it would compute a single value.
    fn operation(&self, key: OpKey, members: &[Expr]) -> Option<Expr> {
        let n = members.len();
        let nth = |k: usize| -> Vec<Expr> { members.iter().map(|m| operands(m)[k].clone()).collect() };
        Some(match key {
            OpKey::Unary(f) => {
                let a = self.pack(&nth(0));
                if a.len() != n {
                    return None;
                }
                Expr::new(Node::Unary(f, a), Shape::Vector(n))
            }
            OpKey::Binary(f) => {
                let (a, b) = (self.pack(&nth(0)), self.pack(&nth(1)));
                if a.len() != n && b.len() != n {
                    return None;
                }
                Expr::new(Node::Binary(f, a, b), Shape::Vector(n))
            }
            OpKey::Element(_) => {
                let Node::Gather(src, _) = &members[0].0.node else { return None };
                let idx: Rc<[u32]> = members
                    .iter()
                    .map(|m| match &m.0.node {
                        Node::Gather(_, i) => i[0],
                        _ => 0,
                    })
                    .collect();
                Expr::new(Node::Gather(src.clone(), idx), Shape::Vector(n))
            }
        })
    }

    /// The merged density of a group of scalar factors `(dist, variate)`.
    fn density(&self, members: &[(&Dist, &Expr)]) -> Option<Expr> {
        let first = members[0].0;
        let x = match first.kind {
            DistKind::Disc(_) => {
                let v: Option<Vec<i64>> = members.iter().map(|(_, x)| x.as_int_const().map(|c| c[0])).collect();
                Expr::int_vector(v?)
            }
            _ => {
                let xs: Vec<Expr> = members.iter().map(|(_, x)| (*x).clone()).collect();
                self.pack(&xs)
            }
        };
        if x.len() != members.len() {
            return None;
        }
        let args = (0..first.args.len())
            .map(|k| self.pack(&members.iter().map(|(d, _)| d.args[k].clone()).collect::<Vec<_>>()))
            .collect();
        let int_args = (0..first.int_args.len()).map(|k| members.iter().map(|(d, _)| d.int_args[k][0]).collect()).collect();
        let dist = Dist { kind: first.kind, args, int_args, truncation: None, eval: first.eval };
        let term = log_density(&dist, &x);
        term.error().is_none().then_some(term)
    }

    /// One expression holding the scalars `xs` in order: the scalar itself
    /// when they are all the same node (broadcast), a data vector, a group's
    /// vector (gathered when reordered), or a concatenation.
    fn pack(&self, xs: &[Expr]) -> Expr {
        let first = &xs[0];
        if xs.iter().all(|x| x.ptr() == first.ptr()) {
            return first.clone();
        }
        if let Some(values) = xs.iter().map(|x| scalar_data(x)).collect::<Option<Vec<f64>>>() {
            return Expr::vector(values);
        }
        // Sources: group vectors and lone scalars, each once; then where
        // every x sits in their concatenation.
        let mut sources: Vec<Expr> = Vec::new();
        let mut offset: HashMap<*const NodeData, u32> = HashMap::new();
        let mut total = 0u32;
        let mut idx = Vec::with_capacity(xs.len());
        for x in xs {
            let (src, lane) = match self.lanes.get(&x.ptr()) {
                Some(&(slot, lane)) => (&self.vectors[slot], lane),
                None => (x, 0),
            };
            let start = *offset.entry(src.ptr()).or_insert_with(|| {
                sources.push(src.clone());
                total += src.len() as u32;
                total - src.len() as u32
            });
            idx.push(start + lane);
        }
        let whole = if sources.len() == 1 { sources.pop().expect("one source") } else { concat(&sources) };
        let identity = idx.len() == whole.len() && idx.iter().enumerate().all(|(i, &k)| k as usize == i);
        if identity {
            return whole;
        }
        // A gather of a gather reads the first one's source directly.
        if let Node::Gather(src, inner) = &whole.0.node {
            let composed: Rc<[u32]> = idx.iter().map(|&k| inner[k as usize]).collect();
            return Expr::new(Node::Gather(src.clone(), composed), Shape::Vector(xs.len()));
        }
        Expr::new(Node::Gather(whole, idx.into()), Shape::Vector(xs.len()))
    }
}

/// The operands of a candidate operation that may themselves be grouped.
fn operands(e: &Expr) -> Vec<&Expr> {
    match &e.0.node {
        Node::Unary(_, a) => vec![a],
        Node::Binary(_, a, b) => vec![a, b],
        _ => vec![],
    }
}

/// The value of a one-element data node: a constant, or one element of
/// one (how a front end reads `y[n]`).
fn scalar_data(x: &Expr) -> Option<f64> {
    if x.len() != 1 {
        return None;
    }
    match &x.0.node {
        Node::Const(v) => Some(v[0]),
        Node::IntConst(v) => Some(v[0] as f64),
        Node::Gather(src, idx) => match &src.0.node {
            Node::Const(v) => v.get(idx[0] as usize).copied(),
            Node::IntConst(v) => v.get(idx[0] as usize).map(|&i| i as f64),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::dist::{exponential, normal};
    use crate::{Expr, Model};
    use exmc_core::LogDensity;

    /// AR(1) two ways: one scalar factor per observation (as a Stan loop
    /// traces) and one vector factor (as the builder API writes it).
    fn ar1(n: usize, scalar: bool) -> Model {
        let y: Vec<f64> = (0..n).map(|i| (i as f64 * 0.3).sin() + 0.1 * (i as f64 * 7.0).cos()).collect();
        let mut m = Model::new();
        let alpha = m.param("alpha", normal(0.0, 1.0)).unwrap();
        let beta = m.param("beta", normal(0.0, 1.0)).unwrap();
        let sigma = m.param("sigma", exponential(1.0)).unwrap();
        if scalar {
            for t in 1..n {
                let mu = &alpha + &beta * Expr::scalar(y[t - 1]);
                m.add_target("y", normal(&mu, &sigma).lpdf(Expr::scalar(y[t]))).unwrap();
            }
        } else {
            let mu = &alpha + &beta * Expr::vector(y[..n - 1].to_vec());
            m.factor("y", normal(&mu, &sigma).lpdf(Expr::vector(y[1..].to_vec()))).unwrap();
        }
        m
    }

    #[test]
    fn scalar_loop_becomes_vector_operations() {
        let (scalar, vector) = (ar1(200, true).compile().unwrap(), ar1(200, false).compile().unwrap());
        let (n_scalar, _) = scalar.instruction_count();
        let (n_vector, _) = vector.instruction_count();
        assert!(n_scalar <= n_vector + 3, "{n_scalar} instructions for the loop, {n_vector} for the vector form");
        let (mut ds, mut dv) = (scalar.density::<f64>(), vector.density::<f64>());
        for x in [[0.1, -0.4, 0.3], [1.5, 0.9, -2.0]] {
            let (mut gs, mut gv) = ([0.0f64; 3], [0.0f64; 3]);
            let (ls, lv) = (ds.logp_grad(&x, &mut gs).unwrap(), dv.logp_grad(&x, &mut gv).unwrap());
            assert!((ls - lv).abs() <= 1e-12 * lv.abs(), "{ls} vs {lv}");
            for (a, b) in gs.iter().zip(&gv) {
                assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{gs:?} vs {gv:?}");
            }
        }
    }

    /// Compares two compiled models' log densities and gradients at `points`.
    fn same_density(a: &Model, b: &Model, points: &[Vec<f64>]) {
        let (ca, cb) = (a.compile().unwrap(), b.compile().unwrap());
        let (mut da, mut db) = (ca.density::<f64>(), cb.density::<f64>());
        for x in points {
            let (mut ga, mut gb) = (vec![0.0f64; x.len()], vec![0.0f64; x.len()]);
            let (la, lb) = (da.logp_grad(x, &mut ga).unwrap(), db.logp_grad(x, &mut gb).unwrap());
            assert!((la - lb).abs() <= 1e-12 * lb.abs().max(1.0), "{la} vs {lb}");
            for (p, q) in ga.iter().zip(&gb) {
                assert!((p - q).abs() <= 1e-12 * q.abs().max(1.0), "{ga:?} vs {gb:?}");
            }
        }
    }

    /// A hierarchical Poisson-log regression: `theta[g[n]]` reads a vector
    /// parameter out of order, counts are integer data.
    fn hierarchical_counts(scalar: bool) -> Model {
        let groups = [2usize, 0, 1, 1, 2, 0, 0, 2, 1, 0];
        let counts = [3i64, 0, 1, 4, 2, 0, 1, 5, 2, 1];
        let x = [0.5, -1.0, 0.2, 1.3, -0.4, 0.9, -0.2, 1.1, 0.0, -0.7];
        let mut m = Model::new();
        let theta = m.param_vector("theta", 3, crate::dist::normal(0.0, 1.0)).unwrap();
        let b = m.param("b", crate::dist::normal(0.0, 1.0)).unwrap();
        if scalar {
            for n in 0..x.len() {
                let eta = theta.at(groups[n]) + &b * Expr::scalar(x[n]);
                m.add_target("y", crate::dist::poisson_log(eta).lpdf(Expr::int_data(vec![counts[n]], crate::Shape::Scalar))).unwrap();
            }
        } else {
            let eta = theta.gather(&groups) + &b * Expr::vector(x.to_vec());
            m.factor("y", crate::dist::poisson_log(eta).lpdf(Expr::int_vector(counts.to_vec()))).unwrap();
        }
        m
    }

    #[test]
    fn discrete_terms_and_out_of_order_reads_vectorise() {
        let points = vec![vec![0.3, -0.2, 0.8, 0.5], vec![-1.0, 1.5, 0.0, -0.3]];
        same_density(&hierarchical_counts(true), &hierarchical_counts(false), &points);
        let loop_instrs = hierarchical_counts(true).compile().unwrap().instruction_count().0;
        assert!(loop_instrs < 10, "{loop_instrs} instructions for 10 scalar terms");
    }
}

