//! Stan library functions exmc's library does not list at all (their types
//! involve complex numbers or tuples, they take functions exmc cannot pass,
//! or they are operator spellings), so a call gets `not supported: ...`
//! instead of "unknown function". Names from the Stan Functions Reference.

/// Functions whose arguments or results are complex.
const COMPLEX: &[&str] = &[
    "to_complex", "get_real", "get_imag", "polar", "conj", "proj", "arg", "norm", "fft", "inv_fft", "fft2", "inv_fft2",
    "complex_schur_decompose", "complex_schur_decompose_t", "complex_schur_decompose_u", "eigenvalues",
    "eigenvectors",
];

/// Functions returning tuples.
const TUPLE: &[&str] = &[
    "eigendecompose", "eigendecompose_sym", "qr", "qr_thin", "svd", "csr_extract", "complex_schur_decompose",
    "generate_laplace_options",
];

/// Higher-order functions and solvers (they take a user function).
const HIGHER_ORDER: &[&str] = &[
    "laplace_marginal", "laplace_marginal_tol", "laplace_latent_rng", "laplace_latent_tol_rng",
    "laplace_marginal_bernoulli_logit_lpmf", "laplace_marginal_tol_bernoulli_logit_lpmf",
    "laplace_marginal_poisson_log_lpmf", "laplace_marginal_tol_poisson_log_lpmf",
    "laplace_marginal_poisson_2_log_lpmf", "laplace_marginal_tol_poisson_2_log_lpmf",
    "laplace_marginal_neg_binomial_2_log_lpmf", "laplace_marginal_tol_neg_binomial_2_log_lpmf",
    "laplace_latent_bernoulli_logit_rng", "laplace_latent_poisson_log_rng", "laplace_latent_neg_binomial_2_log_rng",
    "ode_adjoint", "ode_adjoint_tol_ctl", "ode_ckrk", "ode_ckrk_tol", "integrate_1d", "integrate_ode", "dae", "dae_tol",
    "solve_powell", "solve_powell_tol", "solve_newton_tol", "algebra_solver_newton",
];

/// Function spellings of operators (`multiply(a, b)` for `a * b`).
const OPERATORS: &[&str] = &[
    "add", "subtract", "multiply", "divide", "elt_multiply", "elt_divide", "modulus", "minus", "mdivide_left",
    "mdivide_right", "logical_negation", "logical_or", "logical_and", "logical_eq", "logical_neq", "logical_lt",
    "logical_lte", "logical_gt", "logical_gte", "transpose",
];

/// Distributions of the Stan library that exmc's library does not list.
const DISTRIBUTIONS: &[&str] = &["binomial_logit_glm", "poisson_binomial", "dirichlet_multinomial", "beta_neg_binomial"];

/// The distribution name under a density/mass/CDF/RNG suffix (or bare, as after `~`).
fn distribution_of(name: &str) -> &str {
    ["_lpdf", "_lupdf", "_lpmf", "_lupmf", "_lcdf", "_lccdf", "_cdf", "_rng", "_log"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name)
}

/// The unsupported Stan feature a library function name belongs to.
pub fn unsupported_feature(name: &str) -> Option<&'static str> {
    if DISTRIBUTIONS.contains(&distribution_of(name)) {
        Some("this distribution is not in exmc's library yet")
    } else if COMPLEX.contains(&name) {
        Some("complex numbers")
    } else if TUPLE.contains(&name) {
        Some("functions returning tuples")
    } else if HIGHER_ORDER.contains(&name) {
        Some("this higher-order function or solver")
    } else if OPERATORS.contains(&name) {
        Some("operator functions (write the operator instead, e.g. 'a * b' for 'multiply(a, b)')")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features() {
        assert_eq!(unsupported_feature("to_complex"), Some("complex numbers"));
        assert_eq!(unsupported_feature("eigendecompose_sym"), Some("functions returning tuples"));
        assert!(unsupported_feature("integrate_1d").is_some());
        assert!(unsupported_feature("multiply").unwrap().contains("'a * b'"));
        assert_eq!(unsupported_feature("normal_lpdf"), None);
        assert!(unsupported_feature("dirichlet_multinomial_lpmf").is_some());
        assert!(unsupported_feature("beta_neg_binomial").is_some());
    }
}
