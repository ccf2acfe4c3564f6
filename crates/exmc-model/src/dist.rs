//! Distribution specifications in the model graph: which distribution, with
//! which argument expressions. The numerical kernels live in
//! `exmc_math::dist`; the `with_*` macros here map a kind to its kernel type.

use crate::expr::Expr;
use crate::shape::Shape;
use exmc_math::dist::{Continuous, Discrete, Support};

/// Maps a [`ContKind`] to its kernel type and evaluates `$body` with it.
#[macro_export]
#[doc(hidden)]
macro_rules! with_cont {
    ($kind:expr, $D:ident => $body:expr) => {{
        use $crate::dist::ContKind as CK;
        use exmc_math::dist as kd;
        match $kind {
            CK::Normal => { type $D = kd::Normal; $body }
            CK::HalfNormal => { type $D = kd::HalfNormal; $body }
            CK::StudentT => { type $D = kd::StudentT; $body }
            CK::HalfStudentT => { type $D = kd::HalfStudentT; $body }
            CK::Cauchy => { type $D = kd::Cauchy; $body }
            CK::HalfCauchy => { type $D = kd::HalfCauchy; $body }
            CK::DoubleExponential => { type $D = kd::DoubleExponential; $body }
            CK::Logistic => { type $D = kd::Logistic; $body }
            CK::Gumbel => { type $D = kd::Gumbel; $body }
            CK::Lognormal => { type $D = kd::Lognormal; $body }
            CK::Exponential => { type $D = kd::Exponential; $body }
            CK::Gamma => { type $D = kd::Gamma; $body }
            CK::InvGamma => { type $D = kd::InvGamma; $body }
            CK::Weibull => { type $D = kd::Weibull; $body }
            CK::Beta => { type $D = kd::Beta; $body }
            CK::Uniform => { type $D = kd::Uniform; $body }
            CK::ChiSquare => { type $D = kd::ChiSquare; $body }
            CK::VonMises => { type $D = kd::VonMises; $body }
        }
    }};
}

/// Maps a [`ContKind`] that has a CDF to its kernel type; other kinds
/// evaluate the fallback arm.
#[macro_export]
#[doc(hidden)]
macro_rules! with_cdf {
    ($kind:expr, $D:ident => $body:expr, _ => $fallback:expr) => {{
        use $crate::dist::ContKind as CK;
        use exmc_math::dist as kd;
        #[allow(unreachable_patterns)]
        match $kind {
            CK::Normal => { type $D = kd::Normal; $body }
            CK::HalfNormal => { type $D = kd::HalfNormal; $body }
            CK::StudentT => { type $D = kd::StudentT; $body }
            CK::HalfStudentT => { type $D = kd::HalfStudentT; $body }
            CK::Cauchy => { type $D = kd::Cauchy; $body }
            CK::HalfCauchy => { type $D = kd::HalfCauchy; $body }
            CK::DoubleExponential => { type $D = kd::DoubleExponential; $body }
            CK::Logistic => { type $D = kd::Logistic; $body }
            CK::Gumbel => { type $D = kd::Gumbel; $body }
            CK::Lognormal => { type $D = kd::Lognormal; $body }
            CK::Exponential => { type $D = kd::Exponential; $body }
            CK::Gamma => { type $D = kd::Gamma; $body }
            CK::InvGamma => { type $D = kd::InvGamma; $body }
            CK::Weibull => { type $D = kd::Weibull; $body }
            CK::Beta => { type $D = kd::Beta; $body }
            CK::Uniform => { type $D = kd::Uniform; $body }
            CK::ChiSquare => { type $D = kd::ChiSquare; $body }
            _ => $fallback,
        }
    }};
}

/// Maps a [`DiscKind`] to its kernel type.
#[macro_export]
#[doc(hidden)]
macro_rules! with_disc {
    ($kind:expr, $D:ident => $body:expr) => {{
        use $crate::dist::DiscKind as DK;
        use exmc_math::dist as kd;
        match $kind {
            DK::Bernoulli => { type $D = kd::Bernoulli; $body }
            DK::BernoulliLogit => { type $D = kd::BernoulliLogit; $body }
            DK::Binomial => { type $D = kd::Binomial; $body }
            DK::BinomialLogit => { type $D = kd::BinomialLogit; $body }
            DK::Poisson => { type $D = kd::Poisson; $body }
            DK::PoissonLog => { type $D = kd::PoissonLog; $body }
            DK::NegBinomial2 => { type $D = kd::NegBinomial2; $body }
            DK::BetaBinomial => { type $D = kd::BetaBinomial; $body }
        }
    }};
}

/// Univariate continuous distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContKind {
    Normal,
    HalfNormal,
    StudentT,
    HalfStudentT,
    Cauchy,
    HalfCauchy,
    DoubleExponential,
    Logistic,
    Gumbel,
    Lognormal,
    Exponential,
    Gamma,
    InvGamma,
    Weibull,
    Beta,
    Uniform,
    ChiSquare,
    VonMises,
}

/// Univariate discrete distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiscKind {
    Bernoulli,
    BernoulliLogit,
    Binomial,
    BinomialLogit,
    Poisson,
    PoissonLog,
    NegBinomial2,
    BetaBinomial,
}

impl ContKind {
    pub fn name(self) -> &'static str {
        with_cont!(self, D => D::NAME)
    }
    pub fn params(self) -> &'static [&'static str] {
        with_cont!(self, D => D::PARAMS)
    }
    pub fn support(self) -> Support {
        with_cont!(self, D => D::SUPPORT)
    }
    /// Whether a log CDF / CCDF exists (for truncation and censoring).
    pub fn has_cdf(self) -> bool {
        with_cdf!(self, D => { let _ = D::NAME; true }, _ => false)
    }
    /// Every continuous kind.
    pub const ALL: &'static [ContKind] = &[ContKind::Normal, ContKind::HalfNormal, ContKind::StudentT, ContKind::HalfStudentT, ContKind::Cauchy, ContKind::HalfCauchy, ContKind::DoubleExponential, ContKind::Logistic, ContKind::Gumbel, ContKind::Lognormal, ContKind::Exponential, ContKind::Gamma, ContKind::InvGamma, ContKind::Weibull, ContKind::Beta, ContKind::Uniform, ContKind::ChiSquare, ContKind::VonMises];
}

impl DiscKind {
    pub fn name(self) -> &'static str {
        with_disc!(self, D => D::NAME)
    }
    pub fn int_args(self) -> &'static [&'static str] {
        with_disc!(self, D => D::INT_ARGS)
    }
    pub fn params(self) -> &'static [&'static str] {
        with_disc!(self, D => D::PARAMS)
    }
}

/// Which family a distribution belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistKind {
    Cont(ContKind),
    Disc(DiscKind),
}

/// What is evaluated: the log density, or the log CDF / CCDF (censoring).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Eval {
    Lpdf,
    Lcdf,
    Lccdf,
}

/// A distribution with its argument expressions.
#[derive(Clone, Debug)]
pub struct Dist {
    pub(crate) kind: DistKind,
    /// Real arguments, in Stan's order.
    pub(crate) args: Vec<Expr>,
    /// Integer data arguments besides the variate (e.g. binomial's `N`).
    pub(crate) int_args: Vec<Vec<i64>>,
    /// Truncation bounds `T[lower, upper]`.
    pub(crate) truncation: Option<(Option<Expr>, Option<Expr>)>,
    pub(crate) eval: Eval,
}

impl Dist {
    pub(crate) fn cont(kind: ContKind, args: Vec<Expr>) -> Dist {
        Dist { kind: DistKind::Cont(kind), args, int_args: vec![], truncation: None, eval: Eval::Lpdf }
    }

    pub fn name(&self) -> &'static str {
        match self.kind {
            DistKind::Cont(c) => c.name(),
            DistKind::Disc(d) => d.name(),
        }
    }

    /// The distribution truncated to `[lower, upper]` (either may be `None`),
    /// as Stan's `T[lower, upper]`: the density is renormalised by
    /// `F(upper) - F(lower)`.
    pub fn truncated(mut self, lower: Option<Expr>, upper: Option<Expr>) -> Dist {
        self.truncation = Some((lower, upper));
        self
    }

    /// The log density at `x` as a scalar expression (summed over elements).
    pub fn lpdf(&self, x: impl Into<Expr>) -> Expr {
        crate::expr::log_density(self, &x.into())
    }

    /// The log CDF at `x` (left-censoring), summed over elements.
    pub fn lcdf(&self, x: impl Into<Expr>) -> Expr {
        let mut d = self.clone();
        d.eval = Eval::Lcdf;
        crate::expr::log_density(&d, &x.into())
    }

    /// The log complementary CDF at `x` (right-censoring), summed.
    pub fn lccdf(&self, x: impl Into<Expr>) -> Expr {
        let mut d = self.clone();
        d.eval = Eval::Lccdf;
        crate::expr::log_density(&d, &x.into())
    }

    /// The support of the variate (for the default transform).
    pub fn support(&self) -> Support {
        match self.kind {
            DistKind::Cont(c) => c.support(),
            DistKind::Disc(_) => Support::Real,
        }
    }

    /// Checks argument shapes against each other and the variate's shape.
    pub(crate) fn check_variate(&self, x: Shape) -> Result<(), String> {
        for (i, a) in self.args.iter().enumerate() {
            if a.shape().broadcast(x).is_none() {
                let pname = match self.kind {
                    DistKind::Cont(c) => c.params().get(i).copied().unwrap_or("?"),
                    DistKind::Disc(d) => d.params().get(i).copied().unwrap_or("?"),
                };
                return Err(format!(
                    "{}: argument '{}' has shape {} but the variate has shape {}",
                    self.name(),
                    pname,
                    a.shape(),
                    x
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn is_continuous(&self) -> bool {
        matches!(self.kind, DistKind::Cont(_))
    }
}

/// An integer argument of a discrete distribution (e.g. binomial's `N`):
/// a scalar or one value per element.
pub struct IntArg(pub Vec<i64>);

impl From<i64> for IntArg {
    fn from(v: i64) -> IntArg {
        IntArg(vec![v])
    }
}
impl From<Vec<i64>> for IntArg {
    fn from(v: Vec<i64>) -> IntArg {
        IntArg(v)
    }
}
impl From<&[i64]> for IntArg {
    fn from(v: &[i64]) -> IntArg {
        IntArg(v.to_vec())
    }
}

macro_rules! cont_ctor {
    ($(#[$doc:meta])* $fname:ident, $kind:ident, $($arg:ident),+) => {
        $(#[$doc])*
        pub fn $fname($($arg: impl Into<Expr>),+) -> Dist {
            Dist::cont(ContKind::$kind, vec![$($arg.into()),+])
        }
    };
}

cont_ctor!(
    /// `normal(mu, sigma)`.
    normal, Normal, mu, sigma
);
cont_ctor!(
    /// `half_normal(sigma)`.
    half_normal, HalfNormal, sigma
);
cont_ctor!(
    /// `student_t(nu, mu, sigma)`.
    student_t, StudentT, nu, mu, sigma
);
cont_ctor!(
    /// `half_student_t(nu, sigma)`.
    half_student_t, HalfStudentT, nu, sigma
);
cont_ctor!(
    /// `cauchy(mu, sigma)`.
    cauchy, Cauchy, mu, sigma
);
cont_ctor!(
    /// `half_cauchy(sigma)`.
    half_cauchy, HalfCauchy, sigma
);
cont_ctor!(
    /// `double_exponential(mu, sigma)`.
    double_exponential, DoubleExponential, mu, sigma
);
cont_ctor!(
    /// `logistic(mu, sigma)`.
    logistic, Logistic, mu, sigma
);
cont_ctor!(
    /// `gumbel(mu, beta)`.
    gumbel, Gumbel, mu, beta
);
cont_ctor!(
    /// `lognormal(mu, sigma)`.
    lognormal, Lognormal, mu, sigma
);
cont_ctor!(
    /// `exponential(beta)`.
    exponential, Exponential, beta
);
cont_ctor!(
    /// `gamma(alpha, beta)`.
    gamma, Gamma, alpha, beta
);
cont_ctor!(
    /// `inv_gamma(alpha, beta)`.
    inv_gamma, InvGamma, alpha, beta
);
cont_ctor!(
    /// `weibull(alpha, sigma)`.
    weibull, Weibull, alpha, sigma
);
cont_ctor!(
    /// `beta(alpha, beta)`.
    beta, Beta, alpha, beta
);
cont_ctor!(
    /// `uniform(alpha, beta)`.
    uniform, Uniform, alpha, beta
);
cont_ctor!(
    /// `chi_square(nu)`.
    chi_square, ChiSquare, nu
);
cont_ctor!(
    /// `von_mises(mu, kappa)`.
    von_mises, VonMises, mu, kappa
);

/// `bernoulli(theta)` (discrete: observe integer data).
pub fn bernoulli(theta: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::Bernoulli),
        args: vec![theta.into()],
        int_args: vec![],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `bernoulli_logit(alpha)` (discrete: observe integer data).
pub fn bernoulli_logit(alpha: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::BernoulliLogit),
        args: vec![alpha.into()],
        int_args: vec![],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `binomial(N, theta)` (discrete: observe integer data).
pub fn binomial(trials: impl Into<IntArg>, theta: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::Binomial),
        args: vec![theta.into()],
        int_args: vec![trials.into().0],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `binomial_logit(N, alpha)` (discrete: observe integer data).
pub fn binomial_logit(trials: impl Into<IntArg>, alpha: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::BinomialLogit),
        args: vec![alpha.into()],
        int_args: vec![trials.into().0],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `poisson(lambda)` (discrete: observe integer data).
pub fn poisson(lambda: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::Poisson),
        args: vec![lambda.into()],
        int_args: vec![],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `poisson_log(alpha)` (discrete: observe integer data).
pub fn poisson_log(alpha: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::PoissonLog),
        args: vec![alpha.into()],
        int_args: vec![],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `neg_binomial_2(mu, phi)` (discrete: observe integer data).
pub fn neg_binomial_2(mu: impl Into<Expr>, phi: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::NegBinomial2),
        args: vec![mu.into(), phi.into()],
        int_args: vec![],
        truncation: None,
        eval: Eval::Lpdf,
    }
}

/// `beta_binomial(N, alpha, beta)` (discrete: observe integer data).
pub fn beta_binomial(trials: impl Into<IntArg>, alpha: impl Into<Expr>, beta: impl Into<Expr>) -> Dist {
    Dist {
        kind: DistKind::Disc(DiscKind::BetaBinomial),
        args: vec![alpha.into(), beta.into()],
        int_args: vec![trials.into().0],
        truncation: None,
        eval: Eval::Lpdf,
    }
}
