//! Hot loops compiled for the CPU the program runs on (runtime dispatch).
//!
//! Release builds target plain x86-64 (SSE2 only), so that binaries run on
//! any x86-64 CPU. The kernels here are written once as `#[inline(always)]`
//! generic bodies (over `f32`/`f64` and FMA or not); small wrappers compile each body again with
//! `#[target_feature(enable = "avx2,fma")]` or `"avx512f,avx512dq,…"`, where the compiler
//! vectorises it at 4 or 8 `f64` lanes with fused multiply-adds. Which
//! wrapper runs is chosen by an [`Isa`] value, detected once
//! (`is_x86_feature_detected!`) when a model is compiled.
//!
//! Soundness: calling a `target_feature` function on a CPU without the
//! feature is undefined behaviour, so an [`Isa`] can only be obtained from
//! [`Isa::detect`] (what the CPU has, possibly lowered by `EXMC_SIMD`),
//! [`Isa::scalar`] or [`Isa::at_most`] (which only lowers). The `unsafe`
//! blocks live in the dispatch wrappers alone.
//!
//! Accuracy: the vector bodies sum in the same order as the scalar ones
//! (fixed lane accumulators), so they differ only by the roundings that
//! fused multiply-adds save: relative differences of order 1e-16 per term.
//!
//! * [`linalg`]: column-major data matrix times vector and its transpose.
//! * [`logistic`]: `Σ bernoulli_logit(y | η)` with `∂/∂η`, branch-free.
//! * [`student_t`]: `Σ student_t(x | ν, μ, exp(log σ))` with partials, branch-free (the `sv` likelihood).

pub mod linalg;
pub mod logistic;
pub mod student_t;

use exmc_core::Real;
use std::sync::OnceLock;

/// `a·b + c`, fused (one rounding) when `FMA`. Ask for `FMA` only in a body
/// compiled with the `fma` target feature, where it is one instruction
/// (elsewhere `mul_add` is a slow library call).
#[inline(always)]
pub(crate) fn madd<T: Real, const FMA: bool>(a: T, b: T, c: T) -> T {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// Instruction-set level of the vector kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Isa(Level);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Level {
    /// Portable code (SSE2 on x86-64): the kernels' callers keep their
    /// own scalar loops.
    Scalar,
    /// AVX2 + FMA (4 `f64` lanes).
    Avx2,
    /// AVX-512 F/DQ/VL + AVX2 + FMA (8 `f64` lanes).
    Avx512,
}

impl Isa {
    /// The portable level (always sound).
    pub const fn scalar() -> Isa {
        Isa(Level::Scalar)
    }

    /// The best level this CPU supports, detected once per process. The
    /// environment variable `EXMC_SIMD` (`scalar`, `avx2`, `avx512`) can
    /// lower it (never raise it), e.g. to compare or to rule the kernels out.
    pub fn detect() -> Isa {
        static DETECTED: OnceLock<Isa> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let best = Isa(cpu_level());
            match std::env::var("EXMC_SIMD").ok().as_deref() {
                Some("scalar") | Some("off") | Some("none") => Isa::scalar(),
                Some("avx2") => best.at_most(Isa(Level::Avx2)),
                _ => best,
            }
        })
    }

    /// `self`, lowered to `cap` if `cap` is lower.
    pub fn at_most(self, cap: Isa) -> Isa {
        self.min(cap)
    }

    /// The AVX2 level capped at what this CPU has (for tests and
    /// benchmarks comparing levels).
    pub fn avx2_or_lower() -> Isa {
        Isa::detect().at_most(Isa(Level::Avx2))
    }

    /// Whether vector kernels are available (AVX2 or better).
    pub fn is_vector(self) -> bool {
        self.0 != Level::Scalar
    }

    /// A short name: `scalar`, `avx2` or `avx512`.
    pub fn name(self) -> &'static str {
        match self.0 {
            Level::Scalar => "scalar",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn cpu_level() -> Level {
    if is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512vl")
        && is_x86_feature_detected!("avx2")
        && is_x86_feature_detected!("fma")
    {
        Level::Avx512
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Level::Avx2
    } else {
        Level::Scalar
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_level() -> Level {
    Level::Scalar
}

/// Calls a kernel body compiled for the level `$isa` names: defines the two
/// `target_feature` wrappers around the bodies given for each level and
/// picks one. The bodies must be `#[inline(always)]`; the vector ones may
/// use fused multiply-adds ([`madd`]; one instruction there).
///
/// `dispatch!(isa, fn<T: Real>(a: A, b: B) -> R, scalar: body::<T, false>, avx2: body::<T, true>, avx512: body::<T, true>)`
macro_rules! dispatch {
    ($isa:expr, fn<$g:ident : $bound:path>($($arg:ident : $ty:ty),*) -> $ret:ty,
     scalar: $s:expr, avx2: $a2:expr, avx512: $a5:expr) => {{
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn avx2<$g: $bound>($($arg: $ty),*) -> $ret {
            ($a2)($($arg),*)
        }
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")]
        unsafe fn avx512<$g: $bound>($($arg: $ty),*) -> $ret {
            ($a5)($($arg),*)
        }
        match $isa.0 {
            // SAFETY: an `Isa` at this level exists only when
            // `is_x86_feature_detected!` found every feature enabled above
            // (see `Isa::detect`; no other constructor raises the level).
            #[cfg(target_arch = "x86_64")]
            $crate::simd::Level::Avx512 => unsafe { avx512::<$g>($($arg),*) },
            // SAFETY: as above, for AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            $crate::simd::Level::Avx2 => unsafe { avx2::<$g>($($arg),*) },
            _ => ($s)($($arg),*),
        }
    }};
}
pub(crate) use dispatch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_only_go_down() {
        let d = Isa::detect();
        assert_eq!(d.at_most(Isa::scalar()), Isa::scalar());
        assert_eq!(Isa::scalar().at_most(d), Isa::scalar());
        assert!(Isa::avx2_or_lower() <= d);
        assert!(!Isa::scalar().is_vector());
    }
}
