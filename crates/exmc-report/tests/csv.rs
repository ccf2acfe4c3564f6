//! CmdStan CSV: reading hand-written files in CmdStan's layout, exact layout of what
//! we write, bit-exact round trips, interrupted files, and error messages.

use exmc_report::csv::{read_cmdstan_csv, CsvWriter, Header, Metric, MetricKind, Precision};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exmc-report-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

const STATS: [&str; 7] = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];

#[test]
fn reads_cmdstan_file_with_diag_metric_and_timing() {
    let f = read_cmdstan_csv(data("cmdstan_diag.csv")).expect("reads");
    assert_eq!(f.column_names.len(), 12);
    assert_eq!(&f.column_names[..7], STATS);
    assert_eq!(f.column_names[9], "Sigma.2.1");
    assert_eq!(f.draws.len(), 5);
    assert!(f.warmup.is_empty());
    assert_eq!(f.draws[0][0], -8.07514);
    assert_eq!(f.draws[2][5], 1.0);
    assert_eq!(f.draws[2][9], 1.23457e6);
    assert_eq!(f.draws[3][9], 1.234e-5);
    assert!(f.draws[4][9].is_nan());
    assert_eq!(f.draws[4][11], f64::INFINITY);
    let c = &f.config;
    assert_eq!(c.model.as_deref(), Some("bernoulli_model"));
    assert_eq!((c.num_samples, c.num_warmup, c.thin), (Some(5), Some(1000), Some(1)));
    assert!(!c.save_warmup);
    assert_eq!(c.seed, Some(589886520));
    assert_eq!(c.chain_id, Some(3));
    assert_eq!(c.max_depth, Some(12));
    assert_eq!(c.adapt_delta, Some(0.9));
    assert_eq!(c.metric.as_deref(), Some("diag_e"));
    assert_eq!(c.get("data.file"), Some("bernoulli.data.json"));
    assert_eq!(c.get("output.file"), Some("output.csv"));
    assert_eq!(c.get("sig_figs"), Some("-1"));
    assert_eq!(f.step_size, Some(0.911297));
    assert_eq!(f.inv_metric, Some(Metric::Diag(vec![0.566254, 1.2, 0.3])));
    let t = f.timing.expect("timing block");
    assert_eq!((t.warmup, t.sampling, t.total), (0.005, 0.012, 0.017));
    let by_stan = f.column("Sigma[1,2]").expect("Stan name finds the column");
    assert_eq!(&by_stan[..4], &[0.5, -0.2, 1.23457e6, 1.234e-5]);
    assert!(by_stan[4].is_nan());
    let cd = f.to_chain_draws();
    assert_eq!(cd.names[8], "Sigma[1,1]");
    assert_eq!(cd.column("theta").expect("theta")[1], 0.142034);
}

#[test]
fn reads_saved_warmup_dense_metric_and_missing_timing() {
    let f = read_cmdstan_csv(data("cmdstan_warmup_dense.csv")).expect("reads");
    assert!(f.config.save_warmup);
    assert_eq!(f.warmup, vec![vec![-3.5, 0.5, 2.0, 1.0, 1.0, 0.0, 4.0, 0.1, 0.2], vec![-2.5, 0.6, 1.5, 2.0, 3.0, 0.0, 3.0, 0.3, 0.4]]);
    assert_eq!(f.draws.len(), 3);
    assert_eq!(f.draws[2][8], 6.0);
    assert_eq!(f.step_size, Some(0.75));
    assert_eq!(f.inv_metric, Some(Metric::Dense { dim: 2, values: vec![1.0, 0.25, 0.25, 2.0] }));
    assert_eq!(f.timing, None);
    assert_eq!(f.config.seed, Some(42));
    assert_eq!(f.config.metric.as_deref(), Some("dense_e"));
}

fn awkward_rows(n: usize, ncols: usize) -> Vec<Vec<f64>> {
    let specials = [0.1 + 0.2, 1e-300, -2.5e-308, 5e-324, 1.7976931348623157e308, -0.0, 123_456_789.123_456_78, 1e16 + 2.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    (0..n)
        .map(|i| {
            (0..ncols)
                .map(|j| {
                    let k = i * ncols + j;
                    if k.is_multiple_of(5) {
                        specials[(k / 5) % specials.len()]
                    } else {
                        ((k as f64) * 0.7310585786300049).sin() * 10f64.powi((k % 13) as i32 - 6)
                    }
                })
                .collect()
        })
        .collect()
}

fn same_bits(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(r, s)| r.len() == s.len() && r.iter().zip(s).all(|(x, y)| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()))
}

#[test]
fn round_trip_is_bit_exact() {
    for (k, metric) in [Metric::Diag(vec![0.1 + 0.2, 3.0, 1e-7]), Metric::Dense { dim: 3, values: vec![1.0, 0.1, 0.2, 0.1, 2.0, 1.0 / 3.0, 0.2, 1.0 / 3.0, 3.0] }, Metric::Unit].into_iter().enumerate() {
        let path = tmp(&format!("roundtrip-{k}.csv"));
        let header = Header { model: "rt".into(), num_samples: 40, num_warmup: 7, save_warmup: true, seed: 12345, chain_id: 2, metric: MetricKind::DenseE, ..Header::default() };
        let names: Vec<String> = STATS.iter().map(|s| s.to_string()).chain(["mu".into(), "Sigma[1,2]".into(), "z[3]".into()]).collect();
        let warm = awkward_rows(7, names.len());
        let rows = awkward_rows(40, names.len());
        let mut w = CsvWriter::create(&path, &header).expect("create");
        w.write_column_names(&names).expect("names");
        for r in &warm {
            w.write_warmup_row(r).expect("warmup");
        }
        let h = 0.1 + 0.7;
        w.write_adaptation(h, &metric).expect("adaptation");
        for r in &rows {
            w.write_row(r).expect("row");
        }
        w.finish(1.25, 2.5).expect("finish");

        let f = read_cmdstan_csv(&path).expect("reads back");
        assert_eq!(f.column_names[8], "Sigma.1.2");
        assert!(same_bits(&f.warmup, &warm), "warmup rows differ");
        assert!(same_bits(&f.draws, &rows), "draws differ");
        assert_eq!(f.step_size.map(f64::to_bits), Some(h.to_bits()));
        assert_eq!(f.inv_metric.as_ref(), Some(&metric));
        assert_eq!(f.config.seed, Some(12345));
        assert_eq!(f.config.chain_id, Some(2));
        assert_eq!((f.config.num_warmup, f.config.num_samples), (Some(7), Some(40)));
        let t = f.timing.expect("timing");
        assert_eq!((t.warmup, t.sampling, t.total), (1.25, 2.5, 3.75));
    }
}

#[test]
fn interrupted_run_keeps_every_finished_draw() {
    let path = tmp("interrupted.csv");
    let names: Vec<String> = STATS.iter().map(|s| s.to_string()).chain(["a".into()]).collect();
    let rows = awkward_rows(25, names.len());
    let mut w = CsvWriter::create(&path, &Header { num_warmup: 0, ..Header::default() }).expect("create");
    w.write_column_names(&names).expect("names");
    w.write_adaptation(0.5, &Metric::Diag(vec![1.0])).expect("adapt");
    for r in &rows {
        w.write_row(r).expect("row");
    }
    // Simulate a killed process: no `finish`, and no flush-on-drop of the buffer.
    std::mem::forget(w);
    let f = read_cmdstan_csv(&path).expect("reads without the closing block");
    assert!(same_bits(&f.draws, &rows));
    assert_eq!(f.timing, None);
}

#[test]
fn writes_cmdstan_layout_exactly() {
    let path = tmp("layout.csv");
    let header = Header {
        model: "bernoulli_model".into(),
        num_samples: 2,
        seed: 7,
        data_file: "bernoulli.data.json".into(),
        precision: Precision::SigFigs(6),
        exmc_version: "0.1.0".into(),
        ..Header::default()
    };
    let mut w = CsvWriter::create(&path, &header).expect("create");
    w.write_column_names(&["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "theta", "Sigma[2,1]"]).expect("names");
    w.write_warmup_row(&[0.0; 9]).expect("dropped: save_warmup = 0");
    w.write_adaptation(0.9112968, &Metric::Diag(vec![0.5662541, 2.0])).expect("adapt");
    w.write_row(&[-8.075141, 0.7224339, 0.9112968, 2.0, 3.0, 0.0, 8.621071, 0.08989334, 1234567.0]).expect("row");
    w.write_row(&[-7.2337812, 1.0, 0.9112968, 1.0, 3.0, 1.0, 7.950581, 0.000012345, -0.5]).expect("row");
    w.finish(0.005, 0.0123).expect("finish");
    let text = std::fs::read_to_string(&path).expect("read");
    let want = "\
# exmc_version = 0.1.0
# model = bernoulli_model
# method = sample (Default)
#   sample
#     num_samples = 2
#     num_warmup = 1000 (Default)
#     save_warmup = 0 (Default)
#     thin = 1 (Default)
#     adapt
#       engaged = 1 (Default)
#       gamma = 0.05 (Default)
#       delta = 0.8 (Default)
#       kappa = 0.75 (Default)
#       t0 = 10 (Default)
#       init_buffer = 75 (Default)
#       term_buffer = 50 (Default)
#       window = 25 (Default)
#     algorithm = hmc (Default)
#       hmc
#         engine = nuts (Default)
#           nuts
#             max_depth = 10 (Default)
#         metric = diag_e (Default)
#         metric_file =  (Default)
#         stepsize = 1 (Default)
#         stepsize_jitter = 0 (Default)
#     num_chains = 1 (Default)
# id = 1 (Default)
# data
#   file = bernoulli.data.json
# init = 2 (Default)
# random
#   seed = 7
# output
#   file = output.csv (Default)
#   diagnostic_file =  (Default)
#   refresh = 100 (Default)
#   sig_figs = 6
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta,Sigma.2.1
# Adaptation terminated
# Step size = 0.911297
# Diagonal elements of inverse mass matrix:
# 0.566254, 2
-8.07514,0.722434,0.911297,2,3,0,8.62107,0.0898933,1.23457e+06
-7.23378,1,0.911297,1,3,1,7.95058,1.2345e-05,-0.5
# 
#  Elapsed Time: 0.005 seconds (Warm-up)
#                0.0123 seconds (Sampling)
#                0.0173 seconds (Total)
# 
";
    assert_eq!(text, want);
}

#[test]
fn writer_rejects_misuse() {
    let mut w = CsvWriter::new(Vec::new(), &Header { save_warmup: true, ..Header::default() }).expect("new");
    assert!(w.write_row(&[1.0]).is_err(), "row before names");
    w.write_column_names(&["a", "b"]).expect("names");
    assert!(w.write_column_names(&["a"]).is_err(), "names twice");
    assert!(w.write_row(&[1.0]).is_err(), "short row");
    w.write_row(&[1.0, 2.0]).expect("row");
    assert!(w.write_warmup_row(&[1.0, 2.0]).is_err(), "warmup after sampling");
    assert!(w.write_adaptation(1.0, &Metric::Unit).is_err(), "adaptation after sampling");
    let mut w = CsvWriter::new(Vec::new(), &Header::default()).expect("new");
    assert!(w.write_column_names(&["a,b"]).is_err(), "comma in name");
    w.write_column_names(&["a"]).expect("names");
    assert!(w.write_adaptation(1.0, &Metric::Dense { dim: 2, values: vec![1.0] }).is_err());
}

fn read_err(name: &str, content: &str) -> String {
    let path = tmp(name);
    std::fs::write(&path, content).expect("write");
    let e = read_cmdstan_csv(&path).expect_err("must fail");
    let msg = e.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "message names the file: {msg}");
    msg
}

#[test]
fn malformed_files_name_file_and_line() {
    let head = "# model = m\n#   seed = 1\nlp__,theta\n";
    let m = read_err("fields.csv", &format!("{head}1,2\n3,4,5\n"));
    assert!(m.contains(":5:") && m.contains("3 fields") && m.contains("2 columns"), "{m}");
    let m = read_err("number.csv", &format!("{head}1,2\n3,abc\n"));
    assert!(m.contains(":5:") && m.contains("theta") && m.contains("\"abc\""), "{m}");
    let m = read_err("truncated.csv", &format!("{head}1,2\n3,4\n-1.5"));
    assert!(m.contains(":6:") && m.contains("truncated"), "{m}");
    let m = read_err("noheader.csv", "# model = m\n# only comments\n");
    assert!(m.contains("no column header"), "{m}");
    let m = read_err("empty.csv", "");
    assert!(m.contains("no column header"), "{m}");
    let m = read_err("step.csv", &format!("{head}# Adaptation terminated\n# Step size = fast\n1,2\n"));
    assert!(m.contains(":5:") && m.contains("step size"), "{m}");
    let m = read_err("metric.csv", &format!("{head}# Adaptation terminated\n# Step size = 1\n# Diagonal elements of inverse mass matrix:\n# 1, x\n1,2\n"));
    assert!(m.contains(":7:") && m.contains("inverse metric"), "{m}");
    let m = read_err("emptyname.csv", "a,,b\n");
    assert!(m.contains(":1:") && m.contains("empty name"), "{m}");
    let missing = tmp("does-not-exist.csv");
    let e = read_cmdstan_csv(&missing).expect_err("missing file");
    assert!(e.to_string().contains("does-not-exist.csv") && e.line.is_none());
}
