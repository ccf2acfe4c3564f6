//! Declarations: data read from JSON, parameters created in the model (or
//! read from a draw), and locals with Stan's NaN initialisation.

use super::interp::{Interp, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::ast::*;
use crate::token::Span;
use exmc_model::{Constraint, Expr, Shape};
use crate::data::{DataSet, Values};
use std::sync::Arc;

/// A declared type with its sizes evaluated.
#[derive(Clone, Debug)]
pub(crate) struct Sized {
    pub array: Vec<usize>,
    pub base: BaseKind,
    pub int: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum BaseKind {
    Scalar,
    Tensor(TKind),
}

impl Sized {
    /// All dimensions (array then container), Stan style.
    pub fn dims(&self) -> Vec<usize> {
        let mut d = self.array.clone();
        match self.base {
            BaseKind::Scalar => {}
            BaseKind::Tensor(TKind::Vector(n) | TKind::RowVector(n)) => d.push(n),
            BaseKind::Tensor(TKind::Matrix(r, c)) => d.extend([r, c]),
        }
        d
    }
}

impl<'p> Interp<'p> {
    fn size(&mut self, e: &crate::ast::Expr) -> R<usize> {
        let v = self.eval(e)?;
        let k = self.as_int(&v, e.span, "a size")?;
        if k < 0 {
            return Err(LowerError::new(e.span, format!("a size must not be negative, found {k}")));
        }
        Ok(k as usize)
    }

    pub(crate) fn sized(&mut self, t: &DeclType) -> R<Sized> {
        let array = t.array_dims.iter().map(|e| self.size(e)).collect::<R<Vec<_>>>()?;
        let (base, int) = match &t.base {
            SizedBase::Int => (BaseKind::Scalar, true),
            SizedBase::Real => (BaseKind::Scalar, false),
            SizedBase::Vector(n)
            | SizedBase::Simplex(n)
            | SizedBase::UnitVector(n)
            | SizedBase::SumToZeroVector(n)
            | SizedBase::Ordered(n)
            | SizedBase::PositiveOrdered(n) => (BaseKind::Tensor(TKind::Vector(self.size(n)?)), false),
            SizedBase::RowVector(n) => (BaseKind::Tensor(TKind::RowVector(self.size(n)?)), false),
            SizedBase::Matrix(r, c)
            | SizedBase::SumToZeroMatrix(r, c)
            | SizedBase::ColumnStochasticMatrix(r, c)
            | SizedBase::RowStochasticMatrix(r, c) => {
                (BaseKind::Tensor(TKind::Matrix(self.size(r)?, self.size(c)?)), false)
            }
            SizedBase::CholeskyFactorCorr(k) | SizedBase::CorrMatrix(k) | SizedBase::CovMatrix(k) => {
                let k = self.size(k)?;
                (BaseKind::Tensor(TKind::Matrix(k, k)), false)
            }
            SizedBase::CholeskyFactorCov(m, n) => {
                let m = self.size(m)?;
                let n = match n {
                    Some(n) => self.size(n)?,
                    None => m,
                };
                (BaseKind::Tensor(TKind::Matrix(m, n)), false)
            }
            // The checker refuses these first ("not supported: ...").
            SizedBase::Complex | SizedBase::ComplexVector(_) | SizedBase::ComplexRowVector(_) | SizedBase::ComplexMatrix(..) | SizedBase::Tuple(_) => {
                return Err(LowerError::new(t.span, "complex and tuple types are not supported by exmc"))
            }
        };
        Ok(Sized { array, base, int })
    }

    /// A local (or transformed data / parameters / generated quantities)
    /// declaration: its initial value (NaN for reals, as Stan; 0 for ints
    /// with a note that Stan leaves them undefined), or the initialiser.
    pub(crate) fn declare(&mut self, d: &VarDecl) -> R<Val> {
        let s = self.sized(&d.ty)?;
        let fill = |_: ()| -> Val {
            if s.int {
                Val::Int(i64::MIN)
            } else {
                match s.base {
                    BaseKind::Scalar => Val::real(f64::NAN),
                    BaseKind::Tensor(k) => Val::Tensor(Tensor::constant(k, vec![f64::NAN; k.len()])),
                }
            }
        };
        let mut v = fill(());
        for &n in s.array.iter().rev() {
            v = Val::Array(vec![v; n]);
        }
        if let Some(init) = &d.init {
            let x = self.eval(init)?;
            v = promote_to(&s, x, init.span)?;
        }
        Ok(v)
    }

    // ------------------------------------------------------------- data

    /// The value of a data variable, already read and validated against
    /// its declaration by [`crate::data::read_data`].
    pub(crate) fn data_value(&mut self, d: &VarDecl, data: &DataSet) -> R<Val> {
        let s = self.sized(&d.ty)?;
        let name = &d.name.name;
        let dv = data
            .get(name)
            .ok_or_else(|| LowerError::new(d.name.span, format!("data variable '{name}' is missing from the data file")))?;
        let mut pos = 0;
        Ok(build_data(&s, 0, &dv.values, &mut pos))
    }

    /// Checks data (and generated values) against `<lower, upper>`.
    pub(crate) fn check_bounds(&mut self, d: &VarDecl, v: &Val) -> R<()> {
        let Bounds::Range { lower, upper } = &d.ty.bounds else { return Ok(()) };
        let lo = lower.as_ref().map(|e| self.eval(e)).transpose()?;
        let hi = upper.as_ref().map(|e| self.eval(e)).transpose()?;
        let vals = super::interp::flatten_constants(v).unwrap_or_default();
        let bound_at = |b: &Option<Val>, i: usize| -> Option<f64> {
            b.as_ref().and_then(|b| super::interp::flatten_constants(b)).map(|c| if c.len() == 1 { c[0] } else { c.get(i).copied().unwrap_or(f64::NAN) })
        };
        for (i, &x) in vals.iter().enumerate() {
            if let Some(l) = bound_at(&lo, i) {
                if x < l {
                    return Err(LowerError::new(d.name.span, format!("'{}' must be >= {l}, found {x} at element {}", d.name.name, i + 1)));
                }
            }
            if let Some(u) = bound_at(&hi, i) {
                if x > u {
                    return Err(LowerError::new(d.name.span, format!("'{}' must be <= {u}, found {x} at element {}", d.name.name, i + 1)));
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------- parameters

    /// The constraint of a parameter declaration (bounds evaluated).
    fn constraint(&mut self, d: &VarDecl) -> R<Constraint> {
        let span = d.ty.span;
        let c = match &d.ty.base {
            SizedBase::Simplex(_) => Constraint::Simplex,
            SizedBase::UnitVector(_) => Constraint::UnitVector,
            SizedBase::Ordered(_) => Constraint::Ordered,
            SizedBase::PositiveOrdered(_) => Constraint::PositiveOrdered,
            SizedBase::CholeskyFactorCorr(_) => Constraint::CholeskyFactorCorr,
            SizedBase::CholeskyFactorCov(..) => Constraint::CholeskyFactorCov,
            SizedBase::CorrMatrix(_) => Constraint::CorrMatrix,
            SizedBase::CovMatrix(_) => Constraint::CovMatrix,
            SizedBase::SumToZeroVector(_) => Constraint::SumToZero,
            SizedBase::SumToZeroMatrix(..)
            | SizedBase::ColumnStochasticMatrix(..)
            | SizedBase::RowStochasticMatrix(..) => {
                return Err(LowerError::new(span, "this constrained type is not supported by exmc yet"))
            }
            SizedBase::Int => return Err(LowerError::new(span, "parameters cannot be integers")),
            SizedBase::Complex | SizedBase::ComplexVector(_) | SizedBase::ComplexRowVector(_) | SizedBase::ComplexMatrix(..) | SizedBase::Tuple(_) => {
                return Err(LowerError::new(span, "complex and tuple parameters are not supported by exmc"))
            }
            SizedBase::Real | SizedBase::Vector(_) | SizedBase::RowVector(_) | SizedBase::Matrix(..) => {
                match &d.ty.bounds {
                    Bounds::None => Constraint::Real,
                    Bounds::Range { lower, upper } => {
                        let lo = lower.as_ref().map(|e| self.eval(e).and_then(|v| self.val_expr(&v, e.span))).transpose()?;
                        let hi = upper.as_ref().map(|e| self.eval(e).and_then(|v| self.val_expr(&v, e.span))).transpose()?;
                        match (lo, hi) {
                            (Some(l), Some(u)) => Constraint::Interval(l, u),
                            (Some(l), None) => Constraint::Lower(l),
                            (None, Some(u)) => Constraint::Upper(u),
                            (None, None) => Constraint::Real,
                        }
                    }
                    Bounds::Affine { offset, multiplier } => {
                        let o = match offset {
                            Some(e) => {
                                let v = self.eval(e)?;
                                self.val_expr(&v, e.span)?
                            }
                            None => Expr::scalar(0.0),
                        };
                        let m = match multiplier {
                            Some(e) => {
                                let v = self.eval(e)?;
                                self.val_expr(&v, e.span)?
                            }
                            None => Expr::scalar(1.0),
                        };
                        Constraint::OffsetMultiplier(o, m)
                    }
                }
            }
        };
        Ok(c)
    }

    /// Declares a parameter in the model (trace mode) and returns its value.
    /// Arrays of structured types become one model parameter per element,
    /// named `name.1`, `name.2`, ...
    pub(crate) fn declare_param(&mut self, d: &VarDecl) -> R<Val> {
        let s = self.sized(&d.ty)?;
        let constraint = self.constraint(d)?;
        self.declare_param_as(&d.name.name, &s, d.ty.base.is_constrained(), &constraint, d.name.span)
    }

    /// Declares `name` of sized type `s`; arrays that one model parameter
    /// cannot hold are split on their first dimension, recursively.
    fn declare_param_as(&mut self, name: &str, s: &Sized, structured: bool, constraint: &Constraint, span: Span) -> R<Val> {
        if one_param_per_element(structured, s) {
            let inner = Sized { array: s.array[1..].to_vec(), base: s.base, int: s.int };
            let items = (0..s.array[0])
                .map(|k| self.declare_param_as(&format!("{name}.{}", k + 1), &inner, structured, constraint, span))
                .collect::<R<_>>()?;
            return Ok(Val::Array(items));
        }
        let model_err = |e: exmc_model::ModelError| LowerError::new(span, e.to_string());
        let container = match s.base {
            BaseKind::Scalar => Shape::Scalar,
            BaseKind::Tensor(TKind::Vector(n) | TKind::RowVector(n)) => Shape::Vector(n),
            BaseKind::Tensor(TKind::Matrix(r, c)) => Shape::Matrix(r, c),
        };
        let shape = match (s.array.as_slice(), s.base) {
            ([], _) => container,
            ([n], BaseKind::Scalar) => Shape::Vector(*n),
            ([j], BaseKind::Tensor(TKind::Vector(k) | TKind::RowVector(k))) => Shape::Matrix(*j, k),
            ([r, c], BaseKind::Scalar) => Shape::Matrix(*r, *c),
            _ => return Err(LowerError::new(span, "this array shape cannot be one parameter (internal: should have been split)")),
        };
        let m = self.model.as_mut().expect("trace mode");
        let p = m.param_with(name, shape, None, constraint.clone()).map_err(model_err)?;
        self.jacobians.push(super::target::log_jacobian(&p, constraint));
        Ok(self.split_param(p, s))
    }

    fn param_value(&mut self, p: Expr, base: BaseKind) -> Val {
        match base {
            BaseKind::Scalar => Val::Real(Sc::E(self.push(p))),
            BaseKind::Tensor(k) => Val::Tensor(Tensor { kind: k, repr: Repr::Whole(self.push(p)) }),
        }
    }

    /// The Stan value of a model parameter of shape `s` (arrays split into rows).
    fn split_param(&mut self, p: Expr, s: &Sized) -> Val {
        match (s.array.as_slice(), s.base) {
            ([], b) => self.param_value(p, b),
            ([n], BaseKind::Scalar) => Val::Array((0..*n).map(|i| Val::Real(Sc::E(self.push(p.at(i))))).collect()),
            ([j], BaseKind::Tensor(k)) => Val::Array(
                (0..*j)
                    .map(|i| {
                        let row = p.row(i);
                        Val::Tensor(Tensor { kind: k, repr: Repr::Whole(self.push(row)) })
                    })
                    .collect(),
            ),
            ([r, c], BaseKind::Scalar) => Val::Array(
                (0..*r).map(|i| Val::Array((0..*c).map(|j| Val::Real(Sc::E(self.push(p.at(i * c + j))))).collect())).collect(),
            ),
            _ => unreachable!("rejected in declare_param"),
        }
    }
}

/// Whether an array parameter becomes one model parameter per element of
/// its first dimension (`name.1`, `name.2`, ..., split again as needed):
/// arrays of constrained types (simplexes, ...), arrays of matrices, and
/// arrays of more dimensions than a matrix holds (`array[I, J] vector[K]`,
/// `array[I, J, K] real`).
pub(crate) fn one_param_per_element(constrained: bool, s: &Sized) -> bool {
    let fits_one = matches!((s.array.as_slice(), s.base), ([], _) | ([_], BaseKind::Scalar | BaseKind::Tensor(TKind::Vector(_) | TKind::RowVector(_))) | ([_, _], BaseKind::Scalar));
    !s.array.is_empty() && (constrained || matches!(s.base, BaseKind::Tensor(TKind::Matrix(..))) || !fits_one)
}

/// Stan's assignment promotions for an initialiser.
fn promote_to(s: &Sized, v: Val, span: Span) -> R<Val> {
    Ok(match (s.int, s.array.is_empty(), s.base, v) {
        (false, true, BaseKind::Scalar, Val::Int(i)) => Val::real(i as f64),
        (false, false, _, Val::Array(items)) => {
            let inner = Sized { array: s.array[1..].to_vec(), base: s.base, int: s.int };
            Val::Array(items.into_iter().map(|x| promote_to(&inner, x, span)).collect::<R<_>>()?)
        }
        (_, _, BaseKind::Tensor(k), Val::Tensor(t)) => {
            if t.len() != k.len() {
                return Err(LowerError::new(span, format!("size mismatch: declared {} elements, assigned {}", k.len(), t.len())));
            }
            Val::Tensor(Tensor { kind: k, repr: t.repr })
        }
        (_, _, _, v) => v,
    })
}

/// Splits row-major data values into a value of the declared type.
fn build_data(s: &Sized, depth: usize, values: &Values, pos: &mut usize) -> Val {
    if depth < s.array.len() {
        return Val::Array((0..s.array[depth]).map(|_| build_data(s, depth + 1, values, pos)).collect());
    }
    let take = |pos: &mut usize, n: usize| -> Vec<f64> {
        let v: Vec<f64> = (0..n)
            .map(|k| match values {
                Values::Int(v) => v.get(*pos + k).map_or(f64::NAN, |&x| x as f64),
                Values::Real(v) => v.get(*pos + k).copied().unwrap_or(f64::NAN),
            })
            .collect();
        *pos += n;
        v
    };
    match s.base {
        BaseKind::Scalar if s.int => {
            let v = match values {
                Values::Int(v) => v.get(*pos).copied().unwrap_or(0),
                Values::Real(v) => v.get(*pos).copied().unwrap_or(0.0) as i64,
            };
            *pos += 1;
            Val::Int(v)
        }
        BaseKind::Scalar => Val::real(take(pos, 1)[0]),
        BaseKind::Tensor(k) => Val::Tensor(Tensor { kind: k, repr: Repr::Const(Arc::new(take(pos, k.len()))) }),
    }
}
