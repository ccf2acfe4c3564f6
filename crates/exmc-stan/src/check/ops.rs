//! Result types of Stan's operators (a pure function of the operand types).

use super::types::{Base, Type};
use crate::ast::{BinOp, UnaryOp};

fn verb(op: BinOp) -> String {
    match op {
        BinOp::Add => "cannot add".into(),
        BinOp::Sub => "cannot subtract".into(),
        BinOp::Mul => "cannot multiply".into(),
        BinOp::Div => "cannot divide".into(),
        _ => format!("cannot apply '{}' to", op.as_str()),
    }
}

/// Whether `t` is a plain `vector`, `row_vector` or `matrix`.
fn is_container(t: Type) -> bool {
    t.dims == 0 && !t.base.is_scalar()
}

/// Type of `l op r`, or the error message (e.g. "cannot add 'vector' and 'matrix'").
pub fn binary(op: BinOp, l: Type, r: Type) -> Result<Type, String> {
    use BinOp::*;
    let err = || Err(format!("{} '{l}' and '{r}'", verb(op)));
    let both_scalar = l.is_scalar() && r.is_scalar();
    let arith = || if l.is_int() && r.is_int() { Type::INT } else { Type::REAL };
    match op {
        Or | And | Eq | Ne | Lt | Le | Gt | Ge => {
            if both_scalar {
                Ok(Type::INT)
            } else {
                err()
            }
        }
        Mod | IntDiv => {
            if l.is_int() && r.is_int() {
                Ok(Type::INT)
            } else {
                err()
            }
        }
        Add | Sub | EltMul | EltDiv => {
            if both_scalar {
                Ok(arith())
            } else if l.is_scalar() && is_container(r) {
                Ok(r)
            } else if is_container(l) && (r.is_scalar() || l == r) {
                Ok(l)
            } else {
                err()
            }
        }
        Mul => {
            if both_scalar {
                return Ok(arith());
            }
            if l.is_scalar() && is_container(r) {
                return Ok(r);
            }
            if r.is_scalar() && is_container(l) {
                return Ok(l);
            }
            if l.dims != 0 || r.dims != 0 {
                return err();
            }
            match (l.base, r.base) {
                (Base::RowVector, Base::Vector) => Ok(Type::REAL),
                (Base::Vector, Base::RowVector) => Ok(Type::MATRIX),
                (Base::Matrix, Base::Vector) => Ok(Type::VECTOR),
                (Base::RowVector, Base::Matrix) => Ok(Type::ROW_VECTOR),
                (Base::Matrix, Base::Matrix) => Ok(Type::MATRIX),
                _ => err(),
            }
        }
        Div => {
            if both_scalar {
                return Ok(arith());
            }
            // container / scalar, and scalar / container (elementwise)
            if r.is_scalar() && is_container(l) {
                return Ok(l);
            }
            if l.is_scalar() && is_container(r) {
                return Ok(r);
            }
            match (l, r) {
                (Type::ROW_VECTOR, Type::MATRIX) => Ok(Type::ROW_VECTOR),
                (Type::MATRIX, Type::MATRIX) => Ok(Type::MATRIX),
                _ => err(),
            }
        }
        LeftDiv => match (l, r) {
            (Type::MATRIX, Type::VECTOR) => Ok(Type::VECTOR),
            (Type::MATRIX, Type::MATRIX) => Ok(Type::MATRIX),
            _ => err(),
        },
        Pow | EltPow => {
            if both_scalar {
                Ok(Type::REAL)
            } else if l.is_scalar() && is_container(r) {
                Ok(r)
            } else if is_container(l) && (r.is_scalar() || l == r) {
                Ok(l)
            } else if l.dims > 0 && r.is_scalar() && op == Pow || l.dims > 0 && l.promoted() == r.promoted() {
                // pow is vectorised over arrays too: array ^ scalar, array ^ array
                Ok(l.promoted())
            } else {
                err()
            }
        }
    }
}

/// Type of `op e`.
pub fn unary(op: UnaryOp, t: Type) -> Result<Type, String> {
    match op {
        UnaryOp::Not if t.is_scalar() => Ok(Type::INT),
        UnaryOp::Neg | UnaryOp::Plus if t.dims == 0 => Ok(t),
        _ => Err(format!("cannot apply '{}' to '{t}'", op.as_str())),
    }
}

/// Type of `e'` (transpose).
pub fn transpose(t: Type) -> Result<Type, String> {
    match t {
        Type::VECTOR => Ok(Type::ROW_VECTOR),
        Type::ROW_VECTOR => Ok(Type::VECTOR),
        Type::MATRIX => Ok(Type::MATRIX),
        _ => Err(format!("cannot transpose a value of type '{t}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_rules() {
        assert_eq!(binary(BinOp::Add, Type::INT, Type::INT), Ok(Type::INT));
        assert_eq!(binary(BinOp::Add, Type::INT, Type::REAL), Ok(Type::REAL));
        assert_eq!(binary(BinOp::Add, Type::REAL, Type::VECTOR), Ok(Type::VECTOR));
        assert_eq!(binary(BinOp::Add, Type::VECTOR, Type::MATRIX), Err("cannot add 'vector' and 'matrix'".into()));
        assert_eq!(binary(BinOp::Mul, Type::ROW_VECTOR, Type::VECTOR), Ok(Type::REAL));
        assert_eq!(binary(BinOp::Mul, Type::VECTOR, Type::ROW_VECTOR), Ok(Type::MATRIX));
        assert_eq!(binary(BinOp::Mul, Type::MATRIX, Type::VECTOR), Ok(Type::VECTOR));
        assert!(binary(BinOp::Mul, Type::VECTOR, Type::VECTOR).is_err());
        assert_eq!(binary(BinOp::EltMul, Type::VECTOR, Type::VECTOR), Ok(Type::VECTOR));
        assert!(binary(BinOp::Add, Type::new(Base::Real, 1), Type::REAL).is_err());
        assert_eq!(binary(BinOp::Mod, Type::INT, Type::INT), Ok(Type::INT));
        assert!(binary(BinOp::Mod, Type::REAL, Type::INT).is_err());
        assert_eq!(binary(BinOp::Pow, Type::INT, Type::INT), Ok(Type::REAL));
        assert_eq!(binary(BinOp::Lt, Type::REAL, Type::INT), Ok(Type::INT));
        assert_eq!(binary(BinOp::LeftDiv, Type::MATRIX, Type::VECTOR), Ok(Type::VECTOR));
        assert_eq!(binary(BinOp::Div, Type::REAL, Type::VECTOR), Ok(Type::VECTOR));
        assert_eq!(binary(BinOp::Div, Type::INT, Type::MATRIX), Ok(Type::MATRIX));
        assert!(binary(BinOp::Div, Type::VECTOR, Type::VECTOR).is_err());
        assert_eq!(transpose(Type::VECTOR), Ok(Type::ROW_VECTOR));
        assert!(unary(UnaryOp::Neg, Type::new(Base::Real, 1)).is_err());
    }
}
