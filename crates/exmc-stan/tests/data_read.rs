//! CmdStan JSON data: every JSON form, validation messages, posteriordb files.

use exmc_stan::data::{parse_raw, read_data, DataError, DataSet, Raw, Values};
use exmc_stan::{check_with, parse, CheckOptions};

fn read(stan: &str, json: &str) -> Result<DataSet, Vec<DataError>> {
    let (prog, _) = parse(stan).expect("parses");
    let checked = check_with(&prog, CheckOptions { reject_unsupported: false }).expect("checks");
    read_data(json, "data.json", &checked, "model.stan", stan)
}

/// Error messages as `line:col: message` (position of the declaration).
fn errs(stan: &str, json: &str) -> Vec<String> {
    match read(stan, json) {
        Ok(d) => panic!("expected errors, got {d:?}"),
        Err(es) => es
            .iter()
            .map(|e| match e {
                DataError::Decl(d) => {
                    let (l, c) = d.line_col(stan);
                    format!("{l}:{c}: {}", d.message)
                }
                DataError::Json { line, col, message } => format!("json {line}:{col}: {message}"),
            })
            .collect(),
    }
}

#[test]
fn all_forms() {
    let stan = "data {\n  int N;\n  array[N] int k;\n  vector[N] v;\n  row_vector[2] r;\n  matrix[2, 3] m;\n  array[2, 2] real a;\n  array[2] vector[2] av;\n  real x;\n  real ni;\n  array[0] real e;\n  matrix[0, 3] em;\n  array[N] real sp;\n}";
    let json = r#"{"N": 3, "k": [1, -2, 3], "v": [1, 2.5, -3e2], "r": [1, 2],
        "m": [[1, 2, 3], [4, 5, 6]], "a": [[1, 2], [3, 4]], "av": [[1, 2], [3, 4]],
        "x": 7, "ni": "-inf", "e": [], "em": [], "sp": ["inf", "+inf", "NaN"],
        "extra_field": {"ignored": true}}"#;
    let d = read(stan, json).expect("valid");
    assert_eq!(d.get("N").unwrap().as_int(), Some(3));
    assert_eq!(d.get("k").unwrap().values, Values::Int(vec![1, -2, 3]));
    assert_eq!(d.get("v").unwrap().values, Values::Real(vec![1.0, 2.5, -300.0]));
    let m = d.get("m").unwrap();
    assert_eq!(m.shape, vec![2, 3]);
    assert_eq!(m.values, Values::Real(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
    assert_eq!(d.get("a").unwrap().shape, vec![2, 2]);
    assert_eq!(d.get("av").unwrap().shape, vec![2, 2]);
    assert_eq!(d.get("x").unwrap().values, Values::Real(vec![7.0]));
    assert_eq!(d.get("ni").unwrap().values, Values::Real(vec![f64::NEG_INFINITY]));
    assert_eq!(d.get("e").unwrap().shape, vec![0]);
    assert_eq!(d.get("em").unwrap().shape, vec![0, 3]);
    let sp = d.get("sp").unwrap().values.to_f64();
    assert!(sp[0] == f64::INFINITY && sp[1] == f64::INFINITY && sp[2].is_nan());
    assert!(d.get("extra_field").is_none());
}

#[test]
fn bare_nan_and_infinity_tokens() {
    let d = read("data { array[3] real y; }", r#"{"y": [NaN, Infinity, -Infinity]}"#).unwrap();
    let y = d.get("y").unwrap().values.to_f64();
    assert!(y[0].is_nan() && y[1] == f64::INFINITY && y[2] == f64::NEG_INFINITY);
}

#[test]
fn missing_variable() {
    let stan = "data {\n  int N;\n  vector[N] y;\n}";
    assert_eq!(errs(stan, r#"{"N": 2}"#), vec!["3:13: data variable 'y' declared at model.stan:3:13 is missing from data.json"]);
}

#[test]
fn wrong_shape() {
    let stan = "data {\n  int N;\n  array[N] real y;\n}";
    assert_eq!(errs(stan, r#"{"N": 10, "y": [1,2,3,4,5,6,7,8,9]}"#), vec!["3:17: 'y' should have 10 elements (N = 10), data.json has 9"]);
    let stan = "data {\n  int K;\n  matrix[K, 2] X;\n}";
    assert_eq!(errs(stan, r#"{"K": 3, "X": [[1, 2], [3, 4]]}"#), vec!["3:16: 'X' should have 3 rows (K = 3), data.json has 2"]);
    assert_eq!(errs(stan, r#"{"K": 2, "X": [[1, 2], [3]]}"#), vec!["3:16: 'X[2]' should have 2 columns, data.json has 1"]);
    let stan = "data {\n  int M;\n  array[2, M] int y;\n}";
    assert_eq!(errs(stan, r#"{"M": 2, "y": [[1, 2], [3, 4, 5]]}"#), vec!["3:19: 'y[2]' should have 2 elements (M = 2), data.json has 3"]);
    assert_eq!(errs("data {\n  vector[2] v;\n}", r#"{"v": 1}"#), vec!["2:13: 'v' should be a list of 2 elements, data.json has a single number"]);
    assert_eq!(errs("data {\n  real x;\n}", r#"{"x": [1]}"#), vec!["2:8: 'x' should be a single number, data.json has a list"]);
}

#[test]
fn int_expected_real_given() {
    let stan = "data {\n  array[3] int k;\n}";
    assert_eq!(errs(stan, r#"{"k": [1, 2.5, 3]}"#), vec!["2:16: 'k' is declared int, but data.json has the real value 2.5 at index [2]"]);
    assert_eq!(errs("data {\n  int n;\n}", r#"{"n": 3000000000}"#), vec!["2:7: 'n' is declared int, but data.json has 3000000000, outside the int range"]);
    assert_eq!(errs("data {\n  int n;\n}", r#"{"n": "inf"}"#), vec!["2:7: 'n' is declared int, but data.json has the real value inf"]);
}

#[test]
fn bound_violations() {
    let stan = "data {\n  int N;\n  array[N] real<lower=0> sigma;\n}";
    assert_eq!(errs(stan, r#"{"N": 4, "sigma": [1, 2, -1, 3]}"#), vec!["3:26: 'sigma' must be >= 0, found -1 at index [3]"]);
    let stan = "data {\n  int<lower=1> N;\n  real<lower=-1, upper=N> x;\n}";
    assert_eq!(errs(stan, r#"{"N": 0, "x": 0}"#), vec!["2:16: 'N' must be >= 1, found 0"]);
    assert_eq!(errs(stan, r#"{"N": 2, "x": 2.5}"#), vec!["3:27: 'x' must be <= 2, found 2.5"]);
    // a vector bound applies elementwise
    let stan = "data {\n  vector[2] lo;\n  vector<lower=lo>[2] y;\n}";
    assert!(read(stan, r#"{"lo": [0, 1], "y": [0.5, 1.5]}"#).is_ok());
    assert_eq!(errs(stan, r#"{"lo": [0, 1], "y": [0.5, 0.5]}"#), vec!["3:23: 'y' must be >= 1, found 0.5 at index [2]"]);
}

#[test]
fn constrained_types() {
    let stan = "data {\n  simplex[3] s;\n  ordered[3] o;\n  cov_matrix[2] S;\n  array[2] unit_vector[2] u;\n  cholesky_factor_corr[2] L;\n}";
    let good = r#"{"s": [0.2, 0.3, 0.5], "o": [1, 2, 3], "S": [[2, 1], [1, 2]], "u": [[1, 0], [0.6, 0.8]], "L": [[1, 0], [0.6, 0.8]]}"#;
    assert!(read(stan, good).is_ok());
    let bad = r#"{"s": [0.2, 0.3, 0.6], "o": [1, 3, 2], "S": [[1, 2], [2, 1]], "u": [[1, 0], [1, 1]], "L": [[1, 0.5], [0.6, 0.8]]}"#;
    assert_eq!(
        errs(stan, bad),
        vec![
            "2:14: 's' must be a simplex (non-negative, summing to 1), its elements sum to 1.1".to_string(),
            "3:14: 'o' must be strictly increasing, but element 3 (2) is not greater than element 2 (3)".to_string(),
            "4:17: 'S' must be positive definite".to_string(),
            "5:27: 'u[2]' must be a unit vector, its squared norm is 2".to_string(),
            "6:27: 'L' must be lower triangular, but element [1, 2] is 0.5".to_string(),
        ]
    );
}

#[test]
fn sizes_from_expressions() {
    let stan = "data {\n  int N;\n  array[2] int M;\n  vector[N * 2 + M[2]] v;\n  array[size(M)] real w;\n  vector[N %/% 2] h;\n}";
    let d = read(stan, r#"{"N": 3, "M": [0, 1], "v": [1,2,3,4,5,6,7], "w": [1, 2], "h": [1]}"#).unwrap();
    assert_eq!(d.get("v").unwrap().shape, vec![7]);
    let e = errs(stan, r#"{"N": 3, "M": [0, 1], "v": [1], "w": [1, 2], "h": [1]}"#);
    assert_eq!(e, vec!["4:24: 'v' should have 7 elements (N * 2 + M[2] = 7), data.json has 1"]);
}

#[test]
fn malformed_json() {
    let e = errs("data { int N; }", "{\"N\": 3,\n  }");
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("json 2:3: invalid JSON"), "{e:?}");
    assert!(errs("data { int N; }", "[1, 2]")[0].contains("must be a JSON object"));
    assert_eq!(errs("data {\n  real x;\n}", r#"{"x": "abc"}"#), vec!["2:8: 'x' in data.json has a string \"abc\" (only \"inf\", \"-inf\" and \"NaN\" are allowed)"]);
}

#[test]
fn rendered_error_points_at_declaration() {
    let stan = "data {\n  int N;\n  vector[N] y;\n}";
    let e = read(stan, r#"{"N": 2, "y": [1]}"#).unwrap_err();
    let text = e[0].render("data.json", "model.stan", stan);
    assert!(text.contains("model.stan:3:13"), "{text}");
    assert!(text.contains("  vector[N] y;"), "{text}");
    assert!(text.contains('^'), "{text}");
}

#[test]
fn posteriordb_data_files_all_parse() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/posteriordb");
    let mut n = 0;
    for e in std::fs::read_dir(dir).expect("posteriordb dir").flatten() {
        let p = e.path().join("data.json");
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let raw = parse_raw(&text).unwrap_or_else(|e| panic!("{}: {e:?}", p.display()));
        assert!(!raw.is_empty(), "{}", p.display());
        n += 1;
    }
    assert!(n >= 40, "only {n} data files");
}

#[test]
fn posteriordb_eight_schools_against_its_declarations() {
    // Declarations written from MODELS.md (J schools, y and sigma per school).
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/posteriordb");
    let p = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("eight_schools")))
        .expect("an eight_schools posterior");
    let json = std::fs::read_to_string(p.join("data.json")).expect("data.json");
    let stan = "data {\n  int<lower=0> J;\n  array[J] real y;\n  array[J] real<lower=0> sigma;\n}";
    let d = read(stan, &json).expect("valid eight schools data");
    assert_eq!(d.get("J").unwrap().as_int(), Some(8));
    assert_eq!(d.get("y").unwrap().shape, vec![8]);
    // the raw reader agrees
    let raw = parse_raw(&json).unwrap();
    assert_eq!(raw.get("J"), Some(&Raw::Int(8)));
}

/// Read a posteriordb data file against declarations written from MODELS.md.
fn pdb(dir: &str, stan: &str) -> Result<DataSet, Vec<DataError>> {
    let path = format!("{}/../../../shared/posteriordb/{dir}/data.json", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(&path).expect("posteriordb data file");
    read(stan, &json)
}

#[test]
fn posteriordb_files_against_their_declarations() {
    // kidiq: bounded vectors given as JSON integers; extra scalars ignored
    let kid = "data {\n  int<lower=0> N;\n  vector<lower=0, upper=200>[N] kid_score;\n  vector<lower=0, upper=1>[N] mom_hs;\n  vector<lower=0, upper=200>[N] mom_iq;\n}";
    let d = pdb("kidiq-kidscore_momhsiq", kid).expect("kidiq");
    assert_eq!(d.get("kid_score").unwrap().shape, vec![434]);
    // a bound the data violates is reported with the first offending index
    let strict = kid.replace("upper=200>[N] kid_score", "upper=100>[N] kid_score");
    let e = pdb("kidiq-kidscore_momhsiq", &strict).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(e[0].message().starts_with("'kid_score' must be <= 100, found "), "{}", e[0].message());
    // HMM basketball drives: matrix given as list of rows, bounded elementwise
    let hmm = "data {\n  int<lower=1> K;\n  int<lower=1> N;\n  array[N] real u;\n  array[N] real v;\n  matrix<lower=0>[K, K] alpha;\n  real<lower=0> tau;\n  real<lower=0> rho;\n}";
    let d = pdb("bball_drive_event_1-hmm_drive_1", hmm).expect("hmm_drive_1");
    assert_eq!(d.get("alpha").unwrap().values, Values::Real(vec![4.0, 2.0, 2.0, 4.0]));
    // one-compartment PK: int size, real arrays, reals given as integers
    let pk = "data {\n  real t0;\n  real D;\n  real V;\n  int<lower=1> N_t;\n  array[N_t] real times;\n  array[N_t] real<lower=0> C_hat;\n}";
    let d = pdb("one_comp_mm_elim_abs-one_comp_mm_elim_abs", pk).expect("pk");
    assert_eq!(d.get("times").unwrap().shape, vec![20]);
    // accel_gp: sizes from earlier ints, array of vectors, matrices
    let gp = "data {\n  int<lower=1> N;\n  vector[N] Y;\n  int<lower=1> Kgp_1;\n  int<lower=1> Dgp_1;\n  int<lower=1> NBgp_1;\n  matrix[N, NBgp_1] Xgp_1;\n  array[NBgp_1] vector[Dgp_1] slambda_1;\n  int<lower=1> Kgp_sigma_1;\n  int<lower=1> Dgp_sigma_1;\n  int<lower=1> NBgp_sigma_1;\n  matrix[N, NBgp_sigma_1] Xgp_sigma_1;\n  array[NBgp_sigma_1] vector[Dgp_sigma_1] slambda_sigma_1;\n  int prior_only;\n}";
    let d = pdb("mcycle_gp-accel_gp", gp).expect("accel_gp");
    assert_eq!(d.get("Xgp_1").unwrap().shape, vec![133, 40]);
    assert_eq!(d.get("slambda_sigma_1").unwrap().shape, vec![20, 1]);
    // declaring the wrong basis size is a shape error naming the size variable
    let wrong = gp.replace("matrix[N, NBgp_1] Xgp_1", "matrix[NBgp_1, N] Xgp_1");
    let e = pdb("mcycle_gp-accel_gp", &wrong).unwrap_err();
    assert_eq!(e[0].message(), "'Xgp_1' should have 40 rows (NBgp_1 = 40), data.json has 133");
}
