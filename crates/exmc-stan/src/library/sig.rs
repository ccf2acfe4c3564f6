//! Function signatures with Stan's vectorised argument classes, and matching
//! of argument types against them.
//!
//! Signatures are written in a small text form in the tables, e.g.
//! `"real(vector, int)"`, `"R(T)"` (vectorised unary: any type in, the same
//! shape with `real` elements out) or `"real(reals | reals, reals)"` for a
//! density. [`Sig::parse`] reads that form; the table test parses every entry.

use crate::check::types::{Base, RetType, Type};
use std::fmt;

/// What an argument position accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgPat {
    /// Exactly this type, allowing int→real promotion.
    Ty(Type),
    /// Stan's `reals`: `int`, `real`, `vector`, `row_vector`, `array[] int`, `array[] real`.
    Reals,
    /// Stan's `ints`: `int`, `array[] int`.
    Ints,
    /// Stan's `vectors`: `vector`, `row_vector`, `array[] vector`, `array[] row_vector`.
    Vectors,
    /// Any numeric type (elementwise-vectorised argument), written `T`.
    AnyNum,
    /// Any array type (at least one array dimension), written `any[]`.
    AnyArray,
    /// Any type at all, written `any`.
    Any,
    /// The same type as argument `i` (after promotion), written `=i`.
    SameAs(usize),
}

/// How the result type is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetPat {
    Void,
    Ty(Type),
    /// The type of argument `i` with `int` promoted to `real` (`R` = `R0`).
    Promoted(usize),
    /// Exactly the type of argument `i` (`S0`).
    Same(usize),
    /// Argument `i`'s type wrapped in `n` more array dimensions (`A0`, `AA0`).
    ArrayOf(usize, usize),
    /// Elementwise binary broadcast (`B`): the non-scalar argument's type, promoted.
    Broadcast,
    /// Random draw: `real` if every argument is a scalar, else `array[] real` (`rng`).
    RngReal,
    /// As [`RetPat::RngReal`] with `int` elements (`irng`).
    RngInt,
}

/// One accepted signature.
#[derive(Clone, Debug, PartialEq)]
pub struct Sig {
    pub ret: RetPat,
    pub args: Vec<ArgPat>,
    /// Written with `|` after the first argument (densities, CDFs).
    pub conditional: bool,
    /// This particular signature is implemented by exmc (the entry-level flag
    /// must also be set); a table line starting with `-` clears it.
    pub supported: bool,
}

fn parse_type(s: &str) -> Option<Type> {
    let s = s.trim();
    let (dims, rest) = if let Some(r) = s.strip_prefix("array[") {
        let close = r.find(']')?;
        if !r[..close].chars().all(|c| c == ',') {
            return None;
        }
        (close + 1, r[close + 1..].trim())
    } else {
        (0, s)
    };
    let base = match rest {
        "int" => Base::Int,
        "real" => Base::Real,
        "vector" => Base::Vector,
        "row_vector" => Base::RowVector,
        "matrix" => Base::Matrix,
        _ => return None,
    };
    Some(Type::new(base, dims))
}

fn parse_arg(s: &str) -> Option<ArgPat> {
    let s = s.trim();
    Some(match s {
        "reals" => ArgPat::Reals,
        "ints" => ArgPat::Ints,
        "vectors" => ArgPat::Vectors,
        "T" => ArgPat::AnyNum,
        "any[]" => ArgPat::AnyArray,
        "any" => ArgPat::Any,
        _ => match s.strip_prefix('=') {
            Some(i) => ArgPat::SameAs(i.parse().ok()?),
            None => ArgPat::Ty(parse_type(s)?),
        },
    })
}

fn parse_ret(s: &str) -> Option<RetPat> {
    let s = s.trim();
    let digit = |p: &str| -> Option<usize> { if p.is_empty() { Some(0) } else { p.parse().ok() } };
    Some(match s {
        "void" => RetPat::Void,
        "B" => RetPat::Broadcast,
        "rng" => RetPat::RngReal,
        "irng" => RetPat::RngInt,
        _ => {
            if let Some(t) = parse_type(s) {
                RetPat::Ty(t)
            } else if let Some(r) = s.strip_prefix('R') {
                RetPat::Promoted(digit(r)?)
            } else if let Some(r) = s.strip_prefix('S') {
                RetPat::Same(digit(r)?)
            } else if s.starts_with('A') {
                let n = s.chars().take_while(|&c| c == 'A').count();
                RetPat::ArrayOf(digit(&s[n..])?, n)
            } else {
                return None;
            }
        }
    })
}

/// Split at top-level commas (not inside `[...]`).
fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

impl Sig {
    /// Parse `"ret(arg, arg | arg, ...)"`; `None` if malformed.
    pub fn parse(text: &str) -> Option<Sig> {
        let (supported, text) = match text.trim().strip_prefix('-') {
            Some(t) => (false, t),
            None => (true, text.trim()),
        };
        let open = text.find('(')?;
        let inner = text[open + 1..].strip_suffix(')')?;
        let ret = parse_ret(&text[..open])?;
        let conditional = inner.contains('|');
        let inner = inner.replacen('|', ",", 1);
        let mut args = Vec::new();
        if !inner.trim().is_empty() {
            for a in split_args(&inner) {
                args.push(parse_arg(a)?);
            }
        }
        Some(Sig { ret, args, conditional, supported })
    }

    /// Whether `args` fit this signature; on success the result type and a
    /// cost (number of int→real promotions; lower is a better match).
    pub fn matches(&self, args: &[Type]) -> Option<(RetType, usize)> {
        if args.len() != self.args.len() {
            return None;
        }
        let mut cost = 0;
        for (pat, &t) in self.args.iter().zip(args) {
            cost += pat_cost(*pat, t, args)?;
        }
        let ret = match self.ret {
            RetPat::Void => RetType::Void,
            RetPat::Ty(t) => RetType::Value(t),
            RetPat::Promoted(i) => RetType::Value(args.get(i)?.promoted()),
            RetPat::Same(i) => RetType::Value(*args.get(i)?),
            RetPat::ArrayOf(i, n) => RetType::Value(args.get(i)?.array(n)),
            RetPat::Broadcast => RetType::Value(broadcast(args)?),
            RetPat::RngReal | RetPat::RngInt => {
                let base = if self.ret == RetPat::RngInt { Base::Int } else { Base::Real };
                let dims = usize::from(!args.iter().all(|t| t.is_scalar()));
                RetType::Value(Type::new(base, dims))
            }
        };
        Some((ret, cost))
    }
}

/// Cost of passing `t` for `pat` (None if it does not fit).
fn pat_cost(pat: ArgPat, t: Type, all: &[Type]) -> Option<usize> {
    let ok = |b: bool| if b { Some(0) } else { None };
    match pat {
        ArgPat::Ty(want) => {
            if t == want {
                Some(0)
            } else {
                t.promotes_to(want).then_some(1)
            }
        }
        ArgPat::Reals => ok((t.dims <= 1 && t.base.is_scalar()) || (t.dims == 0 && matches!(t.base, Base::Vector | Base::RowVector))),
        ArgPat::Ints => ok(t.base == Base::Int && t.dims <= 1),
        ArgPat::Vectors => ok(matches!(t.base, Base::Vector | Base::RowVector) && t.dims <= 1),
        ArgPat::AnyNum | ArgPat::Any => Some(0),
        ArgPat::AnyArray => ok(t.dims >= 1),
        ArgPat::SameAs(i) => {
            let other = *all.get(i)?;
            Type::join(t, other).map(|_| 0)
        }
    }
}

/// Elementwise broadcast of scalar/container arguments: all non-scalars must
/// have the same type (after promotion); the result has `real` elements.
fn broadcast(args: &[Type]) -> Option<Type> {
    let mut out = Type::REAL;
    for &t in args {
        if t.is_scalar() {
            continue;
        }
        if out.is_scalar() {
            out = t.promoted();
        } else if t.promoted() != out {
            return None;
        }
    }
    Some(out)
}

impl fmt::Display for ArgPat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgPat::Ty(t) => t.fmt(f),
            ArgPat::Reals => f.write_str("reals"),
            ArgPat::Ints => f.write_str("ints"),
            ArgPat::Vectors => f.write_str("vectors"),
            ArgPat::AnyNum => f.write_str("T"),
            ArgPat::AnyArray => f.write_str("array[...] T"),
            ArgPat::Any => f.write_str("T"),
            ArgPat::SameAs(_) => f.write_str("T"),
        }
    }
}

impl fmt::Display for RetPat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetPat::Void => f.write_str("void"),
            RetPat::Ty(t) => t.fmt(f),
            RetPat::Promoted(_) | RetPat::Broadcast => f.write_str("R"),
            RetPat::Same(_) => f.write_str("T"),
            RetPat::ArrayOf(_, n) => write!(f, "array[{}] T", ",".repeat(n - 1)),
            RetPat::RngReal => f.write_str("real or array[] real"),
            RetPat::RngInt => f.write_str("int or array[] int"),
        }
    }
}

impl Sig {
    /// `name(a, b | c) => ret` as shown in "accepted signatures" notes.
    pub fn display(&self, name: &str) -> String {
        let mut s = format!("{name}(");
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                s.push_str(if i == 1 && self.conditional { " | " } else { ", " });
            }
            s.push_str(&a.to_string());
        }
        s.push_str(&format!(") => {}", self.ret));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        let s = Sig::parse("real(reals | reals, reals)").unwrap();
        assert!(s.conditional);
        assert_eq!(s.matches(&[Type::VECTOR, Type::INT, Type::REAL]), Some((RetType::Value(Type::REAL), 0)));
        assert_eq!(s.matches(&[Type::MATRIX, Type::INT, Type::REAL]), None);
        assert_eq!(s.display("normal_lpdf"), "normal_lpdf(reals | reals, reals) => real");
        let v = Sig::parse("R(T)").unwrap();
        assert_eq!(v.matches(&[Type::new(Base::Int, 2)]), Some((RetType::Value(Type::new(Base::Real, 2)), 0)));
        let b = Sig::parse("B(T, T)").unwrap();
        assert_eq!(b.matches(&[Type::INT, Type::VECTOR]), Some((RetType::Value(Type::VECTOR), 0)));
        assert_eq!(b.matches(&[Type::ROW_VECTOR, Type::VECTOR]), None);
        let a = Sig::parse("AA0(any, int, int)").unwrap();
        assert_eq!(a.matches(&[Type::VECTOR, Type::INT, Type::INT]), Some((RetType::Value(Type::new(Base::Vector, 2)), 0)));
        let m = Sig::parse("matrix(array[,] real)").unwrap();
        assert_eq!(m.matches(&[Type::new(Base::Int, 2)]), Some((RetType::Value(Type::MATRIX), 1)));
        let r = Sig::parse("irng(ints, reals)").unwrap();
        assert_eq!(r.matches(&[Type::INT, Type::VECTOR]), Some((RetType::Value(Type::new(Base::Int, 1)), 0)));
        assert!(Sig::parse("real(foo)").is_none());
        assert!(!Sig::parse("-real(real)").unwrap().supported);
    }
}
