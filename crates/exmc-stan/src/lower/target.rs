//! `target()` (legacy `get_lp()`): the log density accumulated so far, as an
//! expression of the parameters.
//!
//! As in Stan, the running total holds the log-Jacobian of every parameter's
//! constraining transform (added when the parameters are read, before the
//! model block runs) plus every `target +=` / `~` term executed so far. The
//! log-Jacobians are written in terms of the constrained value `x` (Stan
//! reference manual, "Constraint transforms"):
//!
//! * lower bound `a`: `log(x - a)`; upper bound `b`: `log(b - x)`;
//! * interval `(a, b)`: `log(x - a) + log(b - x) - log(b - a)`;
//! * offset/multiplier `(o, m)`: `log m` per element;
//! * ordered: `Σ_{k≥2} log(x_k - x_{k-1})`; positive ordered: that plus `log x_1`;
//! * simplex (stick-breaking): `Σ_k log x_k` (the sticks telescope:
//!   `log z_k + log(1 - z_k) + log stick_k = log x_k + log stick_{k+1} - log stick_k`).
//!
//! Unit vectors, Cholesky factors and correlation/covariance matrices have
//! log-Jacobians that are not functions of `x` alone: a program that has
//! such a parameter and calls `target()` gets a clear "not supported" error.

use super::interp::{Interp, LowerError, R};
use super::value::{Sc, Val};
use crate::ast::BlockKind;
use crate::token::Span;
use exmc_model::{BinaryFn, Constraint, Expr};

/// The log-Jacobian of `constraint` at the constrained value `x` (a scalar
/// expression), or the name of a constraint whose log-Jacobian cannot be
/// written in terms of `x`.
pub(crate) fn log_jacobian(x: &Expr, constraint: &Constraint) -> Result<Expr, &'static str> {
    let n = x.len();
    // As in Stan, an infinite bound is no bound.
    let infinite = |e: &Expr| e.as_const().is_some_and(|c| c.iter().all(|v| v.is_infinite()));
    Ok(match constraint {
        Constraint::Auto | Constraint::Real => Expr::scalar(0.0),
        Constraint::Lower(a) | Constraint::Interval(a, _) if infinite(a) => match constraint {
            Constraint::Interval(_, b) if !infinite(b) => b.binary(BinaryFn::Sub, x).log().sum(),
            _ => Expr::scalar(0.0),
        },
        Constraint::Upper(b) if infinite(b) => Expr::scalar(0.0),
        Constraint::Interval(a, b) if infinite(b) => x.binary(BinaryFn::Sub, a).log().sum(),
        Constraint::Lower(a) => x.binary(BinaryFn::Sub, a).log().sum(),
        Constraint::Upper(b) => b.binary(BinaryFn::Sub, x).log().sum(),
        Constraint::Interval(a, b) => {
            let inside = x.binary(BinaryFn::Sub, a).log().binary(BinaryFn::Add, b.binary(BinaryFn::Sub, x).log());
            inside.binary(BinaryFn::Sub, b.binary(BinaryFn::Sub, a).log()).sum()
        }
        // log m for each element: broadcast m over x (x·0 + log m).
        Constraint::OffsetMultiplier(_, m) => x.binary(BinaryFn::Mul, 0.0).binary(BinaryFn::Add, m.log()).sum(),
        Constraint::Ordered | Constraint::PositiveOrdered => {
            let mut acc = if matches!(constraint, Constraint::PositiveOrdered) && n > 0 {
                x.at(0).log()
            } else {
                Expr::scalar(0.0)
            };
            for k in 1..n {
                acc = acc.binary(BinaryFn::Add, x.at(k).binary(BinaryFn::Sub, x.at(k - 1)).log());
            }
            acc
        }
        Constraint::Simplex => x.log().sum(),
        Constraint::SumToZero => Expr::scalar(0.0),
        Constraint::UnitVector => return Err("unit_vector"),
        Constraint::CholeskyFactorCorr => return Err("cholesky_factor_corr"),
        Constraint::CholeskyFactorCov => return Err("cholesky_factor_cov"),
        Constraint::CorrMatrix => return Err("corr_matrix"),
        Constraint::CovMatrix => return Err("cov_matrix"),
    })
}

impl<'p> Interp<'p> {
    /// The value of `target()` here: every parameter's log-Jacobian plus the
    /// target terms added so far.
    pub fn target_value(&mut self, span: Span) -> R<Val> {
        if self.model.is_none() || self.block != BlockKind::Model {
            return Err(LowerError::new(
                span,
                "target() outside the model block (or a function called from it) is not supported by exmc yet",
            ));
        }
        let mut total = Expr::scalar(0.0);
        for j in &self.jacobians {
            match j {
                Ok(e) => total = total.binary(BinaryFn::Add, e),
                Err(kind) => {
                    return Err(LowerError::new(
                        span,
                        format!("target() in a program with a {kind} parameter is not supported by exmc yet (its log-Jacobian is not a function of the constrained value)"),
                    ))
                }
            }
        }
        for t in &self.target_terms {
            total = total.binary(BinaryFn::Add, t);
        }
        if let Some(m) = total.error() {
            return Err(LowerError::new(span, m.to_string()));
        }
        Ok(Val::Real(Sc::E(self.push(total))))
    }
}
