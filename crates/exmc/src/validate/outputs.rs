//! The output map of a Stan program as a run's [`Constrain`]: parameters,
//! transformed parameters and generated quantities of one draw.

use crate::run::Constrain;
use exmc_core::LogpError;
use exmc_stan::StanOutputs;

/// One chain's [`StanOutputs`], usable as the `outputs` of
/// [`crate::run::run_with`]. `None` (no output map for this chain) makes
/// every row an error, reported by the run as NaN outputs.
pub struct StanConstrain(pub Option<StanOutputs>);

impl Constrain for StanConstrain {
    fn constrain(&mut self, x: &[f64], out: &mut Vec<f64>) -> Result<(), LogpError> {
        match &mut self.0 {
            Some(o) => o.row(x, out).map_err(|e| LogpError::recoverable(e.message)),
            None => Err(LogpError::fatal("no output map for this chain")),
        }
    }
}
