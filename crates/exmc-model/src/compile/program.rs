//! The flat program a model compiles to: instructions over a value arena,
//! with a forward sweep (values, log density, local partials) and a reverse
//! sweep (adjoints).
//!
//! Layout. Values live in two arrays: `vals` (everything that depends on the
//! parameters; the unconstrained parameter vector occupies `vals[..dim]`) and
//! `consts` (data and folded data-only subgraphs, never written after
//! compilation). A [`Ref`] names a contiguous range in one of them. The
//! program is in SSA order: an instruction's output range lies after every
//! `vals` range it reads, so the forward sweep writes in increasing order and
//! the reverse sweep visits instructions backwards. Adjoints exist for `vals`
//! only — data never receives gradient.

use crate::dist::{ContKind, DiscKind, Eval, MultiKind};
use exmc_math::transform::VectorTransform;
use crate::expr::{BinaryFn, UnaryFn};

/// Marks a [`Ref`] into the constant array.
pub(crate) const CONST_BIT: u32 = 1 << 31;

/// A contiguous range of values: `len` elements from `off` in `vals`, or in
/// `consts` when `off` has [`CONST_BIT`] set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Ref {
    pub off: u32,
    pub len: u32,
}

impl Ref {
    #[inline(always)]
    pub fn is_const(self) -> bool {
        self.off & CONST_BIT != 0
    }
    #[inline(always)]
    pub fn start(self) -> usize {
        (self.off & !CONST_BIT) as usize
    }
    #[inline(always)]
    pub fn end(self) -> usize {
        self.start() + self.len as usize
    }
    #[inline(always)]
    pub fn len(self) -> usize {
        self.len as usize
    }
    #[inline(always)]
    pub fn range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }
}

/// Which constraining transform an instruction applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TransformKind {
    /// `x = lb + exp(y)`; bounds: `[lb]`.
    Lower,
    /// `x = ub - exp(y)`; bounds: `[ub]`.
    Upper,
    /// `x = lb + (ub - lb) inv_logit(y)`; bounds: `[lb, ub]`.
    Interval,
    /// `x = mu + sigma y`; bounds: `[mu, sigma]`.
    OffsetMultiplier,
}

/// One instruction. Lists of operands (`args`) index into `Program::refs`;
/// integer data into `Program::ints`; gather indices into `Program::idx`.
#[derive(Clone, Debug)]
pub(crate) enum Instr {
    Unary { f: UnaryFn, a: Ref, out: Ref },
    Binary { f: BinaryFn, a: Ref, b: Ref, out: Ref },
    Sum { a: Ref, out: Ref },
    Dot { a: Ref, b: Ref, out: Ref },
    LogSumExp { a: Ref, out: Ref },
    CumSum { a: Ref, out: Ref },
    /// `out = M v`, `M` is `out.len × v.len`, row-major.
    MatVec { m: Ref, v: Ref, out: Ref },
    /// `out = M v` for a data matrix stored column-major (`mt`, `v.len`
    /// columns of `out.len`): the forward sweep is one long axpy per
    /// column and the reverse one long dot per column, both vectorisable.
    MatVecCols { mt: Ref, v: Ref, out: Ref },
    /// `out = chol(a)`, the lower Cholesky factor of the `k × k` matrix
    /// `a` (row-major, lower triangle read; `k² = a.len`). Scratch at
    /// `partials[soff..]`: `1 / L_jj` kept from the forward to the reverse
    /// sweep, then `k²` for the reverse solves ([`super::cholesky`]).
    Cholesky { a: Ref, out: Ref, soff: u32 },
    /// `out[k] = a[idx[idx_start + k]]`.
    Gather { a: Ref, idx_start: u32, out: Ref },
    /// `out = a₁ ‖ a₂ ‖ …` for the operands `refs[args..args+n]`.
    Concat { args: u32, n: u32, out: Ref },
    /// `out = cond ? a : b` elementwise with broadcasting.
    Select { c: Ref, a: Ref, b: Ref, out: Ref },
    /// Log density (or log CDF / CCDF) of a continuous distribution, summed.
    /// Operands: `refs[args]` is the variate, then the parameters. With
    /// truncation, two more operands follow: lower and upper (a zero-length
    /// ref meaning "none"). Partials are stored at `partials[poff..]`.
    Cont { kind: ContKind, eval: Eval, trunc: bool, args: u32, nargs: u32, out: Ref, poff: u32 },
    /// Log mass of a discrete distribution summed over `n` elements:
    /// integer arguments at `ints[ioff..]` (element-major, `kind.int_args()`
    /// per element), real parameters `refs[args..args+nargs]`, data-only
    /// terms pre-summed in `consts[cterm]`.
    Disc { kind: DiscKind, n: u32, ioff: u32, args: u32, nargs: u32, cterm: u32, out: Ref, poff: u32 },
    /// Constraining transform `out = f(y; bounds)`; adds `log|J|` to the
    /// target. Bounds are `refs[args..args+nargs]`.
    Transform { kind: TransformKind, y: Ref, args: u32, nargs: u32, out: Ref },
    /// Log density of a multivariate distribution. Operands
    /// `refs[args..args+nargs]`: the variate (absent for integer variates),
    /// then the parameters. Integer variates (categorical, 1-based) are
    /// `ints[ioff..ioff+ni]`. Every operand has a partials region of its
    /// length at `partials[poff..]`, in operand order, followed by `scratch`
    /// values of kernel scratch.
    Multi { kind: MultiKind, args: u32, nargs: u32, ioff: u32, ni: u32, out: Ref, poff: u32, scratch: u32 },
    /// A vector / matrix constraining transform (simplex, ordered, Cholesky
    /// factors, ...): `out = t(y)`, adds `log|J|` to the target. Kernel
    /// scratch at `partials[soff..]`.
    VTransform { t: VectorTransform, y: Ref, out: Ref, soff: u32 },
    /// A user-supplied density (`customs[id]`) of the operands
    /// `refs[args..args+nargs]`; its gradient is stored at `partials[poff..]`.
    Custom { id: u32, args: u32, nargs: u32, out: Ref, poff: u32 },
    /// A user-supplied vector function (`custom_fns[id]`) of the operands
    /// `refs[args..args+nargs]`; its Jacobian (`out.len × Σ len`, row-major)
    /// is stored at `partials[poff..]` ([`super::custom_fn`]).
    CustomFn { id: u32, args: u32, nargs: u32, out: Ref, poff: u32 },
    /// `target += Σ a`.
    Target { a: Ref },
    /// A run of scalar arithmetic: the operations `sops[start..start+n]`
    /// ([`super::scalar`]).
    Scalar { start: u32, n: u32 },
}
