//! `_rng` of the multivariate families (generated quantities and
//! transformed data): `dirichlet_rng(alpha)`, `multi_normal_rng(mu, Sigma)`
//! and `multi_normal_cholesky_rng(mu, L)` (`mu` a vector, row vector or an
//! array of them: one draw per element, sharing the matrix),
//! `lkj_corr_rng(K, eta)`, `lkj_corr_cholesky_rng(K, eta)`,
//! `categorical_rng(theta)`, `categorical_logit_rng(beta)`. The draws
//! themselves are `exmc_math::dist::multi_rng`.

use super::interp::{const_elems, LowerError, R};
use super::value::{TKind, Tensor, Val};
use crate::token::Span;
use exmc_math::dist::multi_rng;
use exmc_model::dist::MultiKind;
use rand_chacha::ChaCha8Rng;

/// Draws `name_rng(args)` for the multivariate family `kind`.
pub(crate) fn draw(kind: MultiKind, name: &str, args: &[Val], rng: &mut ChaCha8Rng, span: Span) -> R<Val> {
    let err = |e: exmc_math::dist::DistError| LowerError::new(span, format!("{name}_rng: {e}"));
    let numbers = |v: &Val| const_elems(v).ok_or_else(|| LowerError::new(span, format!("{name}_rng: arguments must be known numbers here")));
    let vector = |x: Vec<f64>| Val::Tensor(Tensor::constant(TKind::Vector(x.len()), x));
    let square = |x: Vec<f64>, k: usize| Val::Tensor(Tensor::constant(TKind::Matrix(k, k), x));
    match (kind, args) {
        (MultiKind::Dirichlet, [alpha]) => Ok(vector(multi_rng::dirichlet(rng, &numbers(alpha)?).map_err(err)?)),
        (MultiKind::MultiNormal | MultiKind::MultiNormalCholesky, [mu, m]) => {
            let m = numbers(m)?;
            let one = |rng: &mut ChaCha8Rng, mu: &Val| -> R<Val> {
                let mu = numbers(mu)?;
                let x = if kind == MultiKind::MultiNormal {
                    multi_rng::multi_normal(rng, &mu, &m)
                } else {
                    multi_rng::multi_normal_cholesky(rng, &mu, &m)
                };
                Ok(vector(x.map_err(err)?))
            };
            match mu {
                Val::Array(mus) => mus.iter().map(|mu| one(rng, mu)).collect::<R<_>>().map(Val::Array),
                _ => one(rng, mu),
            }
        }
        (MultiKind::LkjCorr | MultiKind::LkjCorrCholesky, [k, eta]) => {
            let (&Val::Int(k), Some(eta)) = (k, numbers(eta)?.first().copied()) else {
                return Err(LowerError::new(span, format!("{name}_rng(K, eta): K must be an int and eta a real")));
            };
            let x = if kind == MultiKind::LkjCorr {
                multi_rng::lkj_corr(rng, k, eta)
            } else {
                multi_rng::lkj_corr_cholesky(rng, k, eta)
            };
            Ok(square(x.map_err(err)?, k.max(0) as usize))
        }
        (MultiKind::Categorical, [theta]) => Ok(Val::Int(multi_rng::categorical(rng, &numbers(theta)?).map_err(err)?)),
        (MultiKind::CategoricalLogit, [beta]) => {
            Ok(Val::Int(multi_rng::categorical_logit(rng, &numbers(beta)?).map_err(err)?))
        }
        _ => Err(LowerError::new(span, format!("'{name}_rng' with these arguments is not supported by exmc yet"))),
    }
}
