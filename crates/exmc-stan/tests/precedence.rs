//! Operator precedence and associativity, following the Stan Reference
//! Manual's table (and stanc3's grammar where the manual is terse).

mod common;
use common::expr;

#[test]
fn additive_and_multiplicative() {
    assert_eq!(expr("a + b * c"), "(+ a (* b c))");
    assert_eq!(expr("a * b + c"), "(+ (* a b) c)");
    assert_eq!(expr("a - b - c"), "(- (- a b) c)");
    assert_eq!(expr("a / b / c"), "(/ (/ a b) c)");
    assert_eq!(expr("a * b / c % d"), "(% (/ (* a b) c) d)");
    assert_eq!(expr("a .* b ./ c * d"), "(* (./ (.* a b) c) d)");
}

#[test]
fn left_division_and_integer_division_bind_tighter_than_times() {
    assert_eq!(expr("a * b \\ c"), "(* a (\\ b c))");
    assert_eq!(expr("a \\ b * c"), "(* (\\ a b) c)");
    assert_eq!(expr("a * b %/% c"), "(* a (%/% b c))");
    assert_eq!(expr("a %/% b %/% c"), "(%/% (%/% a b) c)");
    assert_eq!(expr("a + b %/% c"), "(+ a (%/% b c))");
}

#[test]
fn power_is_right_associative_and_binds_tighter_than_unary_minus() {
    assert_eq!(expr("a ^ b ^ c"), "(^ a (^ b c))");
    assert_eq!(expr("a .^ b .^ c"), "(.^ a (.^ b c))");
    assert_eq!(expr("-a ^ b"), "(- (^ a b))");
    assert_eq!(expr("a ^ -b"), "(^ a (- b))");
    assert_eq!(expr("a ^ -b ^ c"), "(^ a (- (^ b c)))");
    assert_eq!(expr("a ^ -b * c"), "(* (^ a (- b)) c)");
    assert_eq!(expr("2 * a ^ 2"), "(* 2 (^ a 2))");
    assert_eq!(expr("-2 ^ 2"), "(- (^ 2 2))");
}

#[test]
fn unary_operators() {
    assert_eq!(expr("-a * b"), "(* (- a) b)");
    assert_eq!(expr("a * -b"), "(* a (- b))");
    assert_eq!(expr("- - a"), "(- (- a))");
    assert_eq!(expr("+a"), "(+ a)");
    assert_eq!(expr("!a && b"), "(&& (! a) b)");
    assert_eq!(expr("!a == b"), "(== (! a) b)");
    assert_eq!(expr("a - -b"), "(- a (- b))");
}

#[test]
fn transpose_and_indexing_bind_tightest() {
    assert_eq!(expr("-a'"), "(- (' a))");
    assert_eq!(expr("a' * b"), "(* (' a) b)");
    assert_eq!(expr("(y - mu)' * Sigma * (y - mu)"), "(* (* (' (paren (- y mu))) Sigma) (paren (- y mu)))");
    assert_eq!(expr("a'^2"), "(^ (' a) 2)");
    assert_eq!(expr("a^b'"), "(^ a (' b))");
    assert_eq!(expr("a[1]'"), "(' (index a 1))");
    assert_eq!(expr("a'[1]"), "(index (' a) 1)");
    assert_eq!(expr("a''"), "(' (' a))");
    assert_eq!(expr("-a[i]"), "(- (index a i))");
    assert_eq!(expr("f(x)[2]"), "(index (f x) 2)");
}

#[test]
fn comparison_equality_logic() {
    assert_eq!(expr("a < b == c > d"), "(== (< a b) (> c d))");
    assert_eq!(expr("a <= b + 1"), "(<= a (+ b 1))");
    assert_eq!(expr("a >= b != c"), "(!= (>= a b) c)");
    assert_eq!(expr("a || b && c"), "(|| a (&& b c))");
    assert_eq!(expr("a && b || c"), "(|| (&& a b) c)");
    assert_eq!(expr("a == b && c != d"), "(&& (== a b) (!= c d))");
    assert_eq!(expr("a < b < c"), "(< (< a b) c)");
}

#[test]
fn ternary_is_lowest_and_right_associative() {
    assert_eq!(expr("a ? b : c"), "(?: a b c)");
    assert_eq!(expr("a || b ? c + 1 : d * 2"), "(?: (|| a b) (+ c 1) (* d 2))");
    assert_eq!(expr("a ? b : c ? d : e"), "(?: a b (?: c d e))");
    assert_eq!(expr("a ? b ? c : d : e"), "(?: a (?: b c d) e)");
}

#[test]
fn legacy_arrow_in_expression_is_less_than_minus() {
    assert_eq!(expr("a<-1"), "(< a (- 1))");
    assert_eq!(expr("a<-b*c"), "(< a (* (- b) c))");
}

#[test]
fn parentheses_override() {
    assert_eq!(expr("(a + b) * c"), "(* (paren (+ a b)) c)");
    assert_eq!(expr("(-a) ^ b"), "(^ (paren (- a)) b)");
}
