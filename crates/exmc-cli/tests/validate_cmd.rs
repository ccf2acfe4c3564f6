//! `exmc validate` with the real binary: a quick posterior passes (exit 0,
//! table on stdout, Markdown file), an unknown posterior is an error (exit 1).

use std::path::PathBuf;
use std::process::Command;

const EXMC: &str = env!("CARGO_BIN_EXE_exmc");

fn repo() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn validate_runs_a_posterior_and_writes_markdown() {
    let md = std::env::temp_dir().join(format!("exmc-validate-cmd-{}.md", std::process::id()));
    let o = Command::new(EXMC)
        .current_dir(repo())
        .args(["validate", "--posteriors", "eight_schools-eight_schools_noncentered", "--num-warmup", "400"])
        .args(["--num-samples", "400", "--retries", "1", "--markdown"])
        .arg(&md)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("eight_schools-eight_schools_noncentered  pass"), "{out}");
    assert!(out.contains("1 posteriors: 1 pass, 0 fail"), "{out}");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::remove_file(&md).unwrap();
    assert!(text.contains("| eight_schools-eight_schools_noncentered | pass"), "{text}");
}

#[test]
fn validate_unknown_posterior_exits_1() {
    let o = Command::new(EXMC)
        .current_dir(repo())
        .args(["validate", "--posteriors", "no-such-posterior"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no-such-posterior  ERROR"));
}
