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
            CK::SkewNormal => { type $D = kd::SkewNormal; $body }
            CK::ExpModNormal => { type $D = kd::ExpModNormal; $body }
            CK::InvChiSquare => { type $D = kd::InvChiSquare; $body }
            CK::ScaledInvChiSquare => { type $D = kd::ScaledInvChiSquare; $body }
            CK::Rayleigh => { type $D = kd::Rayleigh; $body }
            CK::Pareto => { type $D = kd::Pareto; $body }
            CK::ParetoType2 => { type $D = kd::ParetoType2; $body }
            CK::Frechet => { type $D = kd::Frechet; $body }
            CK::BetaProportion => { type $D = kd::BetaProportion; $body }
            CK::SkewDoubleExponential => { type $D = kd::SkewDoubleExponential; $body }
            CK::StudentTLogScale => { type $D = kd::StudentTLogScale; $body }
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
            CK::SkewNormal => { type $D = kd::SkewNormal; $body }
            CK::ExpModNormal => { type $D = kd::ExpModNormal; $body }
            CK::InvChiSquare => { type $D = kd::InvChiSquare; $body }
            CK::ScaledInvChiSquare => { type $D = kd::ScaledInvChiSquare; $body }
            CK::Rayleigh => { type $D = kd::Rayleigh; $body }
            CK::Pareto => { type $D = kd::Pareto; $body }
            CK::ParetoType2 => { type $D = kd::ParetoType2; $body }
            CK::Frechet => { type $D = kd::Frechet; $body }
            CK::BetaProportion => { type $D = kd::BetaProportion; $body }
            CK::SkewDoubleExponential => { type $D = kd::SkewDoubleExponential; $body }
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
            DK::NegBinomial => { type $D = kd::NegBinomial; $body }
            DK::NegBinomial2Log => { type $D = kd::NegBinomial2Log; $body }
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
    SkewNormal,
    ExpModNormal,
    InvChiSquare,
    ScaledInvChiSquare,
    Rayleigh,
    Pareto,
    ParetoType2,
    Frechet,
    BetaProportion,
    SkewDoubleExponential,
    /// `student_t(nu, mu, exp(log_sigma))`: not a Stan name; the compiler
    /// rewrites a Student-t whose scale is `exp(u)` to it.
    StudentTLogScale,
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
    NegBinomial,
    NegBinomial2Log,
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
    pub const ALL: &'static [ContKind] = &[ContKind::Normal, ContKind::HalfNormal, ContKind::StudentT, ContKind::HalfStudentT, ContKind::Cauchy, ContKind::HalfCauchy, ContKind::DoubleExponential, ContKind::Logistic, ContKind::Gumbel, ContKind::Lognormal, ContKind::Exponential, ContKind::Gamma, ContKind::InvGamma, ContKind::Weibull, ContKind::Beta, ContKind::Uniform, ContKind::ChiSquare, ContKind::VonMises, ContKind::SkewNormal, ContKind::ExpModNormal, ContKind::InvChiSquare, ContKind::ScaledInvChiSquare, ContKind::Rayleigh, ContKind::Pareto, ContKind::ParetoType2, ContKind::Frechet, ContKind::BetaProportion, ContKind::SkewDoubleExponential];
}

impl DiscKind {
    /// Every discrete kind.
    pub const ALL: &'static [DiscKind] = &[
        DiscKind::Bernoulli,
        DiscKind::BernoulliLogit,
        DiscKind::Binomial,
        DiscKind::BinomialLogit,
        DiscKind::Poisson,
        DiscKind::PoissonLog,
        DiscKind::NegBinomial2,
        DiscKind::BetaBinomial,
        DiscKind::NegBinomial,
        DiscKind::NegBinomial2Log,
    ];

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

/// Multivariate distributions (one variate vector or matrix per call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MultiKind {
    /// `dirichlet(alpha)` over a simplex.
    Dirichlet,
    /// `multi_normal(mu, Sigma)`.
    MultiNormal,
    /// `multi_normal_cholesky(mu, L)`.
    MultiNormalCholesky,
    /// `lkj_corr_cholesky(eta)` over a Cholesky factor of a correlation matrix.
    LkjCorrCholesky,
    /// `lkj_corr(eta)` over a correlation matrix.
    LkjCorr,
    /// `categorical(theta)`: integer data in `1..=K`, one per element.
    Categorical,
    /// `categorical_logit(beta)`: integer data in `1..=K`.
    CategoricalLogit,
    /// `gaussian_random_walk(sigma)`: `x[t] ~ normal(x[t-1], sigma)` for
    /// `t ≥ 2`; the first element gets no density (give it its own prior).
    GaussianRandomWalk,
}

impl MultiKind {
    /// Every multivariate kind.
    pub const ALL: &'static [MultiKind] = &[
        MultiKind::Dirichlet,
        MultiKind::MultiNormal,
        MultiKind::MultiNormalCholesky,
        MultiKind::LkjCorrCholesky,
        MultiKind::LkjCorr,
        MultiKind::Categorical,
        MultiKind::CategoricalLogit,
        MultiKind::GaussianRandomWalk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MultiKind::Dirichlet => "dirichlet",
            MultiKind::MultiNormal => "multi_normal",
            MultiKind::MultiNormalCholesky => "multi_normal_cholesky",
            MultiKind::LkjCorrCholesky => "lkj_corr_cholesky",
            MultiKind::LkjCorr => "lkj_corr",
            MultiKind::Categorical => "categorical",
            MultiKind::CategoricalLogit => "categorical_logit",
            MultiKind::GaussianRandomWalk => "gaussian_random_walk",
        }
    }
    pub fn params(self) -> &'static [&'static str] {
        match self {
            MultiKind::Dirichlet => &["alpha"],
            MultiKind::MultiNormal => &["mu", "Sigma"],
            MultiKind::MultiNormalCholesky => &["mu", "L"],
            MultiKind::LkjCorrCholesky | MultiKind::LkjCorr => &["eta"],
            MultiKind::Categorical => &["theta"],
            MultiKind::CategoricalLogit => &["beta"],
            MultiKind::GaussianRandomWalk => &["sigma"],
        }
    }
    /// Whether the variate is integer data.
    pub fn is_discrete(self) -> bool {
        matches!(self, MultiKind::Categorical | MultiKind::CategoricalLogit)
    }
}

/// Which family a distribution belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistKind {
    Cont(ContKind),
    Disc(DiscKind),
    Multi(MultiKind),
}

/// What is evaluated: the log density, or the log CDF / CCDF (censoring).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Eval {
    Lpdf,
    Lcdf,
    Lccdf,
    /// `log(F(upper) - F(lower))` (interval censoring); the upper bound is
    /// the distribution's last operand.
    Interval,
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

    /// A discrete distribution from its kind, integer arguments besides the
    /// variate (e.g. binomial's `N`) and real arguments.
    pub fn from_disc_kind(kind: DiscKind, int_args: Vec<Vec<i64>>, args: Vec<Expr>) -> Dist {
        Dist { kind: DistKind::Disc(kind), args, int_args, truncation: None, eval: Eval::Lpdf }
    }

    /// A multivariate distribution from its kind and arguments.
    pub fn from_multi_kind(kind: MultiKind, args: Vec<Expr>) -> Dist {
        multi(kind, args)
    }

    /// The family and kind.
    pub fn kind(&self) -> DistKind {
        self.kind
    }

    /// A continuous distribution from its kind and arguments (Stan's order);
    /// the argument count is checked when the distribution is used.
    pub fn from_kind(kind: ContKind, args: Vec<Expr>) -> Dist {
        Dist::cont(kind, args)
    }

    pub fn name(&self) -> &'static str {
        match self.kind {
            DistKind::Cont(c) => c.name(),
            DistKind::Disc(d) => d.name(),
            DistKind::Multi(m) => m.name(),
        }
    }

    /// Names of the real arguments.
    pub fn param_names(&self) -> &'static [&'static str] {
        match self.kind {
            DistKind::Cont(c) => c.params(),
            DistKind::Disc(d) => d.params(),
            DistKind::Multi(m) => m.params(),
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

    /// `log(F(upper) − F(lower))` summed over elements: observations known
    /// only to lie in `[lower, upper]` (interval censoring). Left and right
    /// censoring are [`Dist::lcdf`] and [`Dist::lccdf`].
    pub fn interval(&self, lower: impl Into<Expr>, upper: impl Into<Expr>) -> Expr {
        let mut d = self.clone();
        d.eval = Eval::Interval;
        let upper = upper.into();
        d.truncation = Some((None, Some(upper)));
        crate::expr::log_density(&d, &lower.into())
    }

    /// The support of the variate (for the default transform).
    pub fn support(&self) -> Support {
        match self.kind {
            DistKind::Cont(c) => c.support(),
            DistKind::Disc(_) | DistKind::Multi(_) => Support::Real,
        }
    }

    /// Checks argument shapes against each other and the variate's shape.
    pub(crate) fn check_variate(&self, x: Shape) -> Result<(), String> {
        if let DistKind::Multi(m) = self.kind {
            return self.check_multi(m, x);
        }
        for (i, a) in self.args.iter().enumerate() {
            if a.shape().broadcast(x).is_none() {
                let pname = self.param_names().get(i).copied().unwrap_or("?");
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
        match self.kind {
            DistKind::Cont(_) => true,
            DistKind::Disc(_) => false,
            DistKind::Multi(m) => !m.is_discrete(),
        }
    }

    /// Shape rules of the multivariate distributions.
    fn check_multi(&self, m: MultiKind, x: Shape) -> Result<(), String> {
        let bad = |what: String| Err(format!("{}: {what}", m.name()));
        if self.args.len() != m.params().len() {
            return bad(format!("takes {} arguments, got {}", m.params().len(), self.args.len()));
        }
        let a0 = self.args[0].shape();
        match m {
            MultiKind::Dirichlet | MultiKind::MultiNormal | MultiKind::MultiNormalCholesky => {
                let Shape::Vector(k) = x else { return bad(format!("the variate must be a vector, got {x}")) };
                if a0 != Shape::Vector(k) {
                    return bad(format!("'{}' must be a vector of length {k}, got {a0}", m.params()[0]));
                }
                if m != MultiKind::Dirichlet && self.args[1].shape() != Shape::Matrix(k, k) {
                    return bad(format!("'{}' must be a {k}×{k} matrix, got {}", m.params()[1], self.args[1].shape()));
                }
            }
            MultiKind::LkjCorrCholesky | MultiKind::LkjCorr => {
                let Shape::Matrix(r, c) = x else { return bad(format!("the variate must be a square matrix, got {x}")) };
                if r != c {
                    return bad(format!("the variate must be square, got {x}"));
                }
                if !a0.is_scalar() {
                    return bad(format!("'eta' must be a scalar, got {a0}"));
                }
            }
            MultiKind::Categorical | MultiKind::CategoricalLogit => {
                if !matches!(a0, Shape::Vector(_)) {
                    return bad(format!("'{}' must be a vector, got {a0}", m.params()[0]));
                }
            }
            MultiKind::GaussianRandomWalk => {
                if !matches!(x, Shape::Vector(_)) {
                    return bad(format!("the variate must be a vector, got {x}"));
                }
                if !a0.is_scalar() {
                    return bad(format!("'sigma' must be a scalar, got {a0}"));
                }
            }
        }
        Ok(())
    }

    /// The constraint the variate needs by default (e.g. a simplex for dirichlet).
    pub(crate) fn default_structure(&self) -> Option<crate::model::Constraint> {
        use crate::model::Constraint;
        match self.kind {
            DistKind::Multi(MultiKind::Dirichlet) => Some(Constraint::Simplex),
            DistKind::Multi(MultiKind::LkjCorrCholesky) => Some(Constraint::CholeskyFactorCorr),
            DistKind::Multi(MultiKind::LkjCorr) => Some(Constraint::CorrMatrix),
            _ => None,
        }
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
cont_ctor!(
    /// `skew_normal(xi, omega, alpha)`.
    skew_normal, SkewNormal, xi, omega, alpha
);
cont_ctor!(
    /// `exp_mod_normal(mu, sigma, lambda)`.
    exp_mod_normal, ExpModNormal, mu, sigma, lambda
);
cont_ctor!(
    /// `inv_chi_square(nu)`.
    inv_chi_square, InvChiSquare, nu
);
cont_ctor!(
    /// `scaled_inv_chi_square(nu, s)`.
    scaled_inv_chi_square, ScaledInvChiSquare, nu, s
);
cont_ctor!(
    /// `rayleigh(sigma)`.
    rayleigh, Rayleigh, sigma
);
cont_ctor!(
    /// `pareto(y_min, alpha)`.
    pareto, Pareto, y_min, alpha
);
cont_ctor!(
    /// `pareto_type_2(mu, lambda, alpha)`.
    pareto_type_2, ParetoType2, mu, lambda, alpha
);
cont_ctor!(
    /// `frechet(alpha, sigma)`.
    frechet, Frechet, alpha, sigma
);
cont_ctor!(
    /// `beta_proportion(mu, kappa)`.
    beta_proportion, BetaProportion, mu, kappa
);
cont_ctor!(
    /// `skew_double_exponential(mu, sigma, tau)`.
    skew_double_exponential, SkewDoubleExponential, mu, sigma, tau
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

/// `neg_binomial(alpha, beta)` (discrete: observe integer data).
pub fn neg_binomial(alpha: impl Into<Expr>, beta: impl Into<Expr>) -> Dist {
    Dist::from_disc_kind(DiscKind::NegBinomial, vec![], vec![alpha.into(), beta.into()])
}

/// `neg_binomial_2_log(eta, phi)` (discrete: observe integer data).
pub fn neg_binomial_2_log(eta: impl Into<Expr>, phi: impl Into<Expr>) -> Dist {
    Dist::from_disc_kind(DiscKind::NegBinomial2Log, vec![], vec![eta.into(), phi.into()])
}

fn multi(kind: MultiKind, args: Vec<Expr>) -> Dist {
    Dist { kind: DistKind::Multi(kind), args, int_args: vec![], truncation: None, eval: Eval::Lpdf }
}

/// `dirichlet(alpha)` over a simplex (the default constraint of its parameter).
pub fn dirichlet(alpha: impl Into<Expr>) -> Dist {
    multi(MultiKind::Dirichlet, vec![alpha.into()])
}

/// `multi_normal(mu, Sigma)`.
pub fn multi_normal(mu: impl Into<Expr>, sigma: impl Into<Expr>) -> Dist {
    multi(MultiKind::MultiNormal, vec![mu.into(), sigma.into()])
}

/// `multi_normal_cholesky(mu, L)`.
pub fn multi_normal_cholesky(mu: impl Into<Expr>, l: impl Into<Expr>) -> Dist {
    multi(MultiKind::MultiNormalCholesky, vec![mu.into(), l.into()])
}

/// `lkj_corr_cholesky(eta)` over Cholesky factors of correlation matrices.
pub fn lkj_corr_cholesky(eta: impl Into<Expr>) -> Dist {
    multi(MultiKind::LkjCorrCholesky, vec![eta.into()])
}

/// `lkj_corr(eta)` over correlation matrices.
pub fn lkj_corr(eta: impl Into<Expr>) -> Dist {
    multi(MultiKind::LkjCorr, vec![eta.into()])
}

/// `categorical(theta)`: observe integers in `1..=K`.
pub fn categorical(theta: impl Into<Expr>) -> Dist {
    multi(MultiKind::Categorical, vec![theta.into()])
}

/// `categorical_logit(beta)`: observe integers in `1..=K`.
pub fn categorical_logit(beta: impl Into<Expr>) -> Dist {
    multi(MultiKind::CategoricalLogit, vec![beta.into()])
}

/// `gaussian_random_walk(sigma)`: `x[t] ~ normal(x[t-1], sigma)`, `t ≥ 2`;
/// the first element gets no density (give it its own prior or factor).
pub fn gaussian_random_walk(sigma: impl Into<Expr>) -> Dist {
    multi(MultiKind::GaussianRandomWalk, vec![sigma.into()])
}
