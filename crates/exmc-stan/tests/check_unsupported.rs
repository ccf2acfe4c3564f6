//! Valid Stan that exmc does not implement (complex numbers, tuples, some
//! library functions, `exit`): the program parses, and the checker reports
//! one `not supported: <feature>` error at the feature, with no follow-on
//! errors from the names it introduces. Also: extreme inputs give an error
//! or work, never a crash. (Programs written for these tests.)

use exmc_stan::{check, parse, render_diagnostics, Severity};

/// Errors (not warnings) of `src` as `line:col: message`; panics on a parse error.
fn check_errors(src: &str) -> Vec<String> {
    let (prog, _) = parse(src).unwrap_or_else(|e| panic!("parse failed:\n{}", render_diagnostics(&e, "t.stan", src)));
    match check(&prog) {
        Ok(_) => Vec::new(),
        Err(ds) => ds
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let (l, c) = d.line_col(src);
                format!("{l}:{c}: {}", d.message)
            })
            .collect(),
    }
}

fn one(src: &str) -> String {
    let e = check_errors(src);
    assert_eq!(e.len(), 1, "expected exactly one error, got {e:#?}");
    e[0].clone()
}

#[test]
fn complex_declarations_are_not_supported_without_cascades() {
    let src = "data {\n  complex z;\n  complex_matrix[2, 2] m;\n}\ntransformed data {\n  real r = get_real(z);\n  m[1, 1] = z;\n}";
    assert_eq!(
        check_errors(src),
        vec![
            "2:3: not supported: complex types",
            "3:3: not supported: complex types",
            "6:12: not supported: 'get_real' (complex numbers)",
        ]
    );
    assert_eq!(one("model { real x = 1 + 2.5i; }"), "1:22: not supported: complex numbers (imaginary literal)");
    assert_eq!(one("model { print(3e-2i); }"), "1:15: not supported: complex numbers (imaginary literal)");
}

#[test]
fn tuple_declarations_expressions_and_assignments() {
    assert_eq!(
        one("data { tuple(int, array[2] tuple(real, vector[3])) t; }\nmodel { target += t.2[1].1; }"),
        "1:8: not supported: tuple types"
    );
    assert_eq!(one("model { real x = (1.5, 2).1; }"), "1:18: not supported: tuple expressions");
    assert_eq!(one("model { print((1,)); }"), "1:15: not supported: tuple expressions");
    assert_eq!(one("transformed data { int a; int b; (a, b) = (b, a); }"), "1:34: not supported: tuple unpacking");
    assert_eq!(one("transformed data { int a; int b; (a, _, (b, _)) = (1, 2, (3, 4)); }"), "1:34: not supported: tuple unpacking");
    assert_eq!(
        check_errors("transformed data { int a; (a, c) = (1, 2); }"),
        vec!["1:27: not supported: tuple unpacking", "1:31: unknown variable 'c' (did you mean 'a'?)"]
    );
    assert_eq!(one("transformed data { tuple(int, real) t; t.2 = 1; }"), "1:20: not supported: tuple types");
    assert_eq!(one("transformed data { array[2] real a; a[1].1 = 3; }"), "1:37: '.1' selects a tuple element, but this is of type 'real', not a tuple");
    // a tuple element of something that is not a tuple is a plain error
    assert_eq!(one("transformed data { real x = 3.4; print(x.1); }"), "1:40: '.1' selects a tuple element, but this is of type 'real', not a tuple");
}

#[test]
fn functions_with_unsupported_signatures() {
    // Reported once per function (forward declaration + definition); calls
    // and higher-order uses of it are not errors of their own.
    let src = "functions {\n  real f(tuple(real, real) p);\n  real f(tuple(real, real) p) { return p.1; }\n  real g(real x) { return x; }\n}\nparameters { real y; }\nmodel { target += f((y, y)) + g(y); }";
    assert_eq!(
        check_errors(src),
        vec!["2:10: not supported: tuple types (in the signature of 'f')", "7:21: not supported: tuple expressions"]
    );
    let src = "functions { complex h(complex z) { return z; } }\nmodel { }";
    assert_eq!(one(src), "1:13: not supported: complex types (in the signature of 'h')");
    let src = "functions { real part(array[] real s, int a, int b, tuple(real, int) m) { return 0; } }\ntransformed data { array[3] real y; real s = reduce_sum(part, y, 1, 7); }";
    assert_eq!(one(src), "1:53: not supported: tuple types (in the signature of 'part')");
}

#[test]
fn library_functions_exmc_does_not_have() {
    assert_eq!(one("transformed data { vector[2] a; vector[2] b = multiply(2.0, a); }"), "1:47: not supported: 'multiply' (operator functions (write the operator instead, e.g. 'a * b' for 'multiply(a, b)'))");
    let src = "functions { real ll(vector t) { return 0; } }\ntransformed data { real s = laplace_marginal_tol(ll, (1,), 1); }";
    assert!(one(src).starts_with("2:29: not supported: 'laplace_marginal_tol'"));
    assert!(one("transformed data { matrix[2, 2] m; print(eigendecompose_sym(m)); }").contains("functions returning tuples"));
    let src = "data { array[3] int y; } parameters { simplex[3] a; }\nmodel { y ~ dirichlet_multinomial(a); target += dirichlet_multinomial_lpmf(y | a); }";
    assert_eq!(
        check_errors(src),
        vec![
            "2:13: not supported: 'dirichlet_multinomial' (this distribution is not in exmc's library yet)",
            "2:49: not supported: 'dirichlet_multinomial_lpmf' (this distribution is not in exmc's library yet)",
        ]
    );
}

#[test]
fn exit_statement_and_annotations() {
    let e = parse("model { exit(\"stop\", 1); }").expect_err("exit is refused");
    assert_eq!(e[0].message, "not supported: 'exit(...)' statements");
    let (p, w) = parse("parameters { @silent real y; }\nmodel { y ~ normal(0, 1); }").expect("annotations are skipped");
    assert_eq!(w[0].message, "annotation '@silent' is ignored by exmc");
    assert!(check(&p).is_ok());
    let src = "functions { @extern real ext(real x); real twice(real x) { return 2 * ext(x); } }\nmodel { }";
    assert_eq!(one(src), "1:26: not supported: '@extern' functions (defined outside Stan): 'ext'");
    let e = parse("model { @silent real y; }").expect_err("annotation on a local");
    assert_eq!(e[0].message, "annotations are only allowed before functions and block-level variable declarations");
    let e = parse("functions { @extern real f(real x) { return x; } }").expect_err("extern with a body");
    assert_eq!(e[0].message, "an '@extern' function cannot have a body");
}

#[test]
fn declaration_as_a_statement_body_and_to_int_of_data() {
    assert_eq!(check_errors("transformed data { int k = 1; if (k) real x = 2, y; }"), Vec::<String>::new());
    assert_eq!(
        one("parameters { array[2] real x; }\nmodel { array[2] int k = to_int(x); }"),
        "2:26: the argument of 'to_int' must be data, but 'x' is not"
    );
    assert_eq!(check_errors("data { array[2] real x; }\nmodel { array[2] int k = to_int(x); }"), Vec::<String>::new());
    // generated quantities see parameters as data (stanc3 alike)
    assert_eq!(check_errors("functions { real f(data real z) { return z; } }\nparameters { real p; }\ngenerated quantities { int k = to_int(p); real g = f(p); }"), Vec::<String>::new());
}

#[test]
fn an_assignment_index_that_reads_the_assigned_variable_is_an_error() {
    // As in stanc3.
    let src = "transformed data { array[3] int k = {1, 2, 3}; k[k[1]] = 2; }";
    let (p, _) = parse(src).expect("parses");
    let e = check(&p).err().expect("rejected");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "an index of this assignment reads 'k' itself");
    assert_eq!(e[0].line_col(src), (1, 48));
    assert_eq!(check_errors("transformed data { array[3] int k = {1, 2, 3}; array[3] int j = k; k[j[1]] = k[2]; }"), Vec::<String>::new());
}

#[test]
fn a_declaration_reading_itself_is_a_clear_error() {
    assert_eq!(
        one("model { real a = 1; real b = a + b; }"),
        "1:34: not supported: reading 'b' in its own declaration, before it has a value"
    );
}

#[test]
fn integer_parameters_are_errors() {
    assert_eq!(
        one("transformed parameters { array[2] int k; }"),
        "1:26: 'k' is an integer, but the 'transformed parameters' block cannot declare integers"
    );
    assert_eq!(one("parameters { int k; }"), "1:14: 'k' is an integer, but the 'parameters' block cannot declare integers");
}

#[test]
fn current_grammar_that_is_supported() {
    // profile blocks, jacobian +=, forward declarations, void functions,
    // data qualifiers, unsized arrays, print of everything, literals.
    let src = r#"
functions {
  real twice(data real x);
  real twice(data real x) { return 2 * x; }
  void show(array[,] real a, vector v) { print("a=", a, " v=", v, " \"quoted\"\t"); }
  real lb_jacobian(real x) { jacobian += x; return exp(x); }
}
data { int N; array[N, 2] real a; }
transformed data { real big = 1e10 + .5 + 5. + 2E-3 + twice(1); }
parameters { real u; vector[2] v; }
transformed parameters { real w = lb_jacobian(u); }
model {
  profile("priors") { u ~ normal(0, 1); v ~ normal(0, 1); }
  show(a, v);
}
"#;
    assert_eq!(check_errors(src), Vec::<String>::new());
}

/// Run `f` on a thread with the default test stack (2 MiB), like the
/// callers of the front end that do not raise it.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).expect("spawn").join().expect("no stack overflow")
}

#[test]
fn longest_accepted_chains_check_on_a_small_stack() {
    for op in [" + ", " * ", " - ", " && "] {
        let terms = vec!["x"; exmc_stan::MAX_CHAIN].join(op);
        let src = format!("parameters {{ real x; }} model {{ target += {terms}; }}");
        let errs = on_small_stack(move || check_errors(&src));
        assert!(errs.iter().all(|e| !e.contains("too long")), "{op}: {errs:?}");
    }
    let src = format!("data {{ vector[2] x; }} model {{ print(x{}); }}", "'".repeat(exmc_stan::MAX_CHAIN));
    assert_eq!(on_small_stack(move || check_errors(&src)), Vec::<String>::new());
}

#[test]
fn extreme_inputs_are_errors_not_crashes() {
    let cases = [
        format!("parameters {{ real x; }} model {{ target += {}; }}", vec!["x"; 100_000].join(" + ")),
        format!("parameters {{ real x; }} model {{ target += {}x{}; }}", "(".repeat(200), ")".repeat(200)),
        format!("parameters {{ real x; }} model {{ {} }}", (0..5000).map(|i| format!("if (x > {i}) target += x;")).collect::<Vec<_>>().join(" else ")),
        format!("model {{ print({}1{}); }}", "{".repeat(300), "}".repeat(300)),
        format!("model {{ real y = x{}; }}", ".1".repeat(10_000)),
        "transformed data { tuple(real, real) t; real y = t.99999999999999999999999; }".to_string(),
    ];
    for src in cases {
        let r = on_small_stack(move || match parse(&src) {
            Ok((p, _)) => check(&p).is_ok(),
            Err(e) => {
                assert!(!e.is_empty());
                false
            }
        });
        assert!(!r, "these programs are all invalid or too large");
    }
}

/// Functions and distributions of the current Stan library that exmc's
/// table lacked (and `norm` of a complex number) are "not supported",
/// never "unknown function".
#[test]
fn newer_library_functions_are_not_supported_rather_than_unknown() {
    for (decl, call) in [
        ("real x", "inv_erfc(0.5)"),
        ("real x", "hypergeometric_2F1(1, 1, 2, 0.5)"),
        ("real x", "hypergeometric_3F2([1, 1, 1]', [2, 2]', 0.5)"),
        ("real x", "hypergeometric_pFq({1.0, 2.0}, {3.0}, 0.5)"),
        ("real x", "ldexp(1.5, 3)"),
        ("real x", "yule_simon_lpmf(3 | 2.5)"),
        ("real x", "yule_simon_lccdf(3 | 2.5)"),
        ("int x", "yule_simon_rng(2.5)"),
        ("real x", "ordered_logistic_glm_lpmf(2 | [1, 2], [0.5, 0.5]', [-1, 1]')"),
        ("array[2] int x", "bernoulli_logit_glm_rng([[1, 2], [3, 4]], 0.5, [1, 1]')"),
        ("matrix[2, 2] x", "chol2inv([[1, 0], [0.5, 1]])"),
        ("matrix[2, 2] x", "svd_U([[1, 0], [0.5, 1]])"),
        ("matrix[2, 2] x", "svd_V([[1, 0], [0.5, 1]])"),
        ("matrix[2, 2] x", "csr_to_dense_matrix(2, 2, [1, 1]', {1, 2}, {1, 2, 3})"),
        ("real x", "wiener_lcdf_unnorm(1.0, 2, 0.1, 0.5, 0.3)"),
    ] {
        let src = format!("generated quantities {{ {decl} = {call}; }}");
        let e = one(&src);
        assert!(e.contains("not supported"), "{call}: {e}");
    }
    let e = check_errors("generated quantities { real x = norm(to_complex(3, 4)); }");
    assert!(!e.is_empty() && e.iter().all(|m| m.contains("not supported")), "{e:#?}");
    // a function returning a tuple (the Laplace options of Stan 2.37)
    let e = check_errors("transformed data { vector[2] v; print(generate_laplace_options(v)); }");
    assert!(!e.is_empty() && e.iter().all(|m| m.contains("not supported")), "{e:#?}");
}

/// `real / vector` is valid Stan (elementwise); exmc's lowering has `./`
/// only, so the checker says so and names the spelling that works.
#[test]
fn scalar_divided_by_a_vector_is_not_supported_with_a_hint() {
    let e = one("transformed data { vector[2] v = [1, 2]'; vector[2] w = 1 / v; }");
    assert_eq!(e, "1:57: not supported: '/' of a scalar by a vector or matrix (write './' for the elementwise quotient)");
    assert_eq!(check_errors("transformed data { vector[2] v = [1, 2]'; vector[2] w = 1 ./ v; row_vector[2] r = v' / 2; }"), Vec::<String>::new());
    let (prog, _) = parse("transformed data { matrix[2, 2] m; matrix[2, 2] w = 2.5 / m; }").unwrap();
    assert!(exmc_stan::check_with(&prog, exmc_stan::CheckOptions { reject_unsupported: false }).is_ok());
}
