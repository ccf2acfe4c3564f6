//! The scalar type a compiled model computes in: `f32` or `f64`.

use num_traits::{Float, FloatConst, NumAssign};
use std::fmt::{Debug, Display};
use std::iter::Sum;

/// Floating-point precision of a compiled model.
///
/// Everything numeric in `exmc-math` and `exmc-model` is generic over `Real`,
/// so the same model compiles to an `f32` and an `f64` log density.
pub trait Real:
    Float + FloatConst + NumAssign + Sum + Copy + Default + Debug + Display + Send + Sync + 'static
{
    /// Name of the precision, for messages and output headers.
    const NAME: &'static str;
    /// Machine epsilon.
    const EPS: Self;
    /// Converts an `f64` constant (rounding to nearest for `f32`).
    fn c(x: f64) -> Self;
    /// Widens to `f64`.
    fn f64(self) -> f64;
}

impl Real for f64 {
    const NAME: &'static str = "f64";
    const EPS: Self = f64::EPSILON;
    #[inline(always)]
    fn c(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self
    }
}

impl Real for f32 {
    const NAME: &'static str = "f32";
    const EPS: Self = f32::EPSILON;
    #[inline(always)]
    fn c(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self as f64
    }
}
