//! The escape hatch: a log-density term whose value and gradient the user
//! computes.

use exmc_core::LogpError;
use std::fmt;
use std::sync::Arc;

/// A user-supplied log-density term over the flattened values of its
/// argument expressions (in argument order, row-major). Called in `f64`
/// whatever the model's precision.
pub trait CustomDensity: Send + Sync {
    /// A name for messages.
    fn name(&self) -> &str;
    /// Returns the log density at `args` and writes `∂/∂args` into `grad`
    /// (same length). A point outside the support: return
    /// `Err(LogpError::recoverable(..))`.
    fn logp_grad(&self, args: &[f64], grad: &mut [f64]) -> Result<f64, LogpError>;
}

/// A shared handle to a custom density (compared by identity).
#[derive(Clone)]
pub struct CustomRef(pub Arc<dyn CustomDensity>);

impl fmt::Debug for CustomRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomDensity({})", self.0.name())
    }
}
