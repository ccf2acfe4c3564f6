//! Initial points (Stan's `services::util::initialize`): uniform(−r, r) on the
//! unconstrained scale (r = 2), retried up to [`MAX_INIT_TRIES`] times until
//! the log density and every gradient component are finite; or a given point.

use crate::hamiltonian::Counted;
use crate::kernel::State;
use crate::settings::Init;
use exmc_core::{LogDensity, LogpErrorKind};
use rand::Rng;
use std::fmt;

pub const MAX_INIT_TRIES: usize = 100;
pub const DEFAULT_INIT_RADIUS: f64 = 2.0;

/// Why no initial point could be found.
#[derive(Clone, Debug, PartialEq)]
pub struct InitError {
    pub message: String,
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InitError {}

/// Evaluates the density at `q`; `Err(reason)` unless everything is finite,
/// `Ok(Err(fatal message))` for a fatal error.
fn try_point<D: LogDensity<f64>>(density: &mut Counted<D>, q: &[f64]) -> Result<State, (String, bool)> {
    let mut grad = vec![0.0; q.len()];
    density.evals += 1;
    match density.density.logp_grad(q, &mut grad) {
        Err(e) => Err((format!("log density error: {}", e.message), e.kind == LogpErrorKind::Fatal)),
        Ok(lp) if !lp.is_finite() => Err((format!("log density is {lp}"), false)),
        Ok(lp) => {
            let bad: Vec<usize> = (0..grad.len()).filter(|&i| !grad[i].is_finite()).collect();
            if bad.is_empty() {
                Ok(State { q: q.to_vec(), grad, logp: lp })
            } else {
                let shown: Vec<String> = bad.iter().take(10).map(|i| format!("{i}")).collect();
                let more = if bad.len() > 10 { format!(" and {} more", bad.len() - 10) } else { String::new() };
                Err((format!("gradient not finite at coordinates [{}]{more}", shown.join(", ")), false))
            }
        }
    }
}

/// Finds the initial state of one chain.
pub fn initial_state<D: LogDensity<f64>, R: Rng + ?Sized>(
    density: &mut Counted<D>,
    init: &Init,
    chain: usize,
    rng: &mut R,
) -> Result<State, InitError> {
    let dim = density.density.dim();
    let given = match init {
        Init::Given(v) => Some(v.as_slice()),
        Init::PerChain(vs) => vs.get(chain).map(|v| v.as_slice()),
        _ => None,
    };
    if let Some(q) = given {
        if q.len() != dim {
            return Err(InitError {
                message: format!("initial point has length {} but the model has dimension {dim}", q.len()),
            });
        }
        return try_point(density, q).map_err(|(why, _)| InitError {
            message: format!("the given initial point is not usable: {why}"),
        });
    }
    let radius = match init {
        Init::RandomRadius(r) => *r,
        _ => DEFAULT_INIT_RADIUS,
    };
    let tries = if radius == 0.0 { 1 } else { MAX_INIT_TRIES };
    let mut q = vec![0.0; dim];
    let mut last = String::new();
    for _ in 0..tries {
        for x in q.iter_mut() {
            *x = radius * (2.0 * rng.random::<f64>() - 1.0);
        }
        match try_point(density, &q) {
            Ok(state) => return Ok(state),
            Err((why, fatal)) => {
                if fatal {
                    return Err(InitError { message: format!("initialisation failed: {why}") });
                }
                last = why;
            }
        }
    }
    Err(InitError {
        message: format!(
            "no finite initial point after {tries} attempts drawn uniformly from (−{radius}, {radius}) \
             on the unconstrained scale; last attempt: {last}"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use exmc_core::LogpError;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Finite only where x0 > 1.5 (reached with probability 1/8 per try).
    struct Narrow;
    impl LogDensity<f64> for Narrow {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            if x[0] <= 1.5 {
                return Err(LogpError::recoverable("x0 must exceed 1.5"));
            }
            g[0] = 1.0;
            g[1] = -x[1];
            Ok(-0.5 * x[1] * x[1])
        }
    }

    struct Never;
    impl LogDensity<f64> for Never {
        fn dim(&self) -> usize {
            3
        }
        fn logp_grad(&mut self, _: &[f64], g: &mut [f64]) -> Result<f64, LogpError> {
            g[0] = 0.0;
            g[1] = f64::NAN;
            g[2] = f64::INFINITY;
            Ok(0.0)
        }
    }

    #[test]
    fn retries_until_finite() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut d = Counted::new(Narrow);
        let s = initial_state(&mut d, &Init::Random, 0, &mut rng).unwrap();
        assert!(s.q[0] > 1.5 && s.q[0] < 2.0 && s.logp.is_finite());
        assert!(d.evals > 1);
    }

    #[test]
    fn gives_up_with_the_reason() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let mut d = Counted::new(Never);
        let e = initial_state(&mut d, &Init::Random, 0, &mut rng).unwrap_err();
        assert_eq!(d.evals, 100);
        assert!(e.message.contains("100 attempts"), "{e}");
        assert!(e.message.contains("coordinates [1, 2]"), "{e}");
        let mut d = Counted::new(Narrow);
        let e = initial_state(&mut d, &Init::Given(vec![0.0, 0.0]), 0, &mut rng).unwrap_err();
        assert!(e.message.contains("x0 must exceed 1.5"), "{e}");
        let s = initial_state(&mut d, &Init::Given(vec![1.7, 0.3]), 0, &mut rng).unwrap();
        assert_eq!(s.q, vec![1.7, 0.3]);
    }
}
