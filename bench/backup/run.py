#!/usr/bin/env python3
"""Backup benchmark (issue 6): failsafe, restic and borg on the same deterministic dataset in
one run, with the machine's limits measured beside them.

For each program, on one dataset (gen_dataset.py, ~1.5 GiB at --scale 1):
  1. initial backup            4. full restore into a scratch directory, verified byte for byte
  2. no-change backup             (sha256, size, mode, symlink target of every entry)
  3. backup after --mutate 5   5. check --read-data (borg: check --verify-data)
each with a cold page cache (dropped before the step) and warm (run again at once: steps 1-3
into a second repository that gets the same sequence, steps 4-5 on the same one). Measured per
step: wall time, CPU time (user+sys of the child, wait4), peak memory (ru_maxrss of the child),
and the repository size (du) after each backup. Then the machine's limits (SHA-256, AES-256-GCM,
zstd, reading the dataset), the engine's share of them, and the issue's goals as ratios.

    run.py [--failsafe build/bin/failsafe] [--scale 1] [--dir /tmp/fsbench-backup] [--json F]

Needs root for dropping the page cache (otherwise --no-drop, and the figures are warm). A step
that fails is reported with its stderr tail; the run goes on.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

import limits
import measure
import report
import tools

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_NAME = "fsbench-data"  # appears nowhere inside the dataset, so a restore can be found


class Bench:
    def __init__(self, args, programs):
        self.args = args
        self.work = os.path.abspath(args.dir)
        self.data = os.path.join(self.work, DATA_NAME)
        self.logs = os.path.join(self.work, "logs")
        self.programs = programs
        self.results = {p.name: {} for p in programs}
        self.broken = {}  # tool -> why its remaining steps are skipped
        self.seq = {}  # repo -> backups made, for archive names
        self.dropped = not args.no_drop

    # --- running one measured step -----------------------------------------------------------

    def step(self, tool, step, temp, cmd, cwd, repo=None):
        rec = {"cmd": cmd, "load": os.getloadavg()[0]}
        if tool.name in self.broken:
            rec.update(ok=False, error="skipped: " + self.broken[tool.name])
        else:
            if temp == "cold" and not self.args.no_drop:
                self.dropped = measure.drop_caches() and self.dropped
            r = measure.run(cmd, os.path.join(self.logs, f"{tool.name}-{step}-{temp}"), cwd=cwd,
                            env=tool.env(), timeout=self.args.timeout)
            ok = r.rc in tool.ok_codes and not r.timed_out
            rec.update(wall=r.wall, cpu=r.cpu, rss=r.rss, rc=r.rc, ok=ok,
                       error=None if ok else f"exit {r.rc}: {r.err_tail()}",
                       warning=r.err_tail()[-300:] if ok and r.rc else None)
            if repo and ok:
                rec["repo"] = measure.du_bytes(repo)
        self.results[tool.name].setdefault(step, {})[temp] = rec
        report.progress(tool.name, step, temp, rec)
        return rec

    def backup(self, tool, step, temp, repo):
        self.seq[repo] = self.seq.get(repo, 0) + 1
        cmd = tool.backup(repo, DATA_NAME, self.seq[repo])
        return self.step(tool, step, temp, cmd, self.work, repo)

    def init(self, tool, repo):
        if tool.name in self.broken:
            return
        r = measure.run(tool.init(repo), os.path.join(self.logs, f"{tool.name}-init"),
                        cwd=self.work, env=tool.env(), timeout=120)
        if r.rc != 0:
            self.broken[tool.name] = f"init failed (exit {r.rc}): {r.err_tail()[-400:]}"
            print(f"  {tool.name}: {self.broken[tool.name]}", flush=True)

    def restore(self, tool, temp, repo, source):
        target = os.path.join(self.work, "restore")
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        rec = self.step(tool, "restore", temp, tool.restore(repo, target), target)
        if rec.get("ok"):
            rec["verify"] = verify_restore(target, source)
            rec["ok"] = rec["verify"][0]
            if not rec["ok"]:
                rec["error"] = "restored tree differs: " + rec["verify"][1]
            print(f"      verify: {rec['verify'][1]}", flush=True)
        shutil.rmtree(target, ignore_errors=True)

    # --- the dataset --------------------------------------------------------------------------

    def generate(self):
        cmd = [sys.executable, os.path.join(HERE, "gen_dataset.py"), self.data,
               "--scale", str(self.args.scale), "--seed", str(self.args.seed)]
        return self.gen(cmd, "generate")

    def mutate(self):
        cmd = [sys.executable, os.path.join(HERE, "gen_dataset.py"), self.data,
               "--mutate", str(self.args.mutate), "--seed", str(self.args.seed)]
        return self.gen(cmd, "mutate")

    def gen(self, cmd, what):
        print(f"{what}: {' '.join(cmd)}", flush=True)
        start = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        secs = time.perf_counter() - start
        print("  " + out.strip().replace("\n", "\n  ") + f"\n  ({secs:.1f} s)", flush=True)
        return {"seconds": secs, "output": out.strip(), "fingerprint": out.split()[-1]}

    # --- the run ------------------------------------------------------------------------------

    def run(self):
        a = self.args
        shutil.rmtree(self.work, ignore_errors=True)  # the dataset is always rebuilt: --mutate
        os.makedirs(self.logs)
        info = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                "load_start": os.getloadavg(), "machine": machine(), "scale": a.scale,
                "seed": a.seed, "versions": {p.name: version(p, self.logs) for p in self.programs}}
        info["dataset"] = self.generate()
        info["dataset"].update(dataset_sizes(self.data))
        info["limits"] = self.measure_limits()
        warm = not a.no_warm
        repos = {p.name: tuple(os.path.join(self.work, "repos", f"{p.name}-{temp}")
                               for temp in ("cold", "warm")) for p in self.programs}
        for p in self.programs:
            cold_repo, warm_repo = repos[p.name]
            self.init(p, cold_repo)
            if warm:
                self.init(p, warm_repo)
            for step in ("initial", "nochange"):
                self.backup(p, step, "cold", cold_repo)
                if warm:
                    self.backup(p, step, "warm", warm_repo)
        info["mutated"] = self.mutate()
        info["dataset"]["changed_bytes"] = measure.data_bytes(self.data)
        source = measure.manifest(self.data)
        for p in self.programs:
            cold_repo, warm_repo = repos[p.name]
            self.backup(p, "changed", "cold", cold_repo)
            if warm:
                self.backup(p, "changed", "warm", warm_repo)
                shutil.rmtree(warm_repo, ignore_errors=True)
            if isinstance(p, tools.Failsafe) and p.name not in self.broken:
                info["failsafe_snapshots"] = snapshot_count(p, cold_repo, self.logs)
            for temp in ("cold", "warm") if warm else ("cold",):
                self.restore(p, temp, cold_repo, source)
            for temp in ("cold", "warm") if warm else ("cold",):
                self.step(p, "check", temp, p.check(cold_repo), self.work)
            if p.name in self.broken:
                self.results[p.name]["broken"] = self.broken[p.name]
        info["load_end"] = os.getloadavg()
        info["cache_dropped"] = self.dropped
        return info

    def measure_limits(self):
        lim = {"sha256": limits.openssl_speed("sha256", self.logs),
               "aes256gcm": limits.openssl_speed("aes-256-gcm", self.logs)}
        sample = os.path.join(self.work, "zstd-sample")
        limit = max(4 << 20, int(48 * (1 << 20) * min(1.0, self.args.scale * 4)))
        lim["zstd_sample_bytes"] = limits.make_sample(os.fsencode(self.data), sample, limit)
        lim["zstd"] = limits.zstd_speed(sample, self.logs)
        os.unlink(sample)
        lim["read_cold"] = {k: run_dict(r) for k, r in
                            limits.read_dataset(self.work, DATA_NAME, not self.args.no_drop,
                                                self.logs).items()}
        lim["read_warm"] = {k: run_dict(r) for k, r in
                            limits.read_dataset(self.work, DATA_NAME, False, self.logs).items()}
        report.limits(lim)
        return lim


def run_dict(r):
    return {"wall": r.wall, "cpu": r.cpu, "rss": r.rss, "ok": r.rc == 0,
            "error": None if r.rc == 0 else r.err_tail()}


def verify_restore(target, source):
    """(equal?, description) of the restored tree against the source manifest."""
    found = measure.find_dir(target, DATA_NAME)
    if found is None and os.path.isdir(os.path.join(target, "vm")):
        found = target  # restored the snapshot's contents straight into the target
    if found is None:
        return False, f"no directory {DATA_NAME} under {target}"
    diff = measure.compare(source, measure.manifest(found))
    return not any(diff[k] for k in measure.REQUIRED), measure.describe(diff)


def snapshot_count(tool, repo, logs):
    r = measure.run(tool.snapshots(repo), os.path.join(logs, "failsafe-snapshots"),
                    env=tool.env(), timeout=120)
    try:
        doc = json.loads(r.out)
        snaps = doc if isinstance(doc, list) else doc.get("snapshots", [])
        return len(snaps)
    except (ValueError, AttributeError):
        return f"snapshots --json failed (exit {r.rc}): {r.err_tail()[-300:]}"


def dataset_sizes(data):
    images = measure.data_bytes(os.path.join(data, "vm"))
    table = measure.data_bytes(os.path.join(data, "db"))
    total = measure.data_bytes(data)
    return {"bytes": total, "images": images, "table": table, "text": total - images - table}


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) * 1024
    return {"cpus": os.cpu_count(), "model": model, "memory": mem, "kernel": platform.release()}


def version(tool, logs):
    r = measure.run(tool.version_cmd(), os.path.join(logs, tool.name + "-version"),
                    env=tool.env(), timeout=30)
    return (r.out.strip() or r.err.strip()).splitlines()[0] if r.rc == 0 else f"? (exit {r.rc})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failsafe", metavar="BIN", help="the failsafe binary (omit: restic, borg)")
    ap.add_argument("--tools", default="restic,borg", help="peers to run (default restic,borg)")
    ap.add_argument("--scale", type=float, default=1.0, help="dataset scale (1 = ~1.5 GiB)")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--mutate", type=int, default=5, help="percent changed before step 3")
    ap.add_argument("--dir", default="/tmp/fsbench-backup",
                    help="work directory (deleted first, and afterwards unless --keep)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--no-warm", action="store_true", help="cold runs only")
    ap.add_argument("--no-drop", action="store_true", help="never drop the page cache")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per step")
    ap.add_argument("--json", metavar="FILE", help="write every figure here too")
    args = ap.parse_args()
    work = os.path.abspath(args.dir)
    programs = []
    if args.failsafe:
        programs.append(tools.Failsafe(work, args.failsafe))
    for name in filter(None, args.tools.split(",")):
        programs.append({"restic": tools.Restic, "borg": tools.Borg}[name](work))
    bench = Bench(args, programs)
    try:
        info = bench.run()
        goals = report.summary(info, bench.results, [p.name for p in programs])
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"info": info, "results": bench.results, "goals": goals}, f,
                          indent=1, default=str)
    finally:
        if not args.keep:
            print(f"removing {work} ...", flush=True)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
