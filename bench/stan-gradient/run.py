#!/usr/bin/env python3
"""Log density + gradient time of Stan programs: exmc against Stan itself.

Stan's side is `stan::model::log_prob_grad<true, true>` — what each NUTS
leapfrog step of Stan calls — in a small C++ driver (grad_timer.cpp) built
with the stanc, Stan headers and TBB that the httpstan wheel ships (the PyStan
venv of shared/peers/setup.sh: STAN_VENV, default ~/.venvs/exmc-stan), with
httpstan's own flags (-O3, no -march). exmc's side is the `stan_grad_time`
example (release profile). Both evaluate the same program, data and
unconstrained point (uniform(-1, 1), seed 1), best of 5 rounds; the script
also reports the largest relative difference between the two gradients, so
the timing compares like with like.

    python3 bench/stan-gradient/run.py [--reps N] [--only NAME,...] [--out results.json]

Not run in CI (it compiles C++ for minutes).
"""
import argparse, json, os, random, subprocess, sys, tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHARED = ROOT.parent / "shared"
STAN_VENV = Path(os.environ.get("STAN_VENV", Path.home() / ".venvs/exmc-stan"))

# (name, program, data)
PROGRAMS = [
    ("ar1_loop", HERE / "programs/ar1_loop.stan", HERE / "programs/ar1_loop.data.json"),
    ("arma11", ROOT / "models/posteriordb/arma-arma11.stan", SHARED / "posteriordb/arma-arma11/data.json"),
    ("garch11", ROOT / "models/posteriordb/garch-garch11.stan", SHARED / "posteriordb/garch-garch11/data.json"),
    ("hmm_example", ROOT / "models/posteriordb/hmm_example-hmm_example.stan", SHARED / "posteriordb/hmm_example-hmm_example/data.json"),
    ("hmm_drive_1", ROOT / "models/posteriordb/bball_drive_event_1-hmm_drive_1.stan", SHARED / "posteriordb/bball_drive_event_1-hmm_drive_1/data.json"),
    ("gp_regr", ROOT / "models/posteriordb/gp_pois_regr-gp_regr.stan", SHARED / "posteriordb/gp_pois_regr-gp_regr/data.json"),
    ("lotka_volterra", ROOT / "models/posteriordb/hudson_lynx_hare-lotka_volterra.stan", SHARED / "posteriordb/hudson_lynx_hare-lotka_volterra/data.json"),
] + [
    (m, ROOT / f"models/bench/{m}.stan", ROOT / f"models/bench/{m}.data.json")
    for m in ["simple", "medium", "stress", "eight_schools", "funnel", "logistic", "sv"]
]


def httpstan_dir():
    found = list(STAN_VENV.glob("lib/python3*/site-packages/httpstan"))
    if not found:
        sys.exit(f"httpstan not found under {STAN_VENV}: run shared/peers/setup.sh (or set STAN_VENV)")
    return found[0]


def build_stan(name, program, work, hs):
    hpp = work / f"{name}.hpp"
    exe = work / f"{name}_timer"
    if exe.exists() and exe.stat().st_mtime > max(Path(program).stat().st_mtime, (HERE / "grad_timer.cpp").stat().st_mtime):
        return exe  # built by an earlier run with --work
    subprocess.run([hs / "stanc", "--name=bench_model", f"--o={hpp}", program], check=True)
    cmd = ["g++", "-O3", "-std=c++17", "-DBOOST_DISABLE_ASSERTS", "-DSTAN_THREADS", "-D_REENTRANT",
           "-D_GLIBCXX_USE_CXX11_ABI=0", "-w", f"-I{hs / 'include'}", f'-DMODEL_HPP="{hpp}"',
           str(HERE / "grad_timer.cpp"), "-o", str(exe), f"-L{hs / 'lib'}", "-ltbb",
           f"-Wl,-rpath,{hs / 'lib'}"]
    subprocess.run(cmd, check=True)
    return exe


def run_json(cmd):
    out = subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    ap.add_argument("--build-only", action="store_true", help="only build the Stan timers (with --work)")
    ap.add_argument("--work", default="", help="keep the C++ builds here and reuse them (default: a temporary folder)")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    hs = httpstan_dir()
    if not args.build_only:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "exmc", "--example", "stan_grad_time"], check=True, cwd=ROOT)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    ours = target / "release/examples/stan_grad_time"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name, program, data in PROGRAMS:
            if only and name not in only:
                continue
            exe = build_stan(name, program, work, hs)
            if args.build_only:
                continue
            dim = run_json([exe, data, "-", 0])["dim"]
            rng = random.Random(1)
            point = work / f"{name}.point"
            point.write_text(" ".join(repr(rng.uniform(-1, 1)) for _ in range(dim)))
            stan = run_json([exe, data, point, args.reps])
            ex = run_json([ours, program, data, point, args.reps])
            ex32 = run_json([ours, program, data, point, args.reps, "f32"])
            scale = max(1.0, max(abs(g) for g in stan["grad"]))
            grad_diff = max(abs(a - b) for a, b in zip(stan["grad"], ex["grad"])) / scale
            row = {"model": name, "dim": dim, "stan_ns": stan["ns_per_grad"], "exmc_ns": ex["ns_per_grad"],
                   "exmc_f32_ns": ex32["ns_per_grad"], "speedup": stan["ns_per_grad"] / ex["ns_per_grad"],
                   "speedup_f32": stan["ns_per_grad"] / ex32["ns_per_grad"], "grad_max_rel_diff": grad_diff}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.build_only:
        return
    Path(args.out).write_text(json.dumps({"load_after": os.getloadavg(), "rows": rows}, indent=1))
    print("\n| program | d | Stan ns | exmc f64 ns | Stan ÷ exmc f64 | exmc f32 ns | Stan ÷ exmc f32 | max rel. grad diff |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['dim']} | {r['stan_ns']:,.0f} | {r['exmc_ns']:,.0f} | {r['speedup']:.2f}× | "
              f"{r['exmc_f32_ns']:,.0f} | {r['speedup_f32']:.2f}× | {r['grad_max_rel_diff']:.1e} |")


if __name__ == "__main__":
    main()
