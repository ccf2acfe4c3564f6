//! A vector-valued function whose value and Jacobian the user computes
//! (the analogue of [`crate::CustomDensity`] for deterministic values: an
//! ODE solution, a root of a system, ...).

use exmc_core::LogpError;
use std::fmt;
use std::sync::Arc;

/// A user-supplied function `out = f(args)` of the flattened values of its
/// argument expressions (in argument order, row-major). Called in `f64`
/// whatever the model's precision.
pub trait CustomFunction: Send + Sync {
    /// A name for messages.
    fn name(&self) -> &str;
    /// Length of the output vector.
    fn out_len(&self) -> usize;
    /// Writes `f(args)` into `out` (length [`Self::out_len`]) and, when
    /// `jac` is `Some`, the Jacobian `∂out_k/∂args_j` row-major
    /// (`out_len × args.len()`). A point where `f` is not defined: return
    /// `Err(LogpError::recoverable(..))`.
    fn eval(&self, args: &[f64], out: &mut [f64], jac: Option<&mut [f64]>) -> Result<(), LogpError>;
}

/// A shared handle to a custom function (compared by identity).
#[derive(Clone)]
pub struct CustomFnRef(pub Arc<dyn CustomFunction>);

impl CustomFnRef {
    /// Whether two handles name the same function object.
    pub fn same(&self, other: &CustomFnRef) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for CustomFnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomFunction({})", self.0.name())
    }
}
