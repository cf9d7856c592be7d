#!/usr/bin/env python3
"""The data side of scripts/gpu/device-check.sh: it finds the venv's torch and CUDA libraries without
importing torch, reads what each stage's commands left behind (exit codes, wall times, logs, SQLite
databases, `bench perf --json` output, nvidia-smi samples) and merges one stage at a time into the
check's JSON file, so a stage that hangs or fails still leaves the earlier ones recorded. It also
computes the goals that docs/gpu.md states (render-doc.py imports goals()).

Python 3 standard library only (sqlite3 stands in for the sqlite3 command, which a GPU node may lack).
Every number comes from a measurement; what was not measured is left out or null, never filled in.
"""
import argparse
import glob
import importlib.util
import json
import os
import re
import sqlite3
import sys
import time

SCHEMA = "trickbench-gpu-check/1"
# The GPU goals as docs/gpu.md states them.
GOAL_PYTORCH_RATIO = 0.9      # harness img/s >= 0.9 x PyTorch eager at C=16, N=5
GOAL_DET_COST = 0.10          # deterministic mode costs <= 10% throughput
GOAL_PARALLEL_SPEEDUP = 3.0   # --parallel 8 >= 3x the trainings per hour of --parallel 1 at ci size
GOAL_BATCH_SPEEDUP = 3.0      # --batch-runs 8 >= 3x the trainings per hour of one at a time at smoke size


# ---- reading ------------------------------------------------------------------------------------

def torch_info():
    """The torch python3 would import, found without importing it: version.py, site dir, CUDA lib dirs."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return {"found": False}
    torch_dir = spec.submodule_search_locations[0]
    info = {"found": True, "dir": torch_dir, "version": None, "cuda": None}
    try:
        with open(os.path.join(torch_dir, "version.py")) as f:
            text = f.read()
        m = re.search(r"^__version__[^=]*=\s*['\"]([^'\"]+)", text, re.M)
        info["version"] = m.group(1) if m else None
        m = re.search(r"^cuda\s*(?::[^=]*)?=\s*(.+)$", text, re.M)
        cuda = m.group(1).strip().strip("'\"") if m else "None"
        info["cuda"] = None if cuda == "None" else cuda
    except OSError:
        pass
    site = os.path.dirname(torch_dir)
    libs = sorted(d for d in glob.glob(os.path.join(site, "nvidia", "*", "lib")) if os.path.isdir(d))
    # CUDA 13 wheels put several libraries under nvidia/cu13/lib; older ones use nvidia/<name>/lib.
    libs += sorted(d for d in glob.glob(os.path.join(site, "nvidia", "*", "*", "lib")) if os.path.isdir(d))
    info["nvidia_lib_dirs"] = libs
    info["cudart_dirs"] = [d for d in libs if glob.glob(os.path.join(d, "libcudart.so*"))]
    return info


def read_text(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def command_record(work, cid):
    """What run_cmd in device-check.sh left for command cid: its line, exit code, wall time."""
    rc = read_text(os.path.join(work, cid + ".rc"))
    wall = read_text(os.path.join(work, cid + ".wall"))
    rec = {"command": read_text(os.path.join(work, cid + ".cmd")),
           "rc": int(rc) if rc not in (None, "") else None,
           "wall_s": round(float(wall), 2) if wall else None}
    rec["timed_out"] = rec["rc"] in (124, 137)
    return rec


def describe_spec(spec):
    """'algorithm + tricks' of a run's spec JSON, for naming an audit failure; '' when unreadable."""
    try:
        d = json.loads(spec)
    except (TypeError, ValueError):
        return ""
    algo = d.get("algorithm") or {}
    name = algo.get("id") if isinstance(algo, dict) else algo
    tricks = [t.get("id") if isinstance(t, dict) else t for t in (d.get("tricks") or [])]
    return "%s%s" % (name or "?", (" + " + ", ".join(str(t) for t in tricks)) if tricks else "")


def db_summary(path):
    """Run counts by status, the span from the first start to the last finish, failures, environment."""
    if not os.path.isfile(path):
        return {"db": os.path.basename(path), "error": "no database"}
    con = sqlite3.connect("file:" + path + "?mode=ro", uri=True)
    try:
        counts = dict(con.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall())
        span = con.execute("SELECT min(started_at), max(finished_at) FROM runs WHERE status = 'done'").fetchone()
        failures = [{"id": r[0][:12], "status": r[1], "error": (r[2] or r[3] or "")[:300], "run": describe_spec(r[4])}
                    for r in con.execute("SELECT id, status, error_class, error_message, spec FROM runs"
                                         " WHERE status IN ('error', 'out-of-memory', 'diverged', 'interrupted')"
                                         " ORDER BY id").fetchall()]
        first = con.execute("SELECT e.run_id FROM environment e JOIN runs r ON r.id = e.run_id"
                            " WHERE r.status = 'done' ORDER BY r.finished_at LIMIT 1").fetchone()
        env = dict(con.execute("SELECT key, value FROM environment WHERE run_id = ? ORDER BY key",
                               (first[0],)).fetchall()) if first else {}
    except sqlite3.DatabaseError as e:
        return {"db": os.path.basename(path), "error": str(e)}
    finally:
        con.close()
    failed = sum(counts.get(s, 0) for s in ("error", "out-of-memory", "diverged", "interrupted"))
    out = {"db": os.path.basename(path), "counts": counts, "total": sum(counts.values()),
           "ok": counts.get("done", 0), "failed": failed, "failures": failures[:20], "environment": env}
    out["span_s"] = span_seconds(span[0], span[1]) if span and span[0] and span[1] else None
    return out


def span_seconds(start, end):
    def parse(s):
        s = s.replace("Z", "+00:00")
        from datetime import datetime
        return datetime.fromisoformat(s)
    try:
        return round((parse(end) - parse(start)).total_seconds(), 2)
    except ValueError:
        return None


def epochs_diff(db_a, db_b):
    """Max |delta| of every per-epoch loss and accuracy between two databases of the same run."""
    def rows(path):
        con = sqlite3.connect("file:" + path + "?mode=ro", uri=True)
        try:
            return {(r[0], r[1], r[2], r[3]): r[4] for r in con.execute(
                "SELECT owner_id, phase, epoch, metric, value FROM epochs"
                " WHERE metric LIKE '%loss' OR metric LIKE '%acc'")}
        finally:
            con.close()
    if not (os.path.isfile(db_a) and os.path.isfile(db_b)):
        return {"error": "a database is missing"}
    a, b = rows(db_a), rows(db_b)
    common = sorted(set(a) & set(b))
    out = {"values_compared": len(common), "only_in_one": len(set(a) ^ set(b)),
           "max_abs_delta_loss": None, "max_abs_delta_acc": None}
    for kind in ("loss", "acc"):
        deltas = [abs(a[k] - b[k]) for k in common if k[3].endswith(kind) and a[k] is not None and b[k] is not None]
        if deltas:
            out["max_abs_delta_" + kind] = max(deltas)
    out["epochs"] = len({k[2] for k in common})
    out["bit_identical"] = bool(common) and all(a[k] == b[k] for k in common) and out["only_in_one"] == 0
    return out


def perf_json(path):
    """The JSON object a `bench perf --json` command printed (after any log lines), or {"error": why}."""
    text = read_text(path)
    if not text:
        return {"error": "no output"}
    start = text.find("{")
    try:
        data = json.loads(text[start:]) if start >= 0 else None
    except json.JSONDecodeError as e:
        return {"error": "not JSON: " + str(e)}
    if not isinstance(data, dict):
        return {"error": "no JSON object"}
    return data


def perf_summary(path):
    """The figures of one `bench perf --json` output."""
    data = perf_json(path)
    if "error" in data:
        return data
    out = {"setup": data.get("setup"), "environment": data.get("environment"),
           "throughput_ratios": data.get("throughput_ratios"), "process_max_rss_kib": data.get("process_max_rss_kib")}
    for loop in ("harness", "bare", "pytorch_matched", "pytorch_default"):
        if isinstance(data.get(loop), dict):
            d = data[loop]
            out[loop] = {k: d.get(k) for k in ("medianMillis", "p90Millis", "imagesPerSecond", "steps") if k in d}
    if isinstance(data.get("pytorch"), dict):
        p = data["pytorch"]
        out["pytorch"] = {"python": p.get("python"), "build": p.get("build"), "max_rss_kib": p.get("max_rss_kib")}
    return out


def util_summary(path):
    """Mean and max GPU utilisation (%) and memory (MiB) of nvidia-smi's csv samples."""
    util, mem = [], []
    for line in (read_text(path, "") or "").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 2:
            try:
                util.append(float(parts[0]))
                mem.append(float(parts[1]))
            except ValueError:
                continue
    if not util:
        return {"samples": 0}
    return {"samples": len(util), "util_mean": round(sum(util) / len(util), 1), "util_max": max(util),
            "mem_used_mean_mib": round(sum(mem) / len(mem)), "mem_used_max_mib": max(mem)}


# ---- the stages ---------------------------------------------------------------------------------

def stage_env(work, args):
    machine = {}
    smi = read_text(os.path.join(work, "nvidia-smi.txt"))
    if smi:
        first = [p.strip() for p in smi.splitlines()[0].split(",")]
        keys = ["gpu", "driver", "memory_total_mib"]
        machine.update(dict(zip(keys, first)))
        machine["gpus"] = len(smi.splitlines())
    for key, name in (("gxx", "gxx.txt"), ("python", "python.txt"), ("java", "java.txt"), ("nproc", "nproc.txt"),
                      ("os", "os.txt"), ("cpu", "cpu.txt")):
        value = read_text(os.path.join(work, name))
        if value:
            machine[key] = value.splitlines()[0]
    torch = torch_info()
    machine["torch_version"] = torch.get("version")
    machine["torch_cuda"] = torch.get("cuda")
    machine["torch_dir"] = torch.get("dir")
    out = {"machine": machine, "sizes_mib": json.loads(read_text(os.path.join(work, "sizes.json"), "{}") or "{}")}
    build = command_record(work, "env-jni")
    log = read_text(os.path.join(work, "env-jni.log"), "") or ""
    m = re.search(r"built in ([0-9.]+) s", log)
    build["seconds"] = float(m.group(1)) if m else None
    build["skipped"] = "nothing to build" in log
    m = re.search(r"installed (\S+)", log)
    build["installed"] = m.group(1) if m else None
    errors = [line for line in log.splitlines() if line.startswith("build-jni: ") and "plan" not in line][-3:]
    build["messages"] = errors
    out["jni_build"] = build
    return out


def stage_a(work, args):
    runs = []
    for name in args.names:
        rec = command_record(work, "a-" + name)
        rec["name"] = name
        rec.update({k: v for k, v in db_summary(os.path.join(work, "a-" + name + ".db")).items() if k != "environment"})
        runs.append(rec)
    env = db_summary(os.path.join(work, "a-" + args.names[0] + ".db")).get("environment", {})
    return {"runs": runs, "environment": env}


def stage_b(work, args):
    pairs = {}
    for mode in ("deterministic", "nondeterministic"):
        cmds = [command_record(work, "b-%s-%d" % (mode, i)) for i in (1, 2)]
        diff = epochs_diff(os.path.join(work, "b-%s-1.db" % mode), os.path.join(work, "b-%s-2.db" % mode))
        status = [db_summary(os.path.join(work, "b-%s-%d.db" % (mode, i))).get("counts") for i in (1, 2)]
        pairs[mode] = {"commands": cmds, "run_status": status, **diff}
    return {"matrix": read_text(os.path.join(work, "b-matrix.yaml")), "pairs": pairs}


def stage_perf(work, args, prefix):
    perfs = []
    for name in args.names:
        rec = command_record(work, prefix + name)
        rec["name"] = name
        rec.update(perf_summary(os.path.join(work, prefix + name + ".json")))
        perfs.append(rec)
    return {"perf": perfs}


def run_record(work, cid):
    """A `bench run` command's record with its database's counts, and trainings per hour from the
    command's wall time (JVM and CUDA start included) and from the span between the first run's start
    and the last run's finish (steady state)."""
    rec = command_record(work, cid)
    s = db_summary(os.path.join(work, cid + ".db"))
    rec.update({k: s.get(k) for k in ("ok", "failed", "total", "span_s", "failures")})
    if rec.get("ok") and rec.get("wall_s"):
        rec["trainings_per_hour_wall"] = round(3600 * rec["ok"] / rec["wall_s"], 1)
    if rec.get("ok") and rec.get("span_s"):
        rec["trainings_per_hour_span"] = round(3600 * rec["ok"] / rec["span_s"], 1)
    return rec


def stage_d(work, args):
    levels = []
    for level in args.levels:
        cid = "d-p%d" % level
        rec = run_record(work, cid)
        rec["parallel"] = level
        rec["gpu"] = util_summary(os.path.join(work, cid + ".smi.csv"))
        levels.append(rec)
    return {"matrix": read_text(os.path.join(work, "d-matrix.yaml")), "runs_per_level": args.runs, "levels": levels}


def stage_e(work, args):
    out = stage_perf(work, args, "e-")
    by = {p["name"]: p for p in out["perf"]}
    det = (by.get("deterministic") or {}).get("harness") or {}
    nondet = (by.get("nondeterministic") or {}).get("harness") or {}
    if det.get("imagesPerSecond") and nondet.get("imagesPerSecond"):
        out["det_vs_nondet_throughput"] = det["imagesPerSecond"] / nondet["imagesPerSecond"]
        out["det_cost"] = 1 - out["det_vs_nondet_throughput"]
    return out


def batch_perf_summary(path):
    """The figures of one `bench perf --batch-runs K --json` output."""
    data = perf_json(path)
    if "error" in data:
        return data
    out = {"setup": data.get("setup"), "batch_runs": data.get("batch_runs"),
           "trainings_per_hour_ratios": data.get("trainings_per_hour_ratios")}
    for loop in ("one_at_a_time", "grouped"):
        if isinstance(data.get(loop), dict):
            d = data[loop]
            out[loop] = {k: d.get(k) for k in ("medianMillis", "p90Millis", "imagesPerSecond", "steps") if k in d}
    return out


def stage_g(work, args):
    perf = command_record(work, "g-perf")
    perf.update(batch_perf_summary(os.path.join(work, "g-perf.json")))
    runs = []
    for k in (1, args.runs):
        rec = run_record(work, "g-run-k%d" % k)
        rec["batch_runs"] = k
        runs.append(rec)
    out = {"matrix": read_text(os.path.join(work, "g-matrix.yaml")), "perf": perf, "runs": runs}
    one, batched = runs[0], runs[-1]
    if one.get("trainings_per_hour_wall") and batched.get("trainings_per_hour_wall") \
            and not one.get("failed") and not batched.get("failed"):
        out["wall_speedup"] = batched["trainings_per_hour_wall"] / one["trainings_per_hour_wall"]
    return out


def stage_f(work, args):
    rec = command_record(work, "f-audit")
    s = db_summary(os.path.join(work, "f-audit.db"))
    rec.update({k: s.get(k) for k in ("counts", "ok", "failed", "total", "failures")})
    return {"audit": rec}


STAGES = {"env": stage_env, "a": stage_a, "b": stage_b, "c": lambda w, a: stage_perf(w, a, "c-"),
          "d": stage_d, "e": stage_e, "f": stage_f, "g": stage_g}


# ---- the goals ----------------------------------------------------------------------------------

def goals(data):
    """Each goal as {goal, value, met (True/False/None), detail}; None where it was not measured."""
    stages = data.get("stages", {})
    out = []
    ratio = None
    for p in (stages.get("c") or {}).get("perf", []) or []:
        if p.get("name") == "c16n5":
            ratio = (p.get("throughput_ratios") or {}).get("harness_vs_pytorch_default")
    out.append({"id": "pytorch", "goal": "harness >= %.1fx PyTorch eager images/s at C=16, N=5" % GOAL_PYTORCH_RATIO,
                "value": ratio, "met": None if ratio is None else ratio >= GOAL_PYTORCH_RATIO,
                "detail": None if ratio is None else "%.2fx" % ratio})
    cost = (stages.get("e") or {}).get("det_cost")
    out.append({"id": "determinism", "goal": "deterministic mode costs <= %d%% throughput" % (GOAL_DET_COST * 100),
                "value": cost, "met": None if cost is None else cost <= GOAL_DET_COST,
                "detail": None if cost is None else "%.1f%%" % (cost * 100)})
    speedup = None
    levels = {lv.get("parallel"): lv for lv in (stages.get("d") or {}).get("levels", []) or []}
    one, eight = levels.get(1, {}), levels.get(8, {})
    key = "trainings_per_hour_span"
    if one.get(key) and eight.get(key) and not one.get("failed") and not eight.get("failed"):
        speedup = eight[key] / one[key]
    out.append({"id": "parallel", "goal": "--parallel 8 >= %.0fx the trainings/hour of --parallel 1 at ci size"
                % GOAL_PARALLEL_SPEEDUP, "value": speedup,
                "met": None if speedup is None else speedup >= GOAL_PARALLEL_SPEEDUP,
                "detail": None if speedup is None else "%.2fx" % speedup})
    g = stages.get("g") or {}
    ratio = ((g.get("perf") or {}).get("trainings_per_hour_ratios") or {}).get("grouped_vs_one_at_a_time")
    out.append({"id": "batch-steps", "goal": "--batch-runs 8 >= %.0fx the trainings/hour of one at a time at smoke"
                " size (training steps, bench perf)" % GOAL_BATCH_SPEEDUP, "value": ratio,
                "met": None if ratio is None else ratio >= GOAL_BATCH_SPEEDUP,
                "detail": None if ratio is None else "%.2fx" % ratio})
    wall = g.get("wall_speedup")
    out.append({"id": "batch-wall", "goal": "--batch-runs 8 >= %.0fx the trainings/hour of one at a time at smoke"
                " size (bench run wall time)" % GOAL_BATCH_SPEEDUP, "value": wall,
                "met": None if wall is None else wall >= GOAL_BATCH_SPEEDUP,
                "detail": None if wall is None else "%.2fx" % wall})
    for g in out:  # a dry run's numbers come from a CPU at toy sizes: shown, never judged
        g["judged"] = not data.get("dry_run") and g["met"] is not None
    return out


# ---- the file -----------------------------------------------------------------------------------

def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError):
        return None


def save(path, data):
    data["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=2, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("torch-info", help="print the torch python3 finds, as JSON, without importing it")
    sp = sub.add_parser("nvidia-libs", help="print the venv's nvidia/*/lib dirs joined with ':'")
    sp.add_argument("--cudart", action="store_true", help="only the dirs holding libcudart")
    sp = sub.add_parser("init", help="start the JSON file")
    sp.add_argument("json")
    sp.add_argument("--command", required=True)
    sp.add_argument("--bench", required=True, help="what `bench` in the commands stands for")
    sp.add_argument("--dry-run", action="store_true")
    sp.add_argument("--budget-s", type=float, required=True)
    sp = sub.add_parser("stage", help="merge one stage's results into the JSON file")
    sp.add_argument("json")
    sp.add_argument("stage", choices=sorted(STAGES))
    sp.add_argument("--work", required=True)
    sp.add_argument("--status", required=True)
    sp.add_argument("--elapsed", type=float, required=True)
    sp.add_argument("--reason")
    sp.add_argument("--names", nargs="*", default=[])
    sp.add_argument("--levels", nargs="*", type=int, default=[])
    sp.add_argument("--runs", type=int)
    sp.add_argument("--note")
    sp = sub.add_parser("finish", help="record the total elapsed time")
    sp.add_argument("json")
    sp.add_argument("--elapsed", type=float, required=True)
    args = p.parse_args(argv)

    if args.cmd == "torch-info":
        print(json.dumps(torch_info(), indent=2))
    elif args.cmd == "nvidia-libs":
        info = torch_info()
        print(":".join(info.get("cudart_dirs" if args.cudart else "nvidia_lib_dirs", [])))
    elif args.cmd == "init":
        save(args.json, {"schema": SCHEMA, "dry_run": args.dry_run, "command": args.command,
                         "bench": args.bench, "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                         "budget_s": args.budget_s, "elapsed_s": None, "stages": {}})
    elif args.cmd == "stage":
        data = load(args.json) or {"schema": SCHEMA, "stages": {}}
        entry = {"status": args.status, "elapsed_s": round(args.elapsed, 1)}
        if args.reason:
            entry["reason"] = args.reason
        if args.note:
            entry["note"] = args.note
        if args.status != "skipped":
            try:
                entry.update(STAGES[args.stage](args.work, args))
            except Exception as e:  # a broken artefact must not lose the stage's status
                entry["collect_error"] = "%s: %s" % (type(e).__name__, e)
        data["stages"][args.stage] = entry
        data["goals"] = goals(data)
        save(args.json, data)
    elif args.cmd == "finish":
        data = load(args.json) or {"schema": SCHEMA, "stages": {}}
        data["elapsed_s"] = round(args.elapsed, 1)
        data["goals"] = goals(data)
        save(args.json, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
