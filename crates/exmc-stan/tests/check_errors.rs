//! Every kind of checker error and warning, with its exact message and line:col.

use exmc_stan::{check, check_with, parse, render_diagnostics, CheckOptions, Severity};

/// All diagnostics (errors and warnings) as `line:col: message`.
fn diags(src: &str) -> Vec<String> {
    let (prog, _) = parse(src).unwrap_or_else(|e| panic!("{}", render_diagnostics(&e, "t.stan", src)));
    let ds = match check(&prog) {
        Ok(c) => c.warnings,
        Err(e) => e,
    };
    ds.iter()
        .map(|d| {
            let (l, c) = d.line_col(src);
            let sev = if d.severity == Severity::Warning { "warning: " } else { "" };
            format!("{l}:{c}: {sev}{}", d.message)
        })
        .collect()
}

/// The single error of `src`.
fn err(src: &str) -> String {
    let d = diags(src);
    assert_eq!(d.len(), 1, "expected one diagnostic, got {d:#?}");
    d[0].clone()
}

fn ok(src: &str) {
    let d = diags(src);
    assert!(d.is_empty(), "unexpected diagnostics {d:#?}");
}

#[test]
fn cannot_add_vector_and_matrix() {
    let src = "data { vector[3] v; matrix[3, 3] m; }\ntransformed data {\n  vector[3] w = v + m;\n}";
    assert_eq!(err(src), "3:17: cannot add 'vector' and 'matrix'");
}

#[test]
fn unknown_variable_with_suggestion() {
    let src = "parameters { real sigma; }\nmodel {\n  sigam ~ normal(0, 1);\n}";
    assert_eq!(err(src), "3:3: unknown variable 'sigam' (did you mean 'sigma'?)");
    assert_eq!(err("model {\n  target += qqq;\n}"), "2:13: unknown variable 'qqq'");
}

#[test]
fn unknown_function_with_suggestion() {
    let src = "parameters { real mu; }\nmodel {\n  target += nromal_lpdf(mu | 0, 1);\n}";
    assert_eq!(err(src), "3:13: unknown function 'nromal_lpdf' (did you mean 'normal_lpdf'?)");
}

#[test]
fn unknown_distribution_with_suggestion() {
    let src = "parameters { real mu; }\nmodel {\n  mu ~ nromal(0, 1);\n}";
    assert_eq!(err(src), "3:8: unknown distribution 'nromal' (did you mean 'normal'?)");
}

#[test]
fn unsupported_builtin() {
    // builtins far from what exmc implements (the support flags flip as the lowering grows)
    let src = "parameters { cov_matrix[2] S; }\nmodel {\n  target += wishart_lpdf(S | 4, generalized_inverse(S));\n}";
    let d = diags(src);
    assert!(d.contains(&"3:13: `wishart_lpdf` is not supported by exmc yet".to_string()), "{d:#?}");
    assert!(d.contains(&"3:33: `generalized_inverse` is not supported by exmc yet".to_string()), "{d:#?}");
    // without the support check the program is valid Stan
    let (prog, _) = parse(src).unwrap();
    assert!(check_with(&prog, CheckOptions { reject_unsupported: false }).is_ok());
}

#[test]
fn wrong_argument_count_lists_signatures() {
    let src = "parameters { real mu; }\nmodel {\n  target += log(mu, 2);\n}";
    assert_eq!(err(src), "3:13: 'log' takes 1 argument, found 2");
    let (prog, _) = parse(src).unwrap();
    let e = check(&prog).unwrap_err();
    assert_eq!(e[0].notes, vec!["accepted signatures:\n  log(T) => R".to_string()]);
}

#[test]
fn wrong_argument_types_list_signatures() {
    let src = "data { matrix[2, 2] m; }\nparameters { real mu; }\nmodel {\n  target += normal_lpdf(m | mu, 1);\n}";
    assert_eq!(err(src), "4:13: no signature of 'normal_lpdf' accepts the arguments (matrix | real, int)");
    let (prog, _) = parse(src).unwrap();
    let e = check(&prog).unwrap_err();
    assert!(e[0].notes[0].contains("normal_lpdf(reals | reals, reals) => real"), "{:?}", e[0].notes);
    // an integer variate for a discrete distribution only
    let src = "data { array[3] real y; }\nparameters { real<lower=0> l; }\nmodel {\n  y ~ poisson(l);\n}";
    assert_eq!(err(src), "4:3: no signature of 'poisson_lpmf' accepts the arguments (array[] real | real)");
}

#[test]
fn assignment_to_data_and_parameters() {
    let src = "data { real y; }\nparameters { real mu; }\nmodel {\n  y = 2;\n}";
    assert_eq!(err(src), "4:3: cannot assign to 'y', declared in the data block");
    let src = "parameters { real mu; }\nmodel {\n  mu = 2;\n}";
    assert_eq!(err(src), "3:3: cannot assign to 'mu', declared in the parameters block");
    let src = "parameters { real mu; }\ntransformed parameters { real t = mu; }\ngenerated quantities {\n  t = 1;\n}";
    assert_eq!(err(src), "4:3: cannot assign to 't', declared in the transformed parameters block");
    let src = "functions {\n  real f(real x) {\n    x = 1;\n    return x;\n  }\n}";
    assert_eq!(err(src), "3:5: cannot assign to function argument 'x'");
    let src = "model {\n  for (i in 1:3) {\n    i = 2;\n  }\n}";
    assert_eq!(err(src), "3:5: cannot assign to loop variable 'i'");
}

#[test]
fn assignment_type_mismatch() {
    let src = "transformed data {\n  real x;\n  x = [1, 2]';\n}";
    assert_eq!(err(src), "3:7: cannot assign a value of type 'vector' to 'x' of type 'real'");
    let src = "transformed data {\n  int n;\n  n = 2.5;\n}";
    assert_eq!(err(src), "3:7: cannot assign a value of type 'real' to 'n' of type 'int'");
    // int → real promotion, also in arrays
    ok("transformed data {\n  real x = 1;\n  array[2] real a = {1, 2};\n  vector[2] v = [1, 2]';\n  x += 1;\n}");
}

#[test]
fn rng_outside_allowed_blocks() {
    let src = "parameters { real mu; }\nmodel {\n  real z = normal_rng(0, 1);\n}";
    let d = diags(src);
    assert_eq!(d[0], "3:12: random number generator 'normal_rng' is only allowed in transformed data, generated quantities and functions ending in _rng");
    // allowed in transformed data (at most a support error, no context error)
    let src = "transformed data {\n  real z = normal_rng(0, 1);\n}";
    assert!(diags(src).iter().all(|d| !d.contains("only allowed")), "{:?}", diags(src));
}

#[test]
fn target_outside_model() {
    let src = "parameters { real mu; }\ngenerated quantities {\n  real t = target();\n}";
    assert_eq!(err(src), "3:12: 'target()' is only allowed in the model block and in functions ending in _lp");
    let src = "parameters { real mu; }\ngenerated quantities {\n  target += mu;\n}";
    assert_eq!(err(src), "3:3: 'target +=' is only allowed in the model block, transformed parameters and functions ending in _lp");
    let src = "functions {\n  void f(real x) {\n    x ~ normal(0, 1);\n  }\n}";
    assert_eq!(err(src), "3:5: '~' statements are only allowed in the model block, transformed parameters and functions ending in _lp");
    ok("functions {\n  void f_lp(real x) {\n    x ~ normal(0, 1);\n    target += -x;\n  }\n}\nparameters { real mu; }\nmodel {\n  f_lp(mu);\n}");
}

#[test]
fn lp_function_outside_model() {
    let src = "functions {\n  real f_lp(real x) { target += x; return x; }\n}\ngenerated quantities {\n  real y = f_lp(1);\n}";
    assert_eq!(err(src), "5:12: 'f_lp' (which changes target) is only allowed in transformed parameters, the model block and functions ending in _lp");
}

#[test]
fn lupdf_outside_model() {
    let src = "parameters { real mu; }\ngenerated quantities {\n  real lp = normal_lupdf(mu | 0, 1);\n}";
    assert_eq!(err(src), "3:13: 'normal_lupdf' (an unnormalised density) is only allowed in the model block and in functions ending in _lpdf, _lpmf or _lp; use the _lpdf/_lpmf form");
}

#[test]
fn void_function_used_as_value() {
    let src = "functions {\n  void f(real x) { print(x); }\n}\ntransformed data {\n  real y = f(1.0);\n}";
    assert_eq!(err(src), "5:12: function 'f' returns void and cannot be used as a value");
    let src = "functions {\n  real g(real x) { return x; }\n}\ntransformed data {\n  g(1.0);\n}";
    assert_eq!(err(src), "5:3: function 'g' returns 'real'; its value would be discarded (only void functions can be called as statements)");
}

#[test]
fn missing_return_and_bad_return() {
    let src = "functions {\n  real f(real x) {\n    if (x > 0) return 1;\n  }\n}";
    assert_eq!(err(src), "2:8: function 'f' may end without returning a value");
    let src = "functions {\n  vector f(real x) {\n    return x;\n  }\n}";
    assert_eq!(err(src), "3:12: function 'f' returns 'vector', found 'real'");
    let src = "functions {\n  void f(real x) {\n    return x;\n  }\n}";
    assert_eq!(err(src), "3:12: void function 'f' cannot return a value");
}

#[test]
fn break_outside_loop() {
    assert_eq!(err("model {\n  break;\n}"), "2:3: 'break' outside of a loop");
    assert_eq!(err("model {\n  if (1) continue;\n}"), "2:10: 'continue' outside of a loop");
    ok("model {\n  while (1) { if (1) break; }\n}");
}

#[test]
fn int_division_warning() {
    let src = "data { int N; }\ntransformed data {\n  int h = N / 2;\n  real r = N * 1.0 / 2;\n}";
    assert_eq!(diags(src), vec!["3:11: warning: integer division: the result is rounded towards zero".to_string()]);
    let (prog, _) = parse(src).unwrap();
    assert_eq!(check(&prog).unwrap().warnings.len(), 1);
}

#[test]
fn user_functions_recursion_and_forward_declarations() {
    ok("functions {\n  int fib(int n);\n  int fib(int n) {\n    if (n < 2) return n;\n    return fib(n - 1) + fib(n - 2);\n  }\n  real even(int n) { if (n == 0) return 1; return odd(n - 1); }\n  real odd(int n) { if (n == 0) return 0; return even(n - 1); }\n}\ntransformed data {\n  int f = fib(10);\n  real e = even(4);\n}");
    assert_eq!(err("functions {\n  real f(real x);\n}"), "2:8: function 'f' is declared but never defined");
    assert_eq!(
        err("functions {\n  real f(real x) { return x; }\n  real f(real y) { return y; }\n}"),
        "3:8: function 'f' is already defined with these argument types"
    );
}

#[test]
fn user_densities_in_tilde_and_suffix_rules() {
    ok("functions {\n  real foo_lpdf(real y, real mu) { return -square(y - mu); }\n  real cnt_lpmf(int k, real l) { return k * log(l) - l; }\n}\ndata { int k; }\nparameters { real mu; real<lower=0> l; }\nmodel {\n  mu ~ foo(0);\n  target += foo_lupdf(mu | 1);\n  k ~ cnt(l);\n}");
    assert_eq!(
        err("functions {\n  real foo_lpmf(real y) { return y; }\n}"),
        "2:8: the first argument of 'foo_lpmf' must be int-valued (an _lpmf is a mass function); use _lpdf for reals"
    );
    assert_eq!(
        err("functions {\n  vector foo_lpdf(real y) { return [y]'; }\n}"),
        "2:10: 'foo_lpdf' must return 'real' (functions ending in a density or CDF suffix return a log probability)"
    );
}

#[test]
fn conditional_call_needs_bar() {
    let src = "parameters { real mu; }\nmodel {\n  target += normal_lpdf(mu, 0, 1);\n}";
    assert_eq!(err(src), "3:13: 'normal_lpdf' needs a '|' between its first and second arguments: normal_lpdf(y | ...)");
}

#[test]
fn tilde_with_suffix() {
    let src = "parameters { real mu; }\nmodel {\n  mu ~ normal_lpdf(0, 1);\n}";
    assert_eq!(err(src), "3:8: '~' takes a distribution name without suffix, found 'normal_lpdf'");
}

#[test]
fn truncation_needs_cdf() {
    let src = "data { int k; }\nparameters { real a; }\nmodel {\n  k ~ poisson_log(a) T[0, ];\n}";
    assert_eq!(err(src), "4:22: truncation needs 'poisson_log_lccdf', which does not exist");
    let src = "data { real y; }\nparameters { real mu; }\nmodel {\n  y ~ loglogistic(mu, 1) T[0.5, 1];\n}";
    assert_eq!(
        diags(src),
        vec![
            "4:3: `loglogistic_lpdf` is not supported by exmc yet".to_string(),
            "4:26: `loglogistic_lcdf` is not supported by exmc yet".to_string(),
            "4:26: `loglogistic_lccdf` is not supported by exmc yet".to_string()
        ]
    );
    ok("data { real y; }\nparameters { real mu; }\nmodel {\n  y ~ normal(mu, 1) T[-1, 1];\n}");
    ok("data { real y; }\nparameters { real mu; }\nmodel {\n  y ~ skew_double_exponential(mu, 1, 0.5) T[-1, 1];\n}");
}

#[test]
fn indexing() {
    ok("data { matrix[3, 3] m; array[2] vector[3] a; array[2] int idx; }\ntransformed data {\n  row_vector[3] r = m[1];\n  vector[3] c = m[:, 1];\n  real x = m[1, 2] + a[1, 2] + a[1][3];\n  matrix[2, 3] s = m[idx];\n  array[2] vector[3] b = a[idx];\n  vector[2] v2 = a[1, idx];\n}");
    assert_eq!(err("data { vector[3] v; }\ntransformed data {\n  real x = v[1, 2];\n}"), "3:12: too many indexes (2) for a value of type 'vector'");
    assert_eq!(err("data { vector[3] v; }\ntransformed data {\n  real x = v[1.5];\n}"), "3:14: an index must be an int or an array of ints, found 'real'");
}

#[test]
fn size_of_parameter_must_be_data() {
    let src = "generated quantities {\n  int k = 2;\n  vector[k] v;\n}";
    assert_eq!(err(src), "3:10: a size of a block-level variable must be data, but 'k' is not");
    // local variables may have any int size
    ok("parameters { real mu; }\nmodel {\n  int k = 2;\n  vector[k] v;\n}");
    let src = "data { int N; }\nparameters { real mu; }\ngenerated quantities {\n  vector[N] ok_v;\n  real s = mu;\n}";
    ok(src);
}

#[test]
fn redeclaration() {
    let src = "data { int N; }\ntransformed data {\n  real N = 1;\n}";
    assert_eq!(err(src), "3:8: 'N' is already declared");
}

#[test]
fn type_errors_in_conditions_and_loops() {
    assert_eq!(err("data { vector[2] v; }\nmodel {\n  if (v) { }\n}"), "3:7: the condition of 'if' must be an int or real, found 'vector'");
    assert_eq!(err("model {\n  for (i in 1:2.5) { }\n}"), "2:15: the bounds of a 'for' loop must be ints, found 'real'");
    ok("data { matrix[2, 2] m; array[3] vector[2] a; }\nmodel {\n  for (x in m) { real y = x; }\n  for (v in a) { vector[2] w = v; }\n}");
}

#[test]
fn jacobian_plus() {
    ok("parameters { real<lower=0> s; }\ntransformed parameters {\n  real l = log(s);\n  jacobian += -l;\n}");
    assert_eq!(err("parameters { real s; }\nmodel {\n  jacobian += s;\n}"), "3:3: 'jacobian +=' is only allowed in transformed parameters and in functions ending in _jacobian");
    let src = "model {\n  real jacobian = 0;\n  jacobian += 1;\n}";
    assert_eq!(diags(src), vec!["3:3: warning: 'jacobian' is a variable here; 'jacobian +=' is read as an assignment to it".to_string()]);
}

#[test]
fn rendered_with_caret() {
    let src = "data { vector[3] v; matrix[3, 3] m; }\ntransformed data {\n  vector[3] w = v + m;\n}";
    let (prog, _) = parse(src).unwrap();
    let e = check(&prog).unwrap_err();
    let text = render_diagnostics(&e, "model.stan", src);
    assert!(text.contains("model.stan:3:17"), "{text}");
    assert!(text.contains("  vector[3] w = v + m;"), "{text}");
    assert!(text.contains("^^^^^"), "{text}");
}

#[test]
fn data_only_arguments() {
    let f = "functions {\n  real f(data real x, real y) { return x + y; }\n}\n";
    let src = format!("{f}data {{ real d; }}\nparameters {{ real mu; }}\nmodel {{\n  target += f(d, mu);\n  target += f(mu, d);\n}}");
    assert_eq!(err(&src), "8:15: argument 1 of 'f' is declared 'data', but 'mu' is not data");
    // transformed data and generated quantities values are data; ints always are
    ok(&format!("{f}data {{ real d; }}\ntransformed data {{ real t = d * 2; }}\nparameters {{ real mu; }}\nmodel {{\n  for (i in 1:2) target += f(t + i, mu);\n}}\ngenerated quantities {{\n  real g = mu;\n  real h = f(g, 1);\n}}"));
}

#[test]
fn jacobian_functions_only_in_transformed_parameters() {
    let src = "parameters { vector[2] r; }\nmodel {\n  vector[3] b = sum_to_zero_jacobian(r);\n}";
    let d = diags(src);
    assert_eq!(d[0], "3:17: 'sum_to_zero_jacobian' (which changes the Jacobian adjustment) is only allowed in transformed parameters and functions ending in _jacobian");
    let (prog, _) = parse("parameters { vector[2] r; }\ntransformed parameters {\n  sum_to_zero_vector[3] b = sum_to_zero_jacobian(r);\n}").unwrap();
    assert!(check_with(&prog, CheckOptions { reject_unsupported: false }).is_ok());
}

/// Stan 2.36 allows `~` and `target +=` in transformed parameters (as it
/// always allowed `_lp` calls there); `target()` stays model-only.
#[test]
fn tilde_and_target_increment_in_transformed_parameters() {
    ok("parameters { real mu; }\ntransformed parameters {\n  real s = 2 * mu;\n  s ~ normal(0, 1);\n  target += -0.5 * s;\n}");
    let src = "parameters { real mu; }\ntransformed parameters {\n  real t = target();\n}";
    assert_eq!(err(src), "3:12: 'target()' is only allowed in the model block and in functions ending in _lp");
}

/// Argument combinations of the Functions Reference that the table missed:
/// valid Stan (accepted when unsupported functions are allowed), still typed.
#[test]
fn vectorised_library_signatures() {
    // log_mix(theta container, lambda container) in any mix of vector, row_vector, array
    ok("transformed data {\n  array[2] real th = {0.3, 0.7};\n  vector[2] lv = [-1, -2]';\n  row_vector[2] lr = [-1, -2];\n  real a = log_mix(th, lv) + log_mix(lv, lr) + log_mix(lr, th);\n}");
    let valid = |src: &str| {
        let (prog, _) = parse(src).unwrap_or_else(|e| panic!("{}", render_diagnostics(&e, "t.stan", src)));
        check_with(&prog, CheckOptions { reject_unsupported: false }).map(|_| ()).map_err(|e| e.iter().map(|d| d.message.clone()).collect::<Vec<_>>())
    };
    for body in [
        "vector[3] v = [1, 2, 3]'; array[2] real q = quantile(v, {0.1, 0.9});",
        "array[2, 2] real x = {{1.5, 2}, {3, 4}}; array[2, 2] int k = to_int(x);",
        "array[2] int y = {0, 1}; array[2] real l = binary_log_loss(y, {0.2, 0.6});",
        "array[2, 3] int y; real p = 0.5; array[2, 3] real l = binary_log_loss(y, p);",
        "vector[2] h = [0.5, 1]'; vector[2] o = owens_t(h, h);",
        "row_vector[2] a = [1, 2]; array[1] real b = {3.0}; real h = hypergeometric_pFq(a, b, 0.2);",
        "vector[6] v; matrix[2, 3] m = to_matrix(v, 2, 3, 0);",
        "array[3] vector[2] x; array[2] real l = {1.0, 2.0}; matrix[3, 3] k = gp_matern32_cov(x, x, 1.0, l) + gp_exponential_cov(x, 1.0, l);",
        "array[2] row_vector[3] r; array[2] row_vector[3] l = log_softmax(r);",
        "real w = wiener_lpdf(1.0 | 2, 0.1, 0.5, 0.3, 0.2) + wiener_lpdf(1.0 | 2, 0.1, 0.5, 0.3, 0.2, 0.1, 0.05);",
        "real c = wiener_lcdf_unnorm(1.0, 2, 0.1, 0.5, 0.3) + wiener_lccdf_defective(1.0, 2, 0.1, 0.5, 0.3, 0.2, 0.1, 0.05);",
    ] {
        assert_eq!(valid(&format!("transformed data {{ {body} }}")), Ok(()), "{body}");
    }
    // the first argument of binary_log_loss stays an int (array)
    let e = valid("transformed data { real l = binary_log_loss(0.5, 0.5); }").unwrap_err();
    assert!(e[0].contains("no signature of 'binary_log_loss'"), "{e:?}");
}
