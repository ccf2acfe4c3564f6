//! Valid programs → expected AST shape, one test per construct.

mod common;
use common::{expr, model, ok, prog, warns};
use exmc_stan::ast::*;

#[test]
fn empty_program_and_all_blocks_in_order() {
    let (p, w) = ok("");
    assert!(p.data.is_none() && p.model.is_none());
    assert_eq!(w.len(), 1);
    let src = "functions { } data { } transformed data { } parameters { } \
               transformed parameters { } model { } generated quantities { }";
    assert_eq!(
        prog(src),
        "(program (functions) (data) (transformed_data) (parameters) (transformed_parameters) (model) (generated_quantities))"
    );
    let (p, _) = ok(src);
    assert_eq!(p.blocks().count(), 6);
    assert_eq!(p.model.as_ref().map(|b| b.kind), Some(BlockKind::Model));
}

#[test]
fn literals_keep_int_and_real_distinct() {
    assert_eq!(expr("1"), "1");
    assert_eq!(expr("1.0"), "1.0");
    assert_eq!(expr("2."), "2.0");
    assert_eq!(expr(".5"), "0.5");
    assert_eq!(expr("1e-3"), "0.001");
    assert_eq!(expr("1E3"), "1000.0");
    assert_eq!(expr("2147483647"), "2147483647");
}

#[test]
fn basic_types_and_sizes() {
    let src = "data { int N; real x; vector[N] v; row_vector[N] r; matrix[N, 3] m; array[N] int y; array[N, 2] vector[3] z; }";
    assert_eq!(
        prog(src),
        "(program (data (decl int N) (decl real x) (decl (vector N) v) (decl (row_vector N) r) \
         (decl (matrix N 3) m) (decl (array (N) int) y) (decl (array (N 2) (vector 3)) z)))"
    );
}

#[test]
fn constrained_types() {
    let src = "parameters { simplex[K] a; unit_vector[K] b; sum_to_zero_vector[K] c; ordered[K] d; \
               positive_ordered[K] e; cholesky_factor_corr[K] f; cholesky_factor_cov[K] g; \
               cholesky_factor_cov[M, K] h; corr_matrix[K] i; cov_matrix[K] j; }";
    assert_eq!(
        prog(src),
        "(program (parameters (decl (simplex K) a) (decl (unit_vector K) b) (decl (sum_to_zero_vector K) c) \
         (decl (ordered K) d) (decl (positive_ordered K) e) (decl (cholesky_factor_corr K) f) \
         (decl (cholesky_factor_cov K) g) (decl (cholesky_factor_cov M K) h) (decl (corr_matrix K) i) \
         (decl (cov_matrix K) j)))"
    );
}

#[test]
fn bounds_in_any_order_and_combination() {
    let src = "parameters { real<lower=0> a; real<upper=1> b; real<lower=-1, upper=1> c; \
               real<upper=U, lower=L[1]> d; vector<lower=0>[N] e; matrix<upper=0>[2, 2] f; \
               real<offset=mu, multiplier=tau> g; real<multiplier=2> h; vector<multiplier=s, offset=m>[N] k; \
               array[J] real<lower=0> w; }";
    assert_eq!(
        prog(src),
        "(program (parameters (decl (real (lower 0)) a) (decl (real (upper 1)) b) \
         (decl (real (lower (- 1)) (upper 1)) c) (decl (real (lower (index L 1)) (upper U)) d) \
         (decl (vector N (lower 0)) e) (decl (matrix 2 2 (upper 0)) f) \
         (decl (real (offset mu) (multiplier tau)) g) (decl (real (multiplier 2)) h) \
         (decl (vector N (offset m) (multiplier s)) k) (decl (array (J) (real (lower 0))) w)))"
    );
    // Bounds are arithmetic expressions; comparisons need parentheses.
    assert_eq!(
        prog("data { int<lower=0, upper=(a > b ? a : b)> n; }"),
        "(program (data (decl (int (lower 0) (upper (paren (?: (> a b) a b)))) n)))"
    );
}

#[test]
fn declarations_with_definitions_and_multiple_declarators() {
    let src = "transformed data { real a, b = 2; vector[2] v = [1, 2]'; } \
               generated quantities { real<lower=0> s = 1; int n = 0, m; }";
    assert_eq!(
        prog(src),
        "(program (transformed_data (decl real a) (decl real b 2) (decl (vector 2) v (' [1 2]))) \
         (generated_quantities (decl (real (lower 0)) s 1) (decl int n 0) (decl int m)))"
    );
    // spans cover the declaration
    let src2 = "model { real a = 1; }";
    let (p, _) = ok(src2);
    let s = &p.model.expect("model").stmts[0];
    assert_eq!(&src2[s.span.start..s.span.end], "real a = 1;");
}

#[test]
fn assignments_and_indexed_lvalues() {
    assert_eq!(
        model("x = 1; x[i, j] = 2; x[i][j] += 3; x[2:3] = y; x[:] -= 1; x[2:] *= 2; x[:3] /= 2; m .*= n; m ./= n;"),
        "(= x 1) (= (index x i j) 2) (+= (index (index x i) j) 3) (= (index x (: 2 3)) y) \
         (-= (index x :) 1) (*= (index x (from 2)) 2) (/= (index x (to 3)) 2) (.*= m n) (./= m n)"
    );
    let (p, _) = ok("model { x[i][j] = 1; }");
    match &p.model.expect("model").stmts[0].kind {
        StmtKind::Assign { lhs, op, .. } => {
            assert_eq!(lhs.base.name, "x");
            assert_eq!(lhs.indices.len(), 2);
            assert_eq!(*op, AssignOp::Assign);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn tilde_with_truncation() {
    assert_eq!(
        model("y ~ normal(mu, sigma); y ~ normal(0, 1) T[0, ]; y ~ normal(0, 1) T[, 5]; y ~ poisson(l) T[L, U]; y ~ std_normal();"),
        "(~ y normal mu sigma) (~ y normal 0 1 (T 0 _)) (~ y normal 0 1 (T _ 5)) (~ y poisson l (T L U)) (~ y std_normal)"
    );
    assert_eq!(model("y[1:N] ~ normal(x * beta, s);"), "(~ (index y (: 1 N)) normal (* x beta) s)");
}

#[test]
fn target_increment_and_target_read() {
    assert_eq!(model("target += normal_lpdf(y | mu, 1); print(target());"), "(target+= (normal_lpdf y | mu 1)) (print (target))");
    assert_eq!(model("target += foo_lupdf(y | a); target += bar_lpmf(n |);"), "(target+= (foo_lupdf y | a)) (target+= (bar_lpmf n |))");
}

#[test]
fn loops_and_conditionals() {
    assert_eq!(
        model("for (i in 1:N) y[i] ~ normal(0, 1); for (x in xs) { s += x; } while (k < 10) k += 1;"),
        "(for i 1 N (~ (index y i) normal 0 1)) (foreach x xs (block (+= s x))) (while (< k 10) (+= k 1))"
    );
    assert_eq!(
        model("if (a) x = 1; else if (b) x = 2; else { x = 3; }"),
        "(if a (= x 1) (if b (= x 2) (block (= x 3))))"
    );
    // dangling else binds to the nearest if
    assert_eq!(model("if (a) if (b) x = 1; else x = 2;"), "(if a (if b (= x 1) (= x 2)))");
    assert_eq!(
        model("for (i in 1:N) { if (i > 3) break; if (i == 2) continue; }"),
        "(for i 1 N (block (if (> i 3) (break)) (if (== i 2) (continue))))"
    );
    assert_eq!(model("for (i in a ? 1 : 2:N) {}"), "(for i (?: a 1 2) N (block))");
}

#[test]
fn blocks_print_reject_fatal_error_calls_empty_profile() {
    assert_eq!(
        model("{ real z = 1; z += 1; } print(\"x = \", x, \" done\"); reject(\"bad: \", x); fatal_error(\"no\"); foo(1, 2); ; profile(\"lik\") { y ~ normal(0, 1); }"),
        "(block (decl real z 1) (+= z 1)) (print \"x = \" x \" done\") (reject \"bad: \" x) (fatal_error \"no\") \
         (call foo 1 2) (skip) (profile \"lik\" (~ y normal 0 1))"
    );
}

#[test]
fn indexing_forms() {
    assert_eq!(expr("theta[1]"), "(index theta 1)");
    assert_eq!(expr("theta[{1, 3}]"), "(index theta {1 3})");
    assert_eq!(expr("theta[idx]"), "(index theta idx)");
    assert_eq!(expr("m[i, ]"), "(index m i :)");
    assert_eq!(expr("m[, j]"), "(index m : j)");
    assert_eq!(expr("m[:, 2:]"), "(index m : (from 2))");
    assert_eq!(expr("m[i][j]"), "(index (index m i) j)");
    assert_eq!(expr("m[a ? 1 : 2]"), "(index m (?: a 1 2))");
}

#[test]
fn container_literals() {
    assert_eq!(expr("{1, 2, 3}"), "{1 2 3}");
    assert_eq!(expr("{{1, 2}, {3, 4}}"), "{{1 2} {3 4}}");
    assert_eq!(expr("[1, 2.5]"), "[1 2.5]");
    assert_eq!(expr("[[1, 2], [3, 4]]"), "[[1 2] [3 4]]");
    assert_eq!(expr("[]"), "[]");
}

#[test]
fn calls() {
    assert_eq!(expr("f()"), "(f)");
    assert_eq!(expr("f(a, b + 1)"), "(f a (+ b 1))");
    assert_eq!(expr("log_sum_exp(a, b)"), "(log_sum_exp a b)");
    let (p, _) = ok("model { target += normal_lpdf(y | 0, 1); }");
    match &p.model.expect("m").stmts[0].kind {
        StmtKind::TargetPlus(Expr { kind: ExprKind::CondCall { suffix, args, .. }, .. }) => {
            assert_eq!(*suffix, FunSuffix::Lpdf);
            assert_eq!(args.len(), 2);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn user_defined_functions() {
    let src = "functions {
      real foo(real x);
      real foo(real x) { return x + 1; }
      void bar_lp(data real x, array[] real y, vector v, array[,] matrix m) { target += x; }
      real baz_lpdf(real y, real mu) { return -0.5 * (y - mu)^2; }
      int fib(int n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }
      vector sim_rng(int n) { return rep_vector(0, n); }
      array[] real arr(row_vector r) { return to_array_1d(r); }
      void nothing() { return; }
    }";
    let (p, _) = ok(src);
    let fs = &p.functions.expect("functions").functions;
    assert_eq!(fs.len(), 8);
    assert!(fs[0].body.is_none());
    assert!(fs[1].body.is_some());
    let suffixes: Vec<_> = fs.iter().map(|f| f.suffix).collect();
    assert_eq!(
        suffixes,
        vec![
            FunSuffix::None,
            FunSuffix::None,
            FunSuffix::Lp,
            FunSuffix::Lpdf,
            FunSuffix::None,
            FunSuffix::Rng,
            FunSuffix::None,
            FunSuffix::None
        ]
    );
    assert_eq!(
        exmc_stan::sexpr::fun_def(&fs[2]),
        "(fun void bar_lp ((data real x) ((array 1 real) y) (vector v) ((array 2 matrix) m)) (block (target+= x)))"
    );
    assert_eq!(exmc_stan::sexpr::fun_def(&fs[0]), "(fun real foo ((real x)) ;)");
    assert_eq!(
        exmc_stan::sexpr::fun_def(&fs[4]),
        "(fun int fib ((int n)) (block (if (< n 2) (return n)) (return (+ (fib (- n 1)) (fib (- n 2))))))"
    );
    assert_eq!(exmc_stan::sexpr::fun_def(&fs[7]), "(fun void nothing () (block (return)))");
    // trailing comma in the argument list (accepted by stanc3)
    assert_eq!(
        prog("functions { void g(real x, real y,) { } }"),
        "(program (functions (fun void g ((real x) (real y)) (block))))"
    );
    assert_eq!(FunSuffix::of("x_lupmf"), FunSuffix::Lupmf);
    assert_eq!(FunSuffix::of("x_lccdf"), FunSuffix::Lccdf);
}

#[test]
fn jacobian_increment() {
    assert_eq!(
        prog("transformed parameters { real y = exp(x); jacobian += x; }"),
        "(program (transformed_parameters (decl real y (exp x)) (jacobian+= x)))"
    );
}

#[test]
fn contextual_words_are_identifiers() {
    // lower/upper/offset/multiplier/T/transformed are not reserved.
    assert_eq!(model("lower = 1; T = upper + offset * multiplier;"), "(= lower 1) (= T (+ upper (* offset multiplier)))");
}

#[test]
fn legacy_syntax_parses_with_warnings() {
    let src = "data {\n  real y[N];\n  int n[N, M];\n}\nmodel {\n  # old comment\n  x <- 1;\n  increment_log_prob(normal_log(y, 0, 1));\n  z = get_lp();\n  w = if_else(a, b, c);\n  s = integrate_ode_rk45(f, y0, t0, ts, theta, x_r, x_i);\n}\n";
    assert_eq!(
        prog(src),
        "(program (data (decl (array (N) real) y) (decl (array (N M) int) n)) (model (= x 1) \
         (target+= (normal_log y 0 1)) (= z (target)) (= w (if_else a b c)) \
         (= s (integrate_ode_rk45 f y0 t0 ts theta x_r x_i))))"
    );
    assert_eq!(
        warns(src),
        vec![
            "2:9: array declarations with sizes after the name are deprecated (removed in Stan 2.33)",
            "3:8: array declarations with sizes after the name are deprecated (removed in Stan 2.33)",
            "6:3: '#' comments are deprecated",
            "7:5: assignment with '<-' is deprecated (removed in Stan 2.33)",
            "8:3: 'increment_log_prob(...)' is deprecated (removed in Stan 2.33)",
            "9:7: 'get_lp()' is deprecated (removed in Stan 2.33)",
            "10:7: function 'if_else' is deprecated",
            "11:7: function 'integrate_ode_rk45' is deprecated",
        ]
    );
    let (p, _) = ok(src);
    match &p.data.expect("data").stmts[0].kind {
        StmtKind::Decl(d) => assert!(d.legacy_array_syntax),
        k => panic!("{k:?}"),
    }
    // legacy unsized array types in function signatures
    assert_eq!(
        warns("functions { real f(real[] x, int[,] n) { return 0; } }"),
        vec![
            "1:20: array types written as 'real[]' are deprecated (removed in Stan 2.33)",
            "1:30: array types written as 'real[]' are deprecated (removed in Stan 2.33)"
        ]
    );
}

#[test]
fn every_node_has_a_span_inside_the_source() {
    let src = "model { y ~ normal(a + b * c, 1) T[0, ]; x[i, 2:3] = f_lpdf(u | v)'; }";
    let (p, _) = ok(src);
    let m = p.model.expect("m");
    let s0 = &m.stmts[0];
    assert_eq!(&src[s0.span.start..s0.span.end], "y ~ normal(a + b * c, 1) T[0, ];");
    if let StmtKind::Tilde { args, truncation, dist, .. } = &s0.kind {
        assert_eq!(&src[args[0].span.start..args[0].span.end], "a + b * c");
        assert_eq!(&src[dist.span.start..dist.span.end], "normal");
        let t = truncation.as_ref().expect("trunc");
        assert_eq!(&src[t.span.start..t.span.end], "T[0, ]");
    } else {
        panic!()
    }
    if let StmtKind::Assign { lhs, rhs, .. } = &m.stmts[1].kind {
        assert_eq!(&src[lhs.span.start..lhs.span.end], "x[i, 2:3]");
        assert_eq!(&src[rhs.span.start..rhs.span.end], "f_lpdf(u | v)'");
        assert_eq!(&src[lhs.indices[0][1].span.start..lhs.indices[0][1].span.end], "2:3");
    } else {
        panic!()
    }
}
