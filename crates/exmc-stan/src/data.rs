//! CmdStan JSON data: reading and validation against the `data` block.
//!
//! The format (CmdStan guide, "JSON format for CmdStan"): one object whose
//! fields are the data variables; ints and reals as JSON numbers; arrays,
//! vectors and row vectors as JSON lists; matrices as lists of rows; arrays
//! of vectors/matrices nest accordingly. Infinities and NaN are written as
//! the strings `"inf"`, `"+inf"`, `"-inf"`, `"Infinity"`, `"-Infinity"`,
//! `"NaN"` (any case), or as the bare tokens `NaN`, `Infinity`, `-Infinity`
//! that CmdStan's reader also accepts. Fields not declared in the program
//! are ignored.
//!
//! [`read_data`] reads the variables in declaration order, evaluating each
//! size expression over the data read so far (integer literals, data ints,
//! `+ - * / %/% %`, indexing of int arrays, `size`, `num_elements`, `rows`,
//! `cols`, `min`, `max`), then checks shapes, int-ness, bounds and the
//! constrained types (`simplex`, `ordered`, `cov_matrix`, ...).

// Negated comparisons (`!(x >= 0.0)`) are deliberate: they also reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Errors carry a full diagnostic; data is read once, so their size is irrelevant.
#![allow(clippy::result_large_err)]

use crate::ast::{BinOp, BlockKind, Bounds, Expr, ExprKind, IndexKind, SizedBase, UnaryOp};
use crate::check::types::Base;
use crate::check::CheckedProgram;
use crate::diagnostic::{line_col, Diagnostic};
use std::collections::BTreeMap;

/// Flat values of one variable, row-major.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Int(v) => v.len(),
            Values::Real(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The values as reals (ints converted).
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Values::Int(v) => v.iter().map(|&x| x as f64).collect(),
            Values::Real(v) => v.clone(),
        }
    }
}

/// One data variable: its shape and its values, row-major.
///
/// The shape lists the array sizes, then the vector length (vector,
/// row_vector) or rows and columns (matrix): `array[2] matrix[3, 4]` has
/// shape `[2, 3, 4]`; a scalar has shape `[]`.
#[derive(Clone, Debug, PartialEq)]
pub struct DataValue {
    pub shape: Vec<usize>,
    pub values: Values,
}

impl DataValue {
    /// The value of an `int` scalar.
    pub fn as_int(&self) -> Option<i64> {
        match &self.values {
            Values::Int(v) if self.shape.is_empty() => v.first().copied(),
            _ => None,
        }
    }
}

/// The data of a program, by variable name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataSet {
    pub vars: BTreeMap<String, DataValue>,
}

impl DataSet {
    pub fn get(&self, name: &str) -> Option<&DataValue> {
        self.vars.get(name)
    }
}

/// A problem with the data file.
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The JSON text itself is malformed (1-based line and column in the JSON file).
    Json { line: usize, col: usize, message: String },
    /// A variable does not match its declaration; the span points at the
    /// declaration in the Stan program.
    Decl(Diagnostic),
}

impl DataError {
    /// The message alone.
    pub fn message(&self) -> &str {
        match self {
            DataError::Json { message, .. } => message,
            DataError::Decl(d) => &d.message,
        }
    }
    /// Rendered for people: `data.json:3:5: ...` for JSON syntax errors, the
    /// declaration with a caret (`model.stan:3:7`) otherwise.
    pub fn render(&self, json_name: &str, stan_name: &str, stan_source: &str) -> String {
        match self {
            DataError::Json { line, col, message } => format!("error: {message}\n  at {json_name}:{line}:{col}\n"),
            DataError::Decl(d) => crate::diagnostic::render(std::slice::from_ref(d), stan_name, stan_source),
        }
    }
}

/// A JSON value as CmdStan reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Int(i64),
    Real(f64),
    List(Vec<Raw>),
}

/// Quote the bare `NaN`, `Infinity`, `-Infinity` (and `inf`) tokens that
/// CmdStan accepts but JSON does not, so serde_json can read the text.
fn quote_bare_specials(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 16);
    let mut i = 0;
    let mut last = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_str = true;
            i += 1;
            continue;
        }
        let sign = usize::from((c == b'-' || c == b'+') && b.get(i + 1).is_some_and(|x| x.is_ascii_alphabetic()));
        if c.is_ascii_alphabetic() || sign == 1 {
            let start = i;
            let mut j = i + sign;
            while j < b.len() && b[j].is_ascii_alphabetic() {
                j += 1;
            }
            let word = &json[start + sign..j];
            if ["nan", "inf", "infinity"].contains(&word.to_ascii_lowercase().as_str()) {
                out.push_str(&json[last..start]);
                out.push('"');
                out.push_str(&json[start..j]);
                out.push('"');
                last = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.push_str(&json[last..]);
    out
}

fn special(s: &str) -> Option<f64> {
    match s.trim().to_ascii_lowercase().as_str() {
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn to_raw(v: &serde_json::Value) -> Result<Raw, String> {
    use serde_json::Value as V;
    match v {
        V::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Raw::Int(i))
            } else {
                n.as_f64().map(Raw::Real).ok_or_else(|| format!("number {n} is out of range"))
            }
        }
        V::String(s) => special(s).map(Raw::Real).ok_or_else(|| format!("a string \"{s}\" (only \"inf\", \"-inf\" and \"NaN\" are allowed)")),
        V::Array(items) => items.iter().map(to_raw).collect::<Result<_, _>>().map(Raw::List),
        V::Bool(b) => Err(format!("a boolean ({b})")),
        V::Null => Err("null".into()),
        V::Object(_) => Err("an object".into()),
    }
}

/// Parse CmdStan JSON into its top-level fields (values not yet converted).
pub fn parse_json(json: &str) -> Result<serde_json::Map<String, serde_json::Value>, DataError> {
    let text = quote_bare_specials(json);
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => Err(DataError::Json { line: 1, col: 1, message: "the data file must be a JSON object '{...}'".into() }),
        Err(e) => Err(DataError::Json { line: e.line(), col: e.column(), message: format!("invalid JSON: {e}") }),
    }
}

/// Parse CmdStan JSON into raw values (every field converted; errors name the field).
pub fn parse_raw(json: &str) -> Result<BTreeMap<String, Raw>, DataError> {
    let m = parse_json(json)?;
    let mut out = BTreeMap::new();
    for (k, v) in &m {
        let r = to_raw(v).map_err(|e| DataError::Json { line: 1, col: 1, message: format!("'{k}' has {e}") })?;
        out.insert(k.clone(), r);
    }
    Ok(out)
}

struct Reader<'a> {
    source: &'a str,
    json_name: &'a str,
    data: DataSet,
    errors: Vec<DataError>,
}

/// Read and validate CmdStan JSON data against the `data` block of a
/// checked program. `json_name`, `stan_name` and `stan_source` are used in
/// messages (`data variable 'N' declared at model.stan:3:7 is missing from
/// data.json`). Returns every variable of the data block, or all problems
/// found. Never panics.
pub fn read_data(
    json: &str,
    json_name: &str,
    program: &CheckedProgram,
    stan_name: &str,
    stan_source: &str,
) -> Result<DataSet, Vec<DataError>> {
    let fields = parse_json(json).map_err(|e| vec![e])?;
    let mut r = Reader { source: stan_source, json_name, data: DataSet::default(), errors: Vec::new() };
    for g in program.block_vars(BlockKind::Data) {
        let d = &g.decl;
        let Some(v) = fields.get(&g.name) else {
            let (l, c) = line_col(stan_source, d.name.span.start);
            let msg = format!("data variable '{}' declared at {stan_name}:{l}:{c} is missing from {json_name}", g.name);
            r.decl_err(d.name.span, msg);
            continue;
        };
        if let Some(val) = r.variable(g, v) {
            r.data.vars.insert(g.name.clone(), val);
        }
    }
    if r.errors.is_empty() {
        Ok(r.data)
    } else {
        Err(r.errors)
    }
}

/// `[2, 3]` as a 1-based index suffix, empty for scalars.
fn index_text(flat: usize, shape: &[usize]) -> String {
    if shape.is_empty() {
        return String::new();
    }
    let mut idx = vec![0; shape.len()];
    let mut rem = flat;
    for k in (0..shape.len()).rev() {
        let n = shape[k].max(1);
        idx[k] = rem % n + 1;
        rem /= n;
    }
    format!(" at index [{}]", idx.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", "))
}

fn fmt_num(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{x}")
    }
}

impl Reader<'_> {
    fn decl_err(&mut self, span: crate::token::Span, msg: String) {
        self.errors.push(DataError::Decl(Diagnostic::error(span, msg)));
    }

    fn text(&self, e: &Expr) -> &str {
        self.source.get(e.span.start..e.span.end).unwrap_or("?")
    }

    fn variable(&mut self, g: &crate::check::GlobalVar, v: &serde_json::Value) -> Option<DataValue> {
        let d = &g.decl;
        let name = &g.name;
        let span = d.name.span;
        // Sizes, outermost first, each with its expression (for messages).
        let mut size_exprs: Vec<&Expr> = d.ty.array_dims.iter().collect();
        match &d.ty.base {
            SizedBase::Int | SizedBase::Real => {}
            SizedBase::Vector(n)
            | SizedBase::RowVector(n)
            | SizedBase::Simplex(n)
            | SizedBase::UnitVector(n)
            | SizedBase::SumToZeroVector(n)
            | SizedBase::Ordered(n)
            | SizedBase::PositiveOrdered(n) => size_exprs.push(n),
            SizedBase::CholeskyFactorCorr(n) | SizedBase::CorrMatrix(n) | SizedBase::CovMatrix(n) => {
                size_exprs.push(n);
                size_exprs.push(n);
            }
            SizedBase::Matrix(a, b)
            | SizedBase::SumToZeroMatrix(a, b)
            | SizedBase::ColumnStochasticMatrix(a, b)
            | SizedBase::RowStochasticMatrix(a, b) => size_exprs.extend([a, b]),
            SizedBase::CholeskyFactorCov(a, b) => {
                size_exprs.push(a);
                size_exprs.push(b.as_ref().unwrap_or(a));
            }
            // The checker refuses these before data is read.
            SizedBase::Complex | SizedBase::ComplexVector(_) | SizedBase::ComplexRowVector(_) | SizedBase::ComplexMatrix(..) | SizedBase::Tuple(_) => {
                self.decl_err(span, format!("'{name}': complex and tuple data are not supported"));
                return None;
            }
        }
        let mut shape = Vec::new();
        for e in &size_exprs {
            match eval_int(e, &self.data) {
                Ok(n) if n >= 0 => shape.push(n as usize),
                Ok(n) => {
                    self.decl_err(e.span, format!("size of '{name}' is negative: {} = {n}", self.text(e)));
                    return None;
                }
                Err(m) => {
                    self.decl_err(e.span, format!("cannot evaluate the size '{}' of '{name}' while reading data: {m}", self.text(e)));
                    return None;
                }
            }
        }
        let raw = match to_raw(v) {
            Ok(r) => r,
            Err(m) => {
                self.decl_err(span, format!("'{name}' in {} has {m}", self.json_name));
                return None;
            }
        };
        let mut leaves = Vec::new();
        let units: Vec<&str> = {
            let n_arr = d.ty.array_dims.len();
            let base_units: &[&str] = match g.ty.base {
                Base::Matrix => &["rows", "columns"],
                _ => &["elements"],
            };
            let mut u = vec!["elements"; n_arr];
            u.extend(base_units.iter().take(shape.len() - n_arr));
            u
        };
        if let Err(m) = self.shape_walk(&raw, &shape, &size_exprs, &units, 0, name.clone(), &mut leaves) {
            self.decl_err(span, m);
            return None;
        }
        let values = if g.ty.base == Base::Int {
            let mut ints = Vec::with_capacity(leaves.len());
            for (k, x) in leaves.iter().enumerate() {
                match x {
                    Raw::Int(i) if i32::try_from(*i).is_ok() => ints.push(*i),
                    Raw::Int(i) => {
                        self.decl_err(span, format!("'{name}' is declared int, but {} has {i}{}, outside the int range", self.json_name, index_text(k, &shape)));
                        return None;
                    }
                    Raw::Real(r) => {
                        self.decl_err(span, format!("'{name}' is declared int, but {} has the real value {}{}", self.json_name, fmt_num(*r), index_text(k, &shape)));
                        return None;
                    }
                    Raw::List(_) => return None,
                }
            }
            Values::Int(ints)
        } else {
            Values::Real(
                leaves
                    .iter()
                    .map(|x| match x {
                        Raw::Int(i) => *i as f64,
                        Raw::Real(r) => *r,
                        Raw::List(_) => f64::NAN,
                    })
                    .collect(),
            )
        };
        let val = DataValue { shape, values };
        self.bounds(g, &val);
        self.constraint(g, &val);
        Some(val)
    }

    /// Check the nesting of `raw` against `shape`, collecting the leaves.
    #[allow(clippy::too_many_arguments)]
    fn shape_walk(&self, raw: &Raw, shape: &[usize], exprs: &[&Expr], units: &[&str], depth: usize, path: String, out: &mut Vec<Raw>) -> Result<(), String> {
        if depth == shape.len() {
            return match raw {
                Raw::List(_) => Err(format!("'{path}' should be a single number, {} has a list", self.json_name)),
                x => {
                    out.push(x.clone());
                    Ok(())
                }
            };
        }
        let want = shape[depth];
        let size_note = {
            let t = self.text(exprs[depth]);
            if t.parse::<i64>().is_ok() { String::new() } else { format!(" ({t} = {want})") }
        };
        let Raw::List(items) = raw else {
            return Err(format!("'{path}' should be a list of {want} {}{size_note}, {} has a single number", units[depth], self.json_name));
        };
        if items.len() != want {
            return Err(format!("'{path}' should have {want} {}{size_note}, {} has {}", units[depth], self.json_name, items.len()));
        }
        for (k, it) in items.iter().enumerate() {
            let p = if depth == 0 { format!("{path}[{}]", k + 1) } else { format!("{}, {}]", path.trim_end_matches(']'), k + 1) };
            self.shape_walk(it, shape, exprs, units, depth + 1, p, out)?;
        }
        Ok(())
    }

    fn bounds(&mut self, g: &crate::check::GlobalVar, val: &DataValue) {
        let Bounds::Range { lower, upper } = &g.decl.ty.bounds else { return };
        let xs = val.values.to_f64();
        for (e, is_lower) in [(lower, true), (upper, false)] {
            let Some(e) = e else { continue };
            let b = match eval_real(e, &self.data) {
                Ok(b) => b,
                Err(m) => {
                    self.decl_err(e.span, format!("cannot evaluate the bound '{}' of '{}' while reading data: {m}", self.text(e), g.name));
                    continue;
                }
            };
            if b.len() != 1 && b.len() != xs.len() {
                self.decl_err(e.span, format!("the bound '{}' of '{}' has {} elements, the variable has {}", self.text(e), g.name, b.len(), xs.len()));
                continue;
            }
            for (k, &x) in xs.iter().enumerate() {
                let bk = if b.len() == 1 { b[0] } else { b[k] };
                let ok = if is_lower { x >= bk } else { x <= bk };
                if !ok {
                    let op = if is_lower { ">=" } else { "<=" };
                    let at = if xs.len() == 1 && val.shape.is_empty() { String::new() } else { index_text(k, &val.shape) };
                    let msg = format!("'{}' must be {op} {}, found {}{at}", g.name, fmt_num(bk), fmt_num(x));
                    self.decl_err(g.decl.name.span, msg);
                    break;
                }
            }
        }
    }

    /// Constrained types: `simplex`, `ordered`, `cov_matrix`, ... checked per element.
    fn constraint(&mut self, g: &crate::check::GlobalVar, val: &DataValue) {
        let base = &g.decl.ty.base;
        if !base.is_constrained() {
            return;
        }
        let n_arr = g.decl.ty.array_dims.len();
        let inner: usize = val.shape[n_arr..].iter().product();
        let count: usize = val.shape[..n_arr].iter().product();
        let xs = val.values.to_f64();
        let (r, c) = match val.shape[n_arr..] {
            [a, b] => (a, b),
            [a] => (a, 1),
            _ => (1, 1),
        };
        for k in 0..count {
            let Some(x) = xs.get(k * inner..(k + 1) * inner) else { return };
            if let Some(why) = constraint_violation(base, x, r, c) {
                let at = if n_arr == 0 { String::new() } else { index_text(k, &val.shape[..n_arr]).replace(" at index ", "") };
                let msg = format!("'{}{at}' {why}", g.name);
                self.decl_err(g.decl.name.span, msg);
                return;
            }
        }
    }
}

const TOL: f64 = 1e-8;

/// Why `x` (row-major `r`×`c`) violates the constrained type, if it does.
fn constraint_violation(base: &SizedBase, x: &[f64], r: usize, c: usize) -> Option<String> {
    let at = |i: usize, j: usize| x[i * c + j];
    match base {
        SizedBase::Simplex(_) => {
            if let Some(v) = x.iter().find(|v| !(**v >= 0.0)) {
                return Some(format!("must be a simplex (non-negative, summing to 1), found the element {}", fmt_num(*v)));
            }
            let s: f64 = x.iter().sum();
            ((s - 1.0).abs() > TOL).then(|| format!("must be a simplex (non-negative, summing to 1), its elements sum to {s}"))
        }
        SizedBase::UnitVector(_) => {
            let s: f64 = x.iter().map(|v| v * v).sum();
            ((s - 1.0).abs() > TOL).then(|| format!("must be a unit vector, its squared norm is {s}"))
        }
        SizedBase::SumToZeroVector(_) => {
            let s: f64 = x.iter().sum();
            (!(s.abs() <= TOL)).then(|| format!("must sum to zero, its elements sum to {s}"))
        }
        SizedBase::Ordered(_) | SizedBase::PositiveOrdered(_) => {
            if matches!(base, SizedBase::PositiveOrdered(_)) {
                if let Some(v) = x.first().filter(|v| !(**v > 0.0)) {
                    return Some(format!("must be positive and strictly increasing, its first element is {}", fmt_num(*v)));
                }
            }
            x.windows(2).position(|w| !(w[1] > w[0])).map(|k| format!("must be strictly increasing, but element {} ({}) is not greater than element {} ({})", k + 2, fmt_num(x[k + 1]), k + 1, fmt_num(x[k])))
        }
        SizedBase::CovMatrix(_) | SizedBase::CorrMatrix(_) => {
            for i in 0..r {
                for j in 0..i {
                    let (a, b) = (at(i, j), at(j, i));
                    if !((a - b).abs() <= TOL * a.abs().max(b.abs()).max(1.0)) {
                        return Some(format!("must be symmetric, but element [{}, {}] = {} differs from [{}, {}] = {}", i + 1, j + 1, fmt_num(a), j + 1, i + 1, fmt_num(b)));
                    }
                }
            }
            if matches!(base, SizedBase::CorrMatrix(_)) {
                if let Some(i) = (0..r).find(|&i| !((at(i, i) - 1.0).abs() <= TOL)) {
                    return Some(format!("must be a correlation matrix, but diagonal element {} is {}", i + 1, fmt_num(at(i, i))));
                }
            }
            (!positive_definite(x, r)).then(|| "must be positive definite".to_string())
        }
        SizedBase::CholeskyFactorCorr(_) | SizedBase::CholeskyFactorCov(..) => {
            for i in 0..r {
                for j in (i + 1)..c {
                    if at(i, j) != 0.0 {
                        return Some(format!("must be lower triangular, but element [{}, {}] is {}", i + 1, j + 1, fmt_num(at(i, j))));
                    }
                }
                if i < c && !(at(i, i) > 0.0) {
                    return Some(format!("must have a positive diagonal, but element [{}, {}] is {}", i + 1, i + 1, fmt_num(at(i, i))));
                }
                if matches!(base, SizedBase::CholeskyFactorCorr(_)) {
                    let s: f64 = (0..c).map(|j| at(i, j) * at(i, j)).sum();
                    if !((s - 1.0).abs() <= TOL) {
                        return Some(format!("must have rows of unit length (a Cholesky factor of a correlation matrix), but row {} has squared length {s}", i + 1));
                    }
                }
            }
            None
        }
        SizedBase::ColumnStochasticMatrix(..) | SizedBase::RowStochasticMatrix(..) => {
            if let Some(v) = x.iter().find(|v| !(**v >= 0.0)) {
                return Some(format!("must have non-negative elements, found {}", fmt_num(*v)));
            }
            let by_col = matches!(base, SizedBase::ColumnStochasticMatrix(..));
            let (outer, inner) = if by_col { (c, r) } else { (r, c) };
            for o in 0..outer {
                let s: f64 = (0..inner).map(|k| if by_col { at(k, o) } else { at(o, k) }).sum();
                if (s - 1.0).abs() > TOL {
                    let what = if by_col { "column" } else { "row" };
                    return Some(format!("must have each {what} summing to 1, but {what} {} sums to {s}", o + 1));
                }
            }
            None
        }
        SizedBase::SumToZeroMatrix(..) => {
            for i in 0..r {
                let s: f64 = (0..c).map(|j| at(i, j)).sum();
                if !(s.abs() <= TOL) {
                    return Some(format!("must have rows and columns summing to zero, but row {} sums to {s}", i + 1));
                }
            }
            for j in 0..c {
                let s: f64 = (0..r).map(|i| at(i, j)).sum();
                if !(s.abs() <= TOL) {
                    return Some(format!("must have rows and columns summing to zero, but column {} sums to {s}", j + 1));
                }
            }
            None
        }
        _ => None,
    }
}

/// Cholesky test of positive definiteness (symmetric `n`×`n`, row-major).
fn positive_definite(a: &[f64], n: usize) -> bool {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if i == j {
                if !(s > 0.0) {
                    return false;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    true
}

/// Evaluate an integer size expression over the data read so far.
pub fn eval_int(e: &Expr, data: &DataSet) -> Result<i64, String> {
    let overflow = || "integer overflow".to_string();
    match &e.kind {
        ExprKind::IntLit(v) => Ok(*v),
        ExprKind::Paren(x) => eval_int(x, data),
        ExprKind::Var(n) => match data.get(n) {
            Some(v) => v.as_int().ok_or_else(|| format!("'{n}' is not an int")),
            None => Err(format!("'{n}' is not a data variable read before")),
        },
        ExprKind::Unary { op: UnaryOp::Neg, expr } => eval_int(expr, data)?.checked_neg().ok_or_else(overflow),
        ExprKind::Unary { op: UnaryOp::Plus, expr } => eval_int(expr, data),
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (eval_int(lhs, data)?, eval_int(rhs, data)?);
            match op {
                BinOp::Add => a.checked_add(b).ok_or_else(overflow),
                BinOp::Sub => a.checked_sub(b).ok_or_else(overflow),
                BinOp::Mul => a.checked_mul(b).ok_or_else(overflow),
                BinOp::Div | BinOp::IntDiv => a.checked_div(b).ok_or_else(|| "division by zero".to_string()),
                BinOp::Mod => a.checked_rem(b).ok_or_else(|| "modulus by zero".to_string()),
                _ => Err(format!("operator '{}' is not supported in sizes", op.as_str())),
            }
        }
        ExprKind::Index { expr, indices } => {
            let ExprKind::Var(n) = &expr.unparen().kind else { return Err("only data variables can be indexed in sizes".into()) };
            let v = data.get(n).ok_or_else(|| format!("'{n}' is not a data variable read before"))?;
            let Values::Int(vals) = &v.values else { return Err(format!("'{n}' is not an int array")) };
            if indices.len() != v.shape.len() {
                return Err(format!("'{n}' needs {} indexes", v.shape.len()));
            }
            let mut flat = 0usize;
            for (ix, &dim) in indices.iter().zip(&v.shape) {
                let IndexKind::Single(i) = &ix.kind else { return Err("only single indexes are supported in sizes".into()) };
                let i = eval_int(i, data)?;
                if i < 1 || i as usize > dim {
                    return Err(format!("index {i} out of range 1..{dim} for '{n}'"));
                }
                flat = flat * dim + (i as usize - 1);
            }
            vals.get(flat).copied().ok_or_else(|| "index out of range".into())
        }
        ExprKind::Call { name, args, .. } => {
            let fname = name.name.as_str();
            match (fname, args.as_slice()) {
                ("size" | "num_elements" | "rows" | "cols", [a]) => {
                    let ExprKind::Var(n) = &a.unparen().kind else { return Err(format!("{fname}() of an expression is not supported in sizes")) };
                    let v = data.get(n).ok_or_else(|| format!("'{n}' is not a data variable read before"))?;
                    let dim = |k: usize| v.shape.get(k).copied().unwrap_or(1) as i64;
                    Ok(match fname {
                        "size" => dim(0),
                        "num_elements" => v.values.len() as i64,
                        "rows" => dim(v.shape.len().saturating_sub(2)),
                        _ => dim(v.shape.len().saturating_sub(1)),
                    })
                }
                ("max", [a, b]) => Ok(eval_int(a, data)?.max(eval_int(b, data)?)),
                ("min", [a, b]) => Ok(eval_int(a, data)?.min(eval_int(b, data)?)),
                _ => Err(format!("function '{fname}' is not supported in sizes")),
            }
        }
        _ => Err("only integer arithmetic, data ints, size, num_elements, rows, cols, min and max are supported".into()),
    }
}

/// Evaluate a bound: a scalar expression, or a data variable (flattened).
pub fn eval_real(e: &Expr, data: &DataSet) -> Result<Vec<f64>, String> {
    let scalar = |x: Vec<f64>| -> Result<f64, String> {
        if x.len() == 1 {
            Ok(x[0])
        } else {
            Err("arithmetic on containers is not supported in bounds".into())
        }
    };
    match &e.kind {
        ExprKind::IntLit(v) => Ok(vec![*v as f64]),
        ExprKind::RealLit(v) => Ok(vec![*v]),
        ExprKind::Paren(x) => eval_real(x, data),
        ExprKind::Var(n) => data.get(n).map(|v| v.values.to_f64()).ok_or_else(|| format!("'{n}' is not a data variable read before")),
        ExprKind::Unary { op: UnaryOp::Neg, expr } => Ok(eval_real(expr, data)?.into_iter().map(|x| -x).collect()),
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (scalar(eval_real(lhs, data)?)?, scalar(eval_real(rhs, data)?)?);
            let int_div = matches!(op, BinOp::Div) && eval_int(lhs, data).is_ok() && eval_int(rhs, data).is_ok();
            Ok(vec![match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div if int_div => eval_int(e, data)? as f64,
                BinOp::Div => a / b,
                BinOp::IntDiv | BinOp::Mod => eval_int(e, data)? as f64,
                _ => return Err(format!("operator '{}' is not supported in bounds", op.as_str())),
            }])
        }
        ExprKind::Call { name, args, .. } if args.is_empty() => match name.name.as_str() {
            "positive_infinity" => Ok(vec![f64::INFINITY]),
            "negative_infinity" => Ok(vec![f64::NEG_INFINITY]),
            "pi" => Ok(vec![std::f64::consts::PI]),
            "e" => Ok(vec![std::f64::consts::E]),
            f => Err(format!("function '{f}' is not supported in bounds")),
        },
        ExprKind::Index { .. } | ExprKind::Call { .. } => eval_int(e, data).map(|i| vec![i as f64]),
        _ => Err("only arithmetic on scalars and data variables is supported in bounds".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_specials_are_quoted() {
        assert_eq!(quote_bare_specials(r#"{"a": [NaN, -Infinity, 1], "s": "NaN x"}"#), r#"{"a": ["NaN", "-Infinity", 1], "s": "NaN x"}"#);
        assert_eq!(quote_bare_specials(r#"{"b": true, "c": 1e-3}"#), r#"{"b": true, "c": 1e-3}"#);
    }

    #[test]
    fn index_text_is_one_based() {
        assert_eq!(index_text(3, &[2, 2]), " at index [2, 2]");
        assert_eq!(index_text(2, &[5]), " at index [3]");
    }

    #[test]
    fn pd() {
        assert!(positive_definite(&[2.0, 1.0, 1.0, 2.0], 2));
        assert!(!positive_definite(&[1.0, 2.0, 2.0, 1.0], 2));
    }
}
