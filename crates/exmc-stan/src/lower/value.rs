//! Values of the Stan interpreter that lowers a program to the model graph.
//!
//! A value is data (a constant) or depends on parameters (an expression of
//! the model graph, kept in the interpreter's arena and named by its index,
//! so values stay `Send` and cheap to clone). Vectors and matrices keep
//! either one whole expression (after a vectorised operation) or one scalar
//! per element (after element-wise assignment in a loop): element access and
//! element assignment are O(1) either way, so Stan's scalar loops lower
//! without quadratic blow-up.

use std::sync::Arc;

/// A real scalar: a constant or an expression (arena index).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sc {
    C(f64),
    E(u32),
}

impl Sc {
    pub fn constant(self) -> Option<f64> {
        match self {
            Sc::C(v) => Some(v),
            Sc::E(_) => None,
        }
    }
}

/// Shape of a vector-like value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TKind {
    Vector(usize),
    RowVector(usize),
    Matrix(usize, usize),
}

impl TKind {
    pub fn len(self) -> usize {
        match self {
            TKind::Vector(n) | TKind::RowVector(n) => n,
            TKind::Matrix(r, c) => r * c,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            TKind::Vector(_) => "vector",
            TKind::RowVector(_) => "row_vector",
            TKind::Matrix(..) => "matrix",
        }
    }
}

/// Elements of a vector, row vector or matrix (row-major).
#[derive(Clone, Debug)]
pub enum Repr {
    /// All constant.
    Const(Arc<Vec<f64>>),
    /// One scalar per element.
    Elems(Arc<Vec<Sc>>),
    /// One expression of the whole (arena index).
    Whole(u32),
}

#[derive(Clone, Debug)]
pub struct Tensor {
    pub kind: TKind,
    pub repr: Repr,
}

impl Tensor {
    pub fn constant(kind: TKind, v: Vec<f64>) -> Tensor {
        Tensor { kind, repr: Repr::Const(Arc::new(v)) }
    }
    pub fn len(&self) -> usize {
        self.kind.len()
    }
    /// The constant values, if every element is constant.
    pub fn constants(&self) -> Option<Vec<f64>> {
        match &self.repr {
            Repr::Const(v) => Some(v.to_vec()),
            Repr::Elems(e) => e.iter().map(|s| s.constant()).collect(),
            Repr::Whole(_) => None,
        }
    }
}

/// A Stan value.
#[derive(Clone, Debug)]
pub enum Val {
    Int(i64),
    Real(Sc),
    Tensor(Tensor),
    Array(Vec<Val>),
}

impl Val {
    pub fn real(v: f64) -> Val {
        Val::Real(Sc::C(v))
    }

    pub fn type_name(&self) -> String {
        match self {
            Val::Int(_) => "int".into(),
            Val::Real(_) => "real".into(),
            Val::Tensor(t) => t.kind.name().into(),
            Val::Array(a) => match a.first() {
                Some(x) => format!("array[] {}", x.type_name()),
                None => "array[]".into(),
            },
        }
    }

    /// Whether the value is a constant (no parameter inside).
    pub fn is_constant(&self) -> bool {
        match self {
            Val::Int(_) => true,
            Val::Real(s) => s.constant().is_some(),
            Val::Tensor(t) => match &t.repr {
                Repr::Const(_) => true,
                Repr::Elems(e) => e.iter().all(|s| s.constant().is_some()),
                Repr::Whole(_) => false,
            },
            Val::Array(a) => a.iter().all(|v| v.is_constant()),
        }
    }

    /// Dimensions, Stan style: array dims then container dims.
    pub fn dims(&self) -> Vec<usize> {
        match self {
            Val::Int(_) | Val::Real(_) => vec![],
            Val::Tensor(t) => match t.kind {
                TKind::Vector(n) | TKind::RowVector(n) => vec![n],
                TKind::Matrix(r, c) => vec![r, c],
            },
            Val::Array(a) => {
                let mut d = vec![a.len()];
                if let Some(x) = a.first() {
                    d.extend(x.dims());
                }
                d
            }
        }
    }

    /// Number of scalar elements.
    pub fn num_elements(&self) -> usize {
        match self {
            Val::Int(_) | Val::Real(_) => 1,
            Val::Tensor(t) => t.len(),
            Val::Array(a) => a.iter().map(|v| v.num_elements()).sum(),
        }
    }
}
