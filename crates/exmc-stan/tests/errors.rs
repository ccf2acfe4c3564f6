//! Invalid programs → exact message and line:col.

mod common;
use common::{err, errs};
use exmc_stan::{parse, render_diagnostics};

#[test]
fn missing_semicolon() {
    assert_eq!(err("model {\n  y = x + 1\n  real z;\n}"), "3:3: expected ';' after expression, found 'real'");
    assert_eq!(err("data {\n  int N\n}"), "3:1: expected ';' after declaration, found '}'");
    assert_eq!(err("model { foo(1) }"), "1:16: expected ';' after function call, found '}'");
    assert_eq!(err("model { y ~ normal(0, 1) }"), "1:26: expected ';' after '~' statement, found '}'");
}

#[test]
fn unknown_blocks_suggest_the_right_name() {
    assert_eq!(err("paramters { real mu; }"), "1:1: unknown block 'paramters' — did you mean 'parameters'?");
    assert_eq!(
        err("data { }\ntransformed paramters { }"),
        "2:1: unknown block 'transformed paramters' — did you mean 'transformed parameters'?"
    );
    assert_eq!(err("generated quantites { }"), "1:1: unknown block 'generated quantites' — did you mean 'generated quantities'?");
    assert_eq!(err("modle { }"), "1:1: unknown block 'modle' — did you mean 'model'?");
    assert_eq!(err("transformed_data { }"), "1:1: unknown block 'transformed_data' — did you mean 'transformed data'?");
    assert_eq!(err("likelihood { }"), "1:1: unknown block 'likelihood'");
}

#[test]
fn block_order_and_duplicates() {
    assert_eq!(err("model { }\ndata { }"), "2:1: the 'data' block must come before the 'model' block");
    assert_eq!(err("model { }\nmodel { }"), "2:1: duplicate 'model' block");
}

#[test]
fn unclosed_brace_points_at_the_opener() {
    let src = "model {\n  for (i in 1:N) {\n    y[i] ~ normal(0, 1);\n";
    let e = parse(src).expect_err("unclosed");
    assert_eq!(e[0].message, "unclosed '{': reached end of file");
    assert_eq!(exmc_stan::diagnostic::line_col(src, e[0].secondary[0].0.start), (2, 18));
    let text = render_diagnostics(&e, "m.stan", src);
    assert!(text.contains("m.stan:4:1"), "{text}");
    assert!(text.contains("this '{' is never closed"), "{text}");
}

#[test]
fn unclosed_comment_points_at_the_opener() {
    let src = "model {\n  /* start\n  y ~ normal(0, 1);\n}\n";
    let e = parse(src).expect_err("unclosed comment");
    assert_eq!(e[0].message, "unclosed comment: reached end of file inside '/* ... */'");
    assert_eq!(exmc_stan::diagnostic::line_col(src, e[0].secondary[0].0.start), (2, 3));
}

#[test]
fn lexical_errors() {
    assert_eq!(err("model {\n  #include \"x.stan\"\n}"), "2:3: '#include' is not supported");
    assert_eq!(err("model { x = a & b; }"), "1:15: unexpected character '&'");
    assert_eq!(err("model { print(\"abc); }"), "1:15: unterminated string literal");
    assert_eq!(err("model { x = 99999999999; }"), "1:13: integer literal '99999999999' is too large");
}

#[test]
fn malformed_tuples_and_complex_types() {
    // Tuples and complex numbers parse (the checker refuses them, see
    // check_unsupported.rs); malformed ones are syntax errors.
    assert_eq!(err("functions { void f(tuple(real) t) { } }"), "1:25: a tuple type needs at least two elements");
    assert_eq!(err("model { tuple() t; }"), "1:15: expected a type in declaration, found ')'");
    assert_eq!(err("data { complex<lower=0> z; }"), "1:15: 'complex' cannot have bounds");
    assert_eq!(err("data { complex_vector<lower=0>[2] z; }"), "1:22: 'complex_vector' cannot have bounds");
    assert_eq!(err("model { real x = (); }"), "1:18: empty parentheses '()' are not an expression");
    assert_eq!(err("model { x.99999999999 = 1; }"), "1:10: tuple element '.99999999999' is out of range (elements count from .1)");
    assert_eq!(err("model { (a, b) += t; }"), "1:9: tuple unpacking only works with '=', not '+='");
    assert_eq!(err("model { (a, 1) = t; }"), "1:9: cannot assign to this expression with '='");
}

#[test]
fn declaration_rules() {
    assert_eq!(err("data { real x = 1; }"), "1:15: variables in the 'data' block cannot be given a value");
    assert_eq!(err("parameters { real mu = 0; }"), "1:22: variables in the 'parameters' block cannot be given a value");
    assert_eq!(err("data { x = 1; }"), "1:8: only variable declarations are allowed in the 'data' block, found identifier 'x'");
    assert_eq!(
        err("model { real<lower=0> s; }"),
        "1:9: local variables cannot have constrained types or bounds (in the 'model' block)"
    );
    assert_eq!(
        err("transformed parameters { { simplex[3] s; } }"),
        "1:28: local variables cannot have constrained types or bounds (in nested blocks)"
    );
    assert_eq!(err("data { real<lowr=0> x; }"), "1:13: unknown bound 'lowr' — did you mean 'lower'?");
    assert_eq!(err("data { real<lower=0, lower=1> x; }"), "1:22: 'lower' is given twice");
    assert_eq!(err("data { real<lower=0, offset=1> x; }"), "1:12: 'lower'/'upper' cannot be combined with 'offset'/'multiplier'");
    assert_eq!(err("data { int<offset=1> x; }"), "1:11: 'offset'/'multiplier' are not allowed on 'int'");
    assert_eq!(err("data { simplex<lower=0>[3] x; }"), "1:15: 'simplex' cannot have bounds");
    assert_eq!(err("data { matrix[3] x; }"), "1:14: 'matrix' takes two sizes, found 1");
    assert_eq!(err("data { real model; }"), "1:13: 'model' is a reserved word and cannot be used as a variable name");
    assert_eq!(err("model { real x[5], y; }"), "1:18: several variables in one declaration cannot use sizes after the name");
    assert_eq!(err("model { for (i 1:N) {} }"), "1:16: expected 'in' after the loop variable, found '1'");
    assert_eq!(err("data { real<lower=0 x; }"), "1:21: expected ',' or '>' in type bounds, found identifier 'x'");
}

#[test]
fn statement_errors() {
    assert_eq!(err("model { x + 1; }"), "1:9: this expression is not a statement: its value would be discarded");
    assert_eq!(err("model { f(x) = 1; }"), "1:9: cannot assign to this expression with '='");
    assert_eq!(err("model { else x = 1; }"), "1:9: 'else' without a matching 'if'");
    assert_eq!(err("model { x y; }"), "1:11: expected '=', '~' or ';' after expression, found identifier 'y'");
    assert_eq!(err("model { y ~ normal(0, 1) T[0]; }"), "1:29: expected ',' in truncation 'T[lower, upper]', found ']'");
    assert_eq!(err("model { y ~ normal(mu | 1); }"), "1:23: '|' is not used with '~'");
    assert_eq!(err("model { target += foo(y | mu); }"), "1:25: '|' is only allowed in calls of densities, masses and CDFs, not in 'foo'");
    assert_eq!(err("model { x = ; }"), "1:13: expected expression, found ';'");
    assert_eq!(err("model { x = {}; }"), "1:13: array expressions '{...}' must have at least one element");
    assert_eq!(err("model { for (i in 1:N y[i] = 0; }"), "1:23: expected ')' after the loop range, found identifier 'y'");
    assert_eq!(err("model { x = (a + b; }"), "1:19: expected ')' to close the parenthesis, found ';'");
    assert_eq!(err("model { x = real; }"), "1:13: expected expression, found type 'real'");
    assert_eq!(err("model { x = \"s\"; }"), "1:13: string literals are only allowed in print, reject and fatal_error");
}

#[test]
fn function_errors() {
    assert_eq!(err("functions { real f(real x) return x; }"), "1:28: expected '{' (function body) or ';' (forward declaration) after the argument list, found 'return'");
    assert_eq!(err("functions { real f(array[3] real x) { return 1; } }"), "1:26: sizes are not allowed in function argument or return types");
    assert_eq!(err("functions { real f(simplex x) { return 1; } }"), "1:20: 'simplex' cannot be used in a function signature");
}

#[test]
fn several_errors_are_reported() {
    let src = "model {\n  x = ;\n  y ~ normal(0, 1)\n  z = 1;\n  w + 1;\n}";
    assert_eq!(
        errs(src),
        vec![
            "2:7: expected expression, found ';'",
            "4:3: expected ';' after '~' statement, found identifier 'z'",
            "5:3: this expression is not a statement: its value would be discarded",
        ]
    );
}

#[test]
fn absurd_nesting_is_an_error_not_a_crash() {
    let deep = format!("model {{ x = {}1{}; }}", "(".repeat(5000), ")".repeat(5000));
    let e = parse(&deep).expect_err("too deep");
    assert!(e[0].message.starts_with("nesting too deep"), "{}", e[0].message);
    let deep = format!("model {{ {} }}", "{".repeat(5000));
    assert!(parse(&deep).is_err());
    let deep = format!("model {{ x = {}1; }}", "-".repeat(5000));
    assert!(parse(&deep).expect_err("deep")[0].message.starts_with("nesting too deep"));
    let deep = format!("model {{ x = 1{}; }}", "^1".repeat(5000));
    assert!(parse(&deep).expect_err("deep")[0].message.starts_with("nesting too deep"));
    // but ordinary depth is fine
    let ok = format!("model {{ x = {}1{}; }}", "(".repeat(90), ")".repeat(90));
    assert!(parse(&ok).is_ok());
    // Long flat chains are not nesting, but every link deepens the tree the
    // checker and interpreter walk, so they are bounded too.
    let long = format!("model {{ x = 1{}; }}", " + 1".repeat(exmc_stan::MAX_CHAIN - 1));
    assert!(parse(&long).is_ok());
    let long = format!("model {{ x = 1{}; }}", " * 1".repeat(100_000));
    assert!(parse(&long).expect_err("too long")[0].message.starts_with("expression too long"));
    let long = format!("model {{ x = y{}; }}", "[1]".repeat(exmc_stan::MAX_CHAIN + 1));
    assert!(parse(&long).expect_err("too long")[0].message.starts_with("expression too long"));
}

#[test]
fn rendered_report_has_location_source_and_caret() {
    let src = "model {\n  y = x + 1\n  real z;\n}";
    let e = parse(src).expect_err("err");
    let text = render_diagnostics(&e, "bad.stan", src);
    let expected_head = "error: expected ';' after expression, found 'real'\n  ┌─ bad.stan:3:3\n";
    assert!(text.starts_with(expected_head), "{text}");
    assert!(text.contains("3 │   real z;"), "{text}");
    assert!(text.contains("^^^^"), "{text}");
    assert!(text.contains("';' expected after this"), "{text}");
}
