//! The model builder: parameters with priors and constraints, observed data,
//! deterministic quantities and extra log-density terms.
//!
//! ```
//! use exmc_model::{Model, dist::normal};
//! let mut m = Model::new();
//! let mu = m.param("mu", normal(0.0, 10.0)).unwrap();
//! m.observe("y", normal(&mu, 1.0), vec![0.3, -0.2, 1.1]).unwrap();
//! let compiled = m.compile().unwrap();
//! assert_eq!(compiled.dim(), 1);
//! ```

use crate::dist::{Dist, DistKind};
use crate::error::{suggest, ModelError};
use crate::expr::{Expr, Node};
use crate::shape::Shape;
use std::collections::HashMap;

/// The constraint on a parameter, deciding its transform to the
/// unconstrained space.
#[derive(Clone, Debug)]
pub enum Constraint {
    /// From the prior's support (positive → lower bound 0, unit → (0, 1),
    /// uniform(a, b) → (a, b)); unconstrained if there is no prior.
    Auto,
    /// No constraint.
    Real,
    Lower(Expr),
    Upper(Expr),
    Interval(Expr, Expr),
    /// `x = offset + multiplier · y` (Stan's `<offset=, multiplier=>`).
    OffsetMultiplier(Expr, Expr),
    Simplex,
    /// `sum_to_zero_vector`: a vector whose elements sum to zero.
    SumToZero,
    Ordered,
    PositiveOrdered,
    UnitVector,
    CholeskyFactorCorr,
    CorrMatrix,
    CholeskyFactorCov,
    CovMatrix,
}

/// Observed values: reals or integers (counts, categories), with a shape.
#[derive(Clone, Debug)]
pub enum Data {
    Real(Vec<f64>, Shape),
    Int(Vec<i64>, Shape),
}

impl Data {
    pub fn matrix(rows: usize, cols: usize, values: Vec<f64>) -> Data {
        Data::Real(values, Shape::Matrix(rows, cols))
    }
    pub fn shape(&self) -> Shape {
        match self {
            Data::Real(_, s) | Data::Int(_, s) => *s,
        }
    }
}

impl From<f64> for Data {
    fn from(v: f64) -> Data {
        Data::Real(vec![v], Shape::Scalar)
    }
}
impl From<Vec<f64>> for Data {
    fn from(v: Vec<f64>) -> Data {
        let n = v.len();
        Data::Real(v, Shape::Vector(n))
    }
}
impl From<&[f64]> for Data {
    fn from(v: &[f64]) -> Data {
        v.to_vec().into()
    }
}
impl From<&Vec<f64>> for Data {
    fn from(v: &Vec<f64>) -> Data {
        v.clone().into()
    }
}
impl From<i64> for Data {
    fn from(v: i64) -> Data {
        Data::Int(vec![v], Shape::Scalar)
    }
}
impl From<Vec<i64>> for Data {
    fn from(v: Vec<i64>) -> Data {
        let n = v.len();
        Data::Int(v, Shape::Vector(n))
    }
}
impl From<&[i64]> for Data {
    fn from(v: &[i64]) -> Data {
        v.to_vec().into()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ParamDecl {
    pub name: String,
    pub shape: Shape,
    pub prior: Option<Dist>,
    pub constraint: Constraint,
    /// The node user expressions refer to.
    pub node: Expr,
}

#[derive(Clone, Debug)]
pub(crate) struct ObservedDecl {
    pub name: String,
    pub dist: Dist,
    /// The data as an expression (real or integer constant node).
    pub value: Expr,
}

/// A model under construction. See the crate docs.
#[derive(Default)]
pub struct Model {
    pub(crate) params: Vec<ParamDecl>,
    pub(crate) observed: Vec<ObservedDecl>,
    pub(crate) factors: Vec<(String, Expr)>,
    pub(crate) deterministics: Vec<(String, Expr)>,
    names: HashMap<String, Option<Expr>>,
}

impl Model {
    pub fn new() -> Model {
        Model::default()
    }

    fn claim(&mut self, name: &str) -> Result<(), ModelError> {
        if name.is_empty() {
            return Err(ModelError::Invalid { var: name.into(), message: "names must not be empty".into() });
        }
        if self.names.contains_key(name) {
            return Err(ModelError::DuplicateName { name: name.into() });
        }
        Ok(())
    }

    fn check_expr(var: &str, e: &Expr) -> Result<(), ModelError> {
        match e.error() {
            Some(msg) => Err(ModelError::Shape { var: var.into(), message: msg.into() }),
            None => Ok(()),
        }
    }

    fn check_dist(var: &str, d: &Dist, shape: Shape) -> Result<(), ModelError> {
        for a in &d.args {
            Self::check_expr(var, a)?;
        }
        if let Some((l, u)) = &d.truncation {
            for b in [l, u].into_iter().flatten() {
                Self::check_expr(var, b)?;
            }
        }
        d.check_variate(shape).map_err(|message| ModelError::Shape { var: var.into(), message })
    }

    /// A scalar parameter with a prior; the constraint follows the prior's support.
    pub fn param(&mut self, name: &str, prior: Dist) -> Result<Expr, ModelError> {
        self.param_with(name, Shape::Scalar, Some(prior), Constraint::Auto)
    }

    /// A vector parameter of length `n` with a prior (broadcast or vectorised).
    pub fn param_vector(&mut self, name: &str, n: usize, prior: Dist) -> Result<Expr, ModelError> {
        self.param_with(name, Shape::Vector(n), Some(prior), Constraint::Auto)
    }

    /// A matrix parameter.
    pub fn param_matrix(&mut self, name: &str, rows: usize, cols: usize, prior: Dist) -> Result<Expr, ModelError> {
        self.param_with(name, Shape::Matrix(rows, cols), Some(prior), Constraint::Auto)
    }

    /// A parameter with any shape, optional prior and explicit constraint.
    /// Without a prior the density is flat on the constrained space (as a
    /// Stan parameter with no sampling statement).
    pub fn param_with(
        &mut self,
        name: &str,
        shape: Shape,
        prior: Option<Dist>,
        constraint: Constraint,
    ) -> Result<Expr, ModelError> {
        self.claim(name)?;
        if let Some(d) = &prior {
            Self::check_dist(name, d, shape)?;
            if !d.is_continuous() {
                return Err(ModelError::Unsupported {
                    var: name.into(),
                    message: format!("a discrete prior ({}) on a parameter: marginalise it out", d.name()),
                });
            }
        }
        match &constraint {
            Constraint::Lower(a) | Constraint::Upper(a) => Self::check_bound(name, a, shape)?,
            Constraint::Interval(a, b) | Constraint::OffsetMultiplier(a, b) => {
                Self::check_bound(name, a, shape)?;
                Self::check_bound(name, b, shape)?;
            }
            _ => {}
        }
        let id = self.params.len();
        let e = Expr::new(Node::Param(id), shape);
        self.params.push(ParamDecl { name: name.into(), shape, prior, constraint, node: e.clone() });
        self.names.insert(name.into(), Some(e.clone()));
        Ok(e)
    }

    fn check_bound(var: &str, b: &Expr, shape: Shape) -> Result<(), ModelError> {
        Self::check_expr(var, b)?;
        if b.shape().broadcast(shape) != Some(shape) {
            return Err(ModelError::Shape {
                var: var.into(),
                message: format!("bound has shape {} but the parameter has shape {}", b.shape(), shape),
            });
        }
        Ok(())
    }

    /// Observed data `data ~ dist`. Data are checked now: NaN or infinite
    /// values, and integer data outside the distribution's support, are
    /// errors naming the variable.
    pub fn observe(&mut self, name: &str, dist: Dist, data: impl Into<Data>) -> Result<(), ModelError> {
        self.claim(name)?;
        let data = data.into();
        let shape = data.shape();
        if shape.len() != match &data {
            Data::Real(v, _) => v.len(),
            Data::Int(v, _) => v.len(),
        } {
            return Err(ModelError::Shape { var: name.into(), message: format!("data length does not match {shape}") });
        }
        Self::check_dist(name, &dist, shape)?;
        let discrete = match dist.kind {
            DistKind::Cont(_) => false,
            DistKind::Disc(_) => true,
            DistKind::Multi(m) => m.is_discrete(),
        };
        let value = match (discrete, data) {
            (false, Data::Real(v, s)) => {
                if let Some((i, &x)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
                    return Err(ModelError::NonFiniteData { var: name.into(), index: i, value: x });
                }
                Expr::new(Node::Const(v.into()), s)
            }
            (false, Data::Int(v, s)) => Expr::new(Node::Const(v.iter().map(|&x| x as f64).collect()), s),
            (true, Data::Int(v, s)) => Expr::new(Node::IntConst(v.into()), s),
            (true, Data::Real(..)) => {
                return Err(ModelError::InvalidData {
                    var: name.into(),
                    message: format!("{} is discrete: observe integer data (Vec<i64>)", dist.name()),
                })
            }
        };
        crate::compile::check_discrete_data(name, &dist, &value)?;
        self.observed.push(ObservedDecl { name: name.into(), dist, value });
        self.names.insert(name.into(), None);
        Ok(())
    }

    /// A named deterministic quantity, reported with every draw.
    pub fn deterministic(&mut self, name: &str, e: impl Into<Expr>) -> Result<Expr, ModelError> {
        self.claim(name)?;
        let e = e.into();
        Self::check_expr(name, &e)?;
        self.deterministics.push((name.into(), e.clone()));
        self.names.insert(name.into(), Some(e.clone()));
        Ok(e)
    }

    /// Adds `Σ e` to the log density (a potential; Stan's `target += e`).
    pub fn factor(&mut self, name: &str, e: impl Into<Expr>) -> Result<(), ModelError> {
        self.claim(name)?;
        let e = e.into();
        Self::check_expr(name, &e)?;
        self.factors.push((name.into(), e));
        self.names.insert(name.into(), None);
        Ok(())
    }

    /// Adds `Σ e` to the log density under a generated name (Stan's
    /// `target +=` and `~` statements); `origin` says where it came from,
    /// for messages (e.g. "model.stan:12:5").
    pub fn add_target(&mut self, origin: &str, e: impl Into<Expr>) -> Result<(), ModelError> {
        let name = format!("{origin} #{}", self.factors.len() + 1);
        let e = e.into();
        Self::check_expr(&name, &e)?;
        self.factors.push((name, e));
        Ok(())
    }

    /// The expression of a parameter or deterministic by name.
    pub fn var(&self, name: &str) -> Result<Expr, ModelError> {
        match self.names.get(name) {
            Some(Some(e)) => Ok(e.clone()),
            Some(None) => Err(ModelError::Invalid {
                var: name.into(),
                message: "observed variables and factors have no value expression".into(),
            }),
            None => Err(ModelError::UnknownName {
                name: name.into(),
                suggestion: suggest(name, self.names.keys().map(|s| s.as_str())),
            }),
        }
    }

    /// Names of the parameters in declaration order.
    pub fn param_names(&self) -> Vec<&str> {
        self.params.iter().map(|p| p.name.as_str()).collect()
    }
}
