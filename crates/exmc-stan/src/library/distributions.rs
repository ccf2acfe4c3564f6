//! Builtin distributions with their Stan signatures.
//!
//! Each line: the [`Dist`] id, the Stan family name, `true` if discrete
//! (`_lpmf`) else continuous (`_lpdf`), the argument lists of the density
//! (`variate | params`, in the text form of [`super::sig::Sig::parse`]),
//! whether Stan has `_lcdf`/`_lccdf` for it, the `_rng` signatures (empty:
//! none), and what exmc implements: the density (`_lpdf`/`_lupdf`/`~`), the
//! log CDFs (needed for truncation), the RNG. Implemented means present in
//! `exmc-model/src/dist.rs` (`ContKind`, `DiscKind`, `MultiKind`) today; the
//! lowering flips a flag when it adds a family.

macro_rules! distributions {
    ($($id:ident $name:literal $disc:literal [$($sig:literal),* $(,)?] $cdf:literal [$($rng:literal),* $(,)?] $lp:literal $cdfs:literal $rngs:literal;)*) => {
        /// Identifier of a builtin distribution family.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Dist { $($id),* }
        /// One family of the table.
        pub(crate) struct DistRow {
            pub id: Dist,
            pub name: &'static str,
            pub discrete: bool,
            pub sigs: &'static [&'static str],
            pub has_cdf: bool,
            pub rng: &'static [&'static str],
            pub lp_supported: bool,
            pub cdf_supported: bool,
            pub rng_supported: bool,
        }
        pub(crate) const DISTRIBUTIONS: &[DistRow] = &[$(DistRow {
            id: Dist::$id, name: $name, discrete: $disc, sigs: &[$($sig),*], has_cdf: $cdf,
            rng: &[$($rng),*], lp_supported: $lp, cdf_supported: $cdfs, rng_supported: $rngs,
        }),*];
    };
}

distributions! {
    // ---- univariate continuous                       cdf   rng                       lpdf  cdf   rng
    Normal "normal" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    StdNormal "std_normal" false ["reals"] true ["real()"] false false false;
    StudentT "student_t" false ["reals | reals, reals, reals"] true ["rng(reals, reals, reals)"] true true false;
    Cauchy "cauchy" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    DoubleExponential "double_exponential" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Logistic "logistic" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Gumbel "gumbel" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    SkewNormal "skew_normal" false ["reals | reals, reals, reals"] true ["rng(reals, reals, reals)"] true true false;
    ExpModNormal "exp_mod_normal" false ["reals | reals, reals, reals"] true ["rng(reals, reals, reals)"] true true false;
    Lognormal "lognormal" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Exponential "exponential" false ["reals | reals"] true ["rng(reals)"] true true false;
    Gamma "gamma" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    InvGamma "inv_gamma" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Weibull "weibull" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Frechet "frechet" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Rayleigh "rayleigh" false ["reals | reals"] true ["rng(reals)"] true true false;
    Pareto "pareto" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    ParetoType2 "pareto_type_2" false ["reals | reals, reals, reals"] true ["rng(reals, reals, reals)"] true true false;
    ChiSquare "chi_square" false ["reals | reals"] true ["rng(reals)"] true true false;
    InvChiSquare "inv_chi_square" false ["reals | reals"] true ["rng(reals)"] true true false;
    ScaledInvChiSquare "scaled_inv_chi_square" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Beta "beta" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    BetaProportion "beta_proportion" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    Uniform "uniform" false ["reals | reals, reals"] true ["rng(reals, reals)"] true true false;
    SkewDoubleExponential "skew_double_exponential" false ["reals | reals, reals, reals"] true ["rng(reals, reals, reals)"] true true false;
    Loglogistic "loglogistic" false ["reals | reals, reals"] true ["rng(reals, reals)"] false false false;
    Wiener "wiener" false ["reals | reals, reals, reals, reals", "reals | reals, reals, reals, reals, reals", "reals | reals, reals, reals, reals, reals, reals", "reals | reals, reals, reals, reals, reals, reals, reals", "reals | reals, reals, reals, reals, reals, reals, reals, reals"] false [] false false false;
    VonMises "von_mises" false ["reals | reals, reals"] true ["rng(reals, reals)"] true false false;
    // ---- univariate discrete
    Bernoulli "bernoulli" true ["ints | reals"] true ["irng(reals)"] true false false;
    BernoulliLogit "bernoulli_logit" true ["ints | reals"] false ["irng(reals)"] true false false;
    Binomial "binomial" true ["ints | ints, reals"] true ["irng(ints, reals)"] true false false;
    BinomialLogit "binomial_logit" true ["ints | ints, reals"] false [] true false false;
    BetaBinomial "beta_binomial" true ["ints | ints, reals, reals"] true ["irng(ints, reals, reals)"] true false false;
    Poisson "poisson" true ["ints | reals"] true ["irng(reals)"] true false false;
    PoissonLog "poisson_log" true ["ints | reals"] false ["irng(reals)"] true false false;
    NegBinomial "neg_binomial" true ["ints | reals, reals"] true ["irng(reals, reals)"] true false false;
    NegBinomial2 "neg_binomial_2" true ["ints | reals, reals"] true ["irng(reals, reals)"] true false false;
    NegBinomial2Log "neg_binomial_2_log" true ["ints | reals, reals"] false ["irng(reals, reals)"] true false false;
    YuleSimon "yule_simon" true ["ints | reals"] true ["irng(reals)"] false false false;
    DiscreteRange "discrete_range" true ["ints | ints, ints"] true ["irng(ints, ints)"] false false false;
    Categorical "categorical" true ["ints | vector"] false ["int(vector)"] true false false;
    CategoricalLogit "categorical_logit" true ["ints | vector"] false ["int(vector)"] true false false;
    OrderedLogistic "ordered_logistic" true ["ints | vector, vector", "ints | vector, array[] vector", "int | real, vector"] false ["int(real, vector)"] false false false;
    OrderedProbit "ordered_probit" true ["ints | vector, vector", "ints | vector, array[] vector", "int | real, vector"] false ["int(real, vector)"] false false false;
    Hypergeometric "hypergeometric" true ["int | int, int, int"] false ["int(int, int, int)"] false false false;
    CategoricalLogitGlm "categorical_logit_glm" true ["ints | matrix, vector, matrix", "ints | row_vector, vector, matrix"] false [] false false false;
    Multinomial "multinomial" true ["array[] int | vector"] false ["array[] int(vector, int)"] false false false;
    MultinomialLogit "multinomial_logit" true ["array[] int | vector"] false ["array[] int(vector, int)"] false false false;
    // ---- multivariate continuous
    Dirichlet "dirichlet" false ["vectors | vectors"] false ["vector(vector)"] true false false;
    MultiNormal "multi_normal" false ["vectors | vectors, matrix"] false ["vector(vector, matrix)", "array[] vector(array[] vector, matrix)"] true false false;
    MultiNormalCholesky "multi_normal_cholesky" false ["vectors | vectors, matrix"] false ["vector(vector, matrix)", "array[] vector(array[] vector, matrix)"] true false false;
    MultiNormalPrec "multi_normal_prec" false ["vectors | vectors, matrix"] false [] false false false;
    MultiStudentT "multi_student_t" false ["vectors | real, vectors, matrix"] false ["vector(real, vector, matrix)", "array[] vector(real, array[] vector, matrix)"] false false false;
    MultiStudentTCholesky "multi_student_t_cholesky" false ["vectors | real, vectors, matrix"] false ["vector(real, vector, matrix)"] false false false;
    LkjCorr "lkj_corr" false ["matrix | real"] false ["matrix(int, real)"] true false false;
    LkjCorrCholesky "lkj_corr_cholesky" false ["matrix | real"] false ["matrix(int, real)"] true false false;
    LkjCov "lkj_cov" false ["matrix | vector, vector, real"] false [] false false false;
    MultiGp "multi_gp" false ["matrix | matrix, vector"] false [] false false false;
    MultiGpCholesky "multi_gp_cholesky" false ["matrix | matrix, vector"] false [] false false false;
    GaussianDlmObs "gaussian_dlm_obs" false ["matrix | matrix, matrix, vector, matrix, vector, matrix", "matrix | matrix, matrix, matrix, matrix, vector, matrix"] false [] false false false;
    Wishart "wishart" false ["matrix | real, matrix"] false ["matrix(real, matrix)"] false false false;
    WishartCholesky "wishart_cholesky" false ["matrix | real, matrix"] false ["matrix(real, matrix)"] false false false;
    InvWishart "inv_wishart" false ["matrix | real, matrix"] false ["matrix(real, matrix)"] false false false;
    InvWishartCholesky "inv_wishart_cholesky" false ["matrix | real, matrix"] false ["matrix(real, matrix)"] false false false;
    // ---- generalised linear models
    NormalIdGlm "normal_id_glm" false ["real | matrix, real, vector, real", "vector | matrix, reals, vector, reals", "vector | row_vector, reals, vector, reals"] false [] false false false;
    BernoulliLogitGlm "bernoulli_logit_glm" true ["ints | matrix, reals, vector", "ints | row_vector, reals, vector"] false ["array[] int(matrix, reals, vector)", "array[] int(row_vector, reals, vector)"] false false false;
    OrderedLogisticGlm "ordered_logistic_glm" true ["ints | matrix, vector, vector", "ints | row_vector, vector, vector"] false [] false false false;
    PoissonLogGlm "poisson_log_glm" true ["ints | matrix, reals, vector", "ints | row_vector, reals, vector"] false [] false false false;
    NegBinomial2LogGlm "neg_binomial_2_log_glm" true ["ints | matrix, reals, vector, reals", "ints | row_vector, reals, vector, reals"] false [] false false false;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::sig::Sig;

    #[test]
    fn every_signature_parses() {
        for d in DISTRIBUTIONS {
            for s in d.sigs {
                assert!(Sig::parse(&format!("real({s})")).is_some(), "{}: {s}", d.name);
            }
            for s in d.rng {
                assert!(Sig::parse(s).is_some(), "{}: {s}", d.name);
            }
            assert!(!d.cdf_supported || (d.has_cdf && d.lp_supported), "{}", d.name);
        }
    }
}
