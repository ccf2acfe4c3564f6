//! Shared helpers of the `transform_*` integration tests: every transform
//! behind one interface (`Case`), random points, finite differences, and a
//! log-determinant by LU.
#![allow(dead_code)]

use exmc_math::transform::{interval, lower, offset_multiplier, upper, TransformError, VectorTransform};
use exmc_math::Real;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

pub type TestRng = ChaCha8Rng;

pub fn rng(seed: u64) -> TestRng {
    ChaCha8Rng::seed_from_u64(seed)
}

pub fn normal(rng: &mut TestRng) -> f64 {
    rng.sample::<f64, _>(StandardNormal)
}

/// An elementwise transform with scalar bounds (broadcast over `n` values).
#[derive(Clone, Copy, Debug)]
pub enum Scalar {
    Lower,
    Upper,
    Interval,
    OffsetMultiplier,
}

/// Any transform, with the values of its parameters (bounds) where it has some.
#[derive(Clone, Copy, Debug)]
pub enum Case {
    Scalar { kind: Scalar, n: usize },
    Vector(VectorTransform),
}

impl Case {
    pub fn name(&self) -> String {
        match self {
            Case::Scalar { kind, n } => format!("{kind:?}[{n}]"),
            Case::Vector(v) => format!("{v:?}"),
        }
    }
    pub fn free_len(&self) -> usize {
        match self {
            Case::Scalar { n, .. } => *n,
            Case::Vector(v) => v.free_len(),
        }
    }
    pub fn x_len(&self) -> usize {
        match self {
            Case::Scalar { n, .. } => *n,
            Case::Vector(v) => v.constrained_len(),
        }
    }
    pub fn n_params(&self) -> usize {
        match self {
            Case::Scalar { kind: Scalar::Lower | Scalar::Upper, .. } => 1,
            Case::Scalar { .. } => 2,
            Case::Vector(_) => 0,
        }
    }
    /// Whether the transform is a bijection onto its free coordinates (all but unit_vector).
    pub fn is_bijection(&self) -> bool {
        !matches!(self, Case::Vector(VectorTransform::UnitVector { .. }))
    }

    /// Random valid parameters (bounds, offset/multiplier).
    pub fn random_params(&self, rng: &mut TestRng) -> Vec<f64> {
        match self {
            Case::Scalar { kind: Scalar::Lower | Scalar::Upper, .. } => vec![2.0 * normal(rng)],
            Case::Scalar { kind: Scalar::Interval, .. } => {
                let lb = 2.0 * normal(rng);
                vec![lb, lb + 0.1 + 3.0 * rng.random::<f64>()]
            }
            Case::Scalar { kind: Scalar::OffsetMultiplier, .. } => vec![normal(rng), 0.2 + 2.0 * rng.random::<f64>()],
            Case::Vector(_) => vec![],
        }
    }

    /// `(x, logJ)`.
    pub fn forward<T: Real>(&self, y: &[T], p: &[T]) -> (Vec<T>, T) {
        match self {
            Case::Scalar { kind, .. } => {
                let mut lj = T::zero();
                let x = y
                    .iter()
                    .map(|&yi| {
                        let (x, l) = match kind {
                            Scalar::Lower => lower::forward(yi, p[0]),
                            Scalar::Upper => upper::forward(yi, p[0]),
                            Scalar::Interval => interval::forward(yi, p[0], p[1]),
                            Scalar::OffsetMultiplier => offset_multiplier::forward(yi, p[0], p[1]),
                        };
                        lj += l;
                        x
                    })
                    .collect();
                (x, lj)
            }
            Case::Vector(v) => {
                let mut x = vec![T::zero(); v.constrained_len()];
                let mut s = vec![T::zero(); v.scratch_len()];
                let lj = v.forward(y, &mut x, &mut s).expect("shapes are right");
                (x, lj)
            }
        }
    }

    /// Gradient of `Σ w·x + logJ` w.r.t. `(y, params)`.
    pub fn backward<T: Real>(&self, y: &[T], p: &[T], w: &[T]) -> (Vec<T>, Vec<T>) {
        match self {
            Case::Scalar { kind, .. } => {
                let mut ap = vec![T::zero(); p.len()];
                let ay = y
                    .iter()
                    .zip(w)
                    .map(|(&yi, &wi)| match kind {
                        Scalar::Lower => {
                            let (a, b) = lower::backward(yi, p[0], wi);
                            ap[0] += b;
                            a
                        }
                        Scalar::Upper => {
                            let (a, b) = upper::backward(yi, p[0], wi);
                            ap[0] += b;
                            a
                        }
                        Scalar::Interval => {
                            let (a, b, c) = interval::backward(yi, p[0], p[1], wi);
                            ap[0] += b;
                            ap[1] += c;
                            a
                        }
                        Scalar::OffsetMultiplier => {
                            let (a, b, c) = offset_multiplier::backward(yi, p[0], p[1], wi);
                            ap[0] += b;
                            ap[1] += c;
                            a
                        }
                    })
                    .collect();
                (ay, ap)
            }
            Case::Vector(v) => {
                let (x, _) = self.forward(y, p);
                // start from a non-zero value to check that backward accumulates
                let mut ay = vec![T::c(0.25); y.len()];
                let mut s = vec![T::zero(); v.scratch_len()];
                v.backward(y, &x, w, &mut ay, &mut s).expect("shapes are right");
                for a in &mut ay {
                    *a -= T::c(0.25);
                }
                (ay, vec![])
            }
        }
    }

    pub fn inverse<T: Real>(&self, x: &[T], p: &[T]) -> Result<Vec<T>, TransformError> {
        match self {
            Case::Scalar { kind, .. } => x
                .iter()
                .map(|&xi| match kind {
                    Scalar::Lower => lower::inverse(xi, p[0]),
                    Scalar::Upper => upper::inverse(xi, p[0]),
                    Scalar::Interval => interval::inverse(xi, p[0], p[1]),
                    Scalar::OffsetMultiplier => offset_multiplier::inverse(xi, p[0], p[1]),
                })
                .collect(),
            Case::Vector(v) => {
                let mut y = vec![T::zero(); v.free_len()];
                v.inverse(x, &mut y)?;
                Ok(y)
            }
        }
    }

    /// The coordinates of `x` the density is defined on (as Stan defines it):
    /// first `K-1` of a simplex, the strict lower triangle of a correlation
    /// matrix or its Cholesky factor, the lower triangle (with diagonal) of a
    /// covariance matrix or a covariance Cholesky factor.
    pub fn free_coords(&self, x: &[f64]) -> Vec<f64> {
        let lower = |rows: usize, cols: usize, strict: bool| -> Vec<f64> {
            let mut out = vec![];
            for i in 0..rows {
                for j in 0..cols {
                    if j < i || (!strict && j == i) {
                        out.push(x[i * cols + j]);
                    }
                }
            }
            out
        };
        match *self {
            Case::Scalar { .. } => x.to_vec(),
            Case::Vector(v) => match v {
                VectorTransform::Simplex { k } => x[..k - 1].to_vec(),
                VectorTransform::SumToZero { .. } => x[1..].to_vec(),
                VectorTransform::Ordered { .. }
                | VectorTransform::PositiveOrdered { .. }
                | VectorTransform::UnitVector { .. } => x.to_vec(),
                VectorTransform::CholeskyCorr { k } | VectorTransform::CorrMatrix { k } => lower(k, k, true),
                VectorTransform::CholeskyCov { m, n } => lower(m, n, false),
                VectorTransform::CovMatrix { k } => lower(k, k, false),
            },
        }
    }
}

/// Every transform, at several sizes.
pub fn all_cases() -> Vec<Case> {
    let mut out = vec![];
    for n in [1, 3] {
        for kind in [Scalar::Lower, Scalar::Upper, Scalar::Interval, Scalar::OffsetMultiplier] {
            out.push(Case::Scalar { kind, n });
        }
    }
    for k in [1, 2, 3, 5, 8] {
        out.push(Case::Vector(VectorTransform::Simplex { k }));
        out.push(Case::Vector(VectorTransform::Ordered { k }));
        out.push(Case::Vector(VectorTransform::PositiveOrdered { k }));
        out.push(Case::Vector(VectorTransform::UnitVector { k }));
        out.push(Case::Vector(VectorTransform::CholeskyCorr { k }));
        out.push(Case::Vector(VectorTransform::CorrMatrix { k }));
        out.push(Case::Vector(VectorTransform::CovMatrix { k }));
    }
    for (m, n) in [(1, 1), (2, 2), (3, 2), (4, 3), (5, 1), (4, 4)] {
        out.push(Case::Vector(VectorTransform::CholeskyCov { m, n }));
    }
    // Not here: `SumToZero`. Its logJ is 0 by Stan's convention (an isometry
    // onto the zero-sum plane), not log|det| in the coordinates x[1..] that
    // these generic checks differentiate; its own tests are in
    // src/transform/sum_to_zero.rs.
    out
}

pub fn random_y(rng: &mut TestRng, n: usize, scale: f64) -> Vec<f64> {
    (0..n).map(|_| scale * normal(rng)).collect()
}

/// `log |det A|` of a square row-major matrix by LU with partial pivoting.
pub fn log_abs_det(n: usize, a: &[f64]) -> f64 {
    let mut a = a.to_vec();
    let mut logdet = 0.0;
    for c in 0..n {
        let p = (c..n).max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs())).unwrap();
        if p != c {
            for j in 0..n {
                a.swap(c * n + j, p * n + j);
            }
        }
        let piv = a[c * n + c];
        logdet += piv.abs().ln();
        for i in c + 1..n {
            let f = a[i * n + c] / piv;
            for j in c..n {
                a[i * n + j] -= f * a[c * n + j];
            }
        }
    }
    logdet
}

pub fn to_f32(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&a| a as f32).collect()
}
