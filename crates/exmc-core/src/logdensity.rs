//! The log-density contract between a model and a sampler.

use crate::Real;
use std::borrow::Cow;
use std::fmt;

/// Whether a failed evaluation is a property of the point (recoverable: the
/// sampler treats it as a divergence / rejected point) or of the model
/// (fatal: the chain stops and reports the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogpErrorKind {
    /// Bad numbers at this point: a scale ≤ 0, a non-finite value. The sampler
    /// turns it into a divergence.
    Recoverable,
    /// The model cannot be evaluated at all (bug, `fatal_error`, missing data).
    Fatal,
}

/// Why a log density could not be evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct LogpError {
    pub kind: LogpErrorKind,
    pub message: Cow<'static, str>,
}

impl LogpError {
    pub fn recoverable(message: impl Into<Cow<'static, str>>) -> Self {
        LogpError { kind: LogpErrorKind::Recoverable, message: message.into() }
    }
    pub fn fatal(message: impl Into<Cow<'static, str>>) -> Self {
        LogpError { kind: LogpErrorKind::Fatal, message: message.into() }
    }
    pub fn is_recoverable(&self) -> bool {
        self.kind == LogpErrorKind::Recoverable
    }
}

impl fmt::Display for LogpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            LogpErrorKind::Recoverable => "recoverable",
            LogpErrorKind::Fatal => "fatal",
        };
        write!(f, "{} ({kind})", self.message)
    }
}

impl std::error::Error for LogpError {}

/// A differentiable log density over an unconstrained vector of length `dim()`.
///
/// `logp_grad` writes ∇ log p(x) into `grad` and returns log p(x). It should
/// not allocate. A non-finite log density or gradient must be reported as an
/// `Err` of kind [`LogpErrorKind::Recoverable`] (or a returned `-inf`), never
/// as a silently poisoned gradient.
pub trait LogDensity<T: Real = f64> {
    fn dim(&self) -> usize;
    fn logp_grad(&mut self, x: &[T], grad: &mut [T]) -> Result<T, LogpError>;
}

impl<T: Real, D: LogDensity<T> + ?Sized> LogDensity<T> for &mut D {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn logp_grad(&mut self, x: &[T], grad: &mut [T]) -> Result<T, LogpError> {
        (**self).logp_grad(x, grad)
    }
}

impl<T: Real, D: LogDensity<T> + ?Sized> LogDensity<T> for Box<D> {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn logp_grad(&mut self, x: &[T], grad: &mut [T]) -> Result<T, LogpError> {
        (**self).logp_grad(x, grad)
    }
}

/// Presents a log density in precision `T` (e.g. `f32`) as an `f64` one, so
/// that the sampler keeps its accumulators in `f64` whatever the model's
/// precision. Holds two buffers, allocated once.
pub struct Widen<T: Real, D: LogDensity<T>> {
    inner: D,
    x: Vec<T>,
    grad: Vec<T>,
}

impl<T: Real, D: LogDensity<T>> Widen<T, D> {
    pub fn new(inner: D) -> Self {
        let n = inner.dim();
        Widen { inner, x: vec![T::zero(); n], grad: vec![T::zero(); n] }
    }
    pub fn inner(&self) -> &D {
        &self.inner
    }
    pub fn inner_mut(&mut self) -> &mut D {
        &mut self.inner
    }
}

impl<T: Real, D: LogDensity<T>> LogDensity<f64> for Widen<T, D> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }
    fn logp_grad(&mut self, x: &[f64], grad: &mut [f64]) -> Result<f64, LogpError> {
        for (dst, &src) in self.x.iter_mut().zip(x) {
            *dst = T::c(src);
        }
        let lp = self.inner.logp_grad(&self.x, &mut self.grad)?;
        for (dst, &src) in grad.iter_mut().zip(&self.grad) {
            *dst = src.f64();
        }
        Ok(lp.f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct StdNormal32;
    impl LogDensity<f32> for StdNormal32 {
        fn dim(&self) -> usize {
            2
        }
        fn logp_grad(&mut self, x: &[f32], grad: &mut [f32]) -> Result<f32, LogpError> {
            let mut lp = 0.0;
            for (g, &xi) in grad.iter_mut().zip(x) {
                lp -= 0.5 * xi * xi;
                *g = -xi;
            }
            Ok(lp)
        }
    }

    #[test]
    fn widen_converts_both_ways() {
        let mut d = Widen::new(StdNormal32);
        let mut g = [0.0; 2];
        let lp = d.logp_grad(&[1.0, -2.0], &mut g).unwrap();
        assert_eq!(lp, -2.5);
        assert_eq!(g, [-1.0, 2.0]);
    }
}
