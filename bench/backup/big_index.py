#!/usr/bin/env python3
"""What failsafe's commands cost as a repository grows (issue 6: "report peak memory for a
repository of 10 million chunks"). For each size N (default 1M, 3M, 10M data blobs):

  1. a real encrypted repository of N tiny blobs (backup_synth_repo; cached in --cache, built
     once, about 40 s per million here), 16 blobs per pack and an index file per 64 packs as a
     backup writes them, and one snapshot whose trees list every blob;
  2. LoadIndex alone (backup_synth_repo --load): wall and CPU time, resident bytes per blob;
  3. `failsafe backup run` of a small tree (--tree-mib, default 50) into it, then again with
     nothing changed; `failsafe backup check` (structure); `failsafe backup snapshots`;
  4. with --engine (backup_engine_run: the same library calls as `backup run` and `check`, on
     the same allocator, built without the rest of the CLI): the same backups and check, and
     a no-change backup that loads data blob locations too (--with-locations), as `backup
     run` did before it kept ids alone.
Each step is one child measured with wait4: wall, CPU (user+sys), peak RSS (ru_maxrss). After
the steps, the files the backups added are removed, so the cached repository stays N blobs.

    big_index.py --synth build-rel/bin/backup_synth_repo [--failsafe build-rel/bin/failsafe]
        [--engine build-rel/bin/backup_engine_run] [--sizes 1000000,3000000,10000000]
        [--cache /tmp/fs-bigindex] [--json F]

Peak RSS does not depend on the machine's load; times do, so the load average is printed with
every step.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

import measure
import tools

HERE = os.path.dirname(os.path.abspath(__file__))
TREE_NAME = "bigindex-tree"


def make_tree(path, mib, seed=10):
    """A small deterministic tree: 80 % incompressible files of 1-4 MiB, 20 % text-like files
    (compressible) of 4-64 KiB. Rebuilt only when missing."""
    marker = path + ".done"
    if os.path.exists(marker):
        return
    shutil.rmtree(path, ignore_errors=True)
    rng = random.Random(seed)
    total, target, n = 0, mib << 20, 0
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, 9)))
             for _ in range(2000)]
    while total < target:
        sub = os.path.join(path, f"dir{n % 10}")
        os.makedirs(sub, exist_ok=True)
        if total < target * 0.8:
            data = rng.randbytes(rng.randrange(1 << 20, 4 << 20))
        else:
            data = b" ".join(rng.choice(words) for _ in range(rng.randrange(800, 12000)))
        with open(os.path.join(sub, f"file{n:05d}"), "wb") as f:
            f.write(data)
        total, n = total + len(data), n + 1
    open(marker, "w").close()


def build_repo(synth, repo, n, env, logs):
    """The cached repository of n blobs, generated when missing (a marker beside it says it
    was finished)."""
    marker = repo + ".done"
    if os.path.exists(marker):
        return None
    shutil.rmtree(repo, ignore_errors=True)
    r = measure.run([synth, "--repo", repo, "--chunks", str(n)], os.path.join(logs, f"gen-{n}"),
                    env=env, timeout=3600)
    if r.rc != 0:
        sys.exit(f"generating {repo} failed (exit {r.rc}): {r.err_tail()}")
    print("  " + r.out.strip(), flush=True)
    open(marker, "w").close()
    return {"wall": r.wall, "cpu": r.cpu, "rss": r.rss}


class Undo:
    """Removes what the measured runs add to a cached repository: new index and snapshot
    files, and new packs (found in the data/ subdirectories whose mtime moved, by file mtime).
    It holds no list of the 625,000 packs: this script's memory is in every child's ru_maxrss
    until the child's exec, and would show as the peak of a small command."""

    def __init__(self, repo):
        self.repo = repo
        self.start_ns = time.time_ns()
        self.small = self.files("index") | self.files("snapshots")
        self.dirs = self.data_dirs()

    def files(self, top):
        path = os.path.join(self.repo, top)
        return {os.path.join(path, f) for f in os.listdir(path)}

    def data_dirs(self):
        data = os.path.join(self.repo, "data")
        return {d: os.stat(os.path.join(data, d)).st_mtime_ns for d in os.listdir(data)}

    def __call__(self):
        for path in (self.files("index") | self.files("snapshots")) - self.small:
            os.unlink(path)
        for d, mtime in self.data_dirs().items():
            if mtime == self.dirs.get(d):
                continue
            with os.scandir(os.path.join(self.repo, "data", d)) as it:
                for e in it:
                    if e.stat().st_mtime_ns >= self.start_ns - 2_000_000_000:
                        os.unlink(e.path)


def step(name, cmd, log, env, cwd=None, timeout=900):
    load = os.getloadavg()[0]
    r = measure.run(cmd, log, cwd=cwd, env=env, timeout=timeout)
    rec = {"step": name, "wall": r.wall, "cpu": r.cpu, "rss": r.rss, "rc": r.rc, "load": load,
           "cmd": " ".join(cmd)}
    if r.rc != 0 or r.timed_out:
        rec["error"] = r.err_tail()[-600:]
    elif r.out.strip().startswith("{"):  # backup_synth_repo --load, backup_engine_run
        rec.update(json.loads(r.out.strip().splitlines()[-1]))
    extra = ""
    if rec.get("load_wall_s") and "error" not in rec:
        extra = f"   (index loaded in {rec['load_wall_s']:.2f} s, {rec['load_cpu_s']:.2f} CPU s)"
    print(f"  {name:<34} {r.wall:7.2f} s wall {r.cpu:7.2f} s CPU {r.rss / 1e6:7.1f} MB peak"
          f"   load {load:5.2f}" + (f"   FAILED: {rec['error']}" if "error" in rec else extra),
          flush=True)
    return rec


def steps_for(args, repo):
    """(key, label, command, runs in the tree's parent) for every step measured."""
    out = [("load", "load index (with locations)", [args.synth, "--repo", repo, "--load"],
            False)]
    if args.failsafe:
        fs = tools.Failsafe(args.cache, args.failsafe)
        out += [("backup", "failsafe backup run", fs.backup(repo, TREE_NAME, 1), True),
                ("nochange", "failsafe backup run (no change)", fs.backup(repo, TREE_NAME, 2),
                 True),
                ("check", "failsafe backup check", [args.failsafe, "backup", "check", "--repo",
                                                    repo], False),
                ("snapshots", "failsafe backup snapshots", [args.failsafe, "backup",
                                                            "snapshots", "--repo", repo], False)]
    if args.engine:
        run = [args.engine, "--repo", repo]
        out += [("engine_backup", "engine backup", run + ["backup", TREE_NAME], True),
                ("engine_nochange", "engine backup (no change)", run + ["backup", TREE_NAME],
                 True),
                ("engine_nochange_locations", "engine backup (no change, locations)",
                 run + ["backup", "--with-locations", TREE_NAME], True),
                ("engine_check", "engine check", run + ["check"], False)]
    return out


def measure_size(args, n, env, logs, tree_parent):
    repo = os.path.join(args.cache, f"repo-{n}")
    print(f"\n{n:,} data blobs ({repo})", flush=True)
    out = {"blobs": n, "generated": build_repo(args.synth, repo, n, env, logs)}
    undo = Undo(repo)
    try:
        for key, label, cmd, in_tree in steps_for(args, repo):
            if key == "engine_backup":
                undo()  # the engine's first backup meets the repository as failsafe's did
            out[key] = step(label, cmd, os.path.join(logs, f"{key}-{n}"), env,
                            cwd=tree_parent if in_tree else None)
            out[key]["peak_bytes_per_blob"] = out[key]["rss"] / n
        if "resident_bytes_per_blob" in out["load"]:
            print(f"  {'':<34} LoadIndex alone: {out['load']['resident_bytes_per_blob']:.1f} "
                  f"resident bytes per blob", flush=True)
    finally:
        undo()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failsafe", metavar="BIN", help="the failsafe binary")
    ap.add_argument("--engine", metavar="BIN", help="backup_engine_run")
    ap.add_argument("--synth", required=True, metavar="BIN", help="backup_synth_repo")
    ap.add_argument("--sizes", default="1000000,3000000,10000000")
    ap.add_argument("--cache", default="/tmp/fs-bigindex",
                    help="repositories and the tree, kept between runs")
    ap.add_argument("--tree-mib", type=int, default=50)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    if not args.failsafe and not args.engine:
        ap.error("--failsafe, --engine or both")
    args.synth = os.path.abspath(args.synth)
    args.failsafe = args.failsafe and os.path.abspath(args.failsafe)
    args.engine = args.engine and os.path.abspath(args.engine)
    args.cache = os.path.abspath(args.cache)
    logs = os.path.join(args.cache, "logs")
    os.makedirs(logs, exist_ok=True)
    env = dict(os.environ, FAILSAFE_BACKUP_PASSWORD=tools.PASSWORD)
    tree_parent = args.cache
    make_tree(os.path.join(tree_parent, TREE_NAME), args.tree_mib)
    info = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "uptime_start": subprocess.run(["uptime"], capture_output=True, text=True).stdout,
            "tree_bytes": measure.data_bytes(os.path.join(tree_parent, TREE_NAME))}
    print(f"big index benchmark, {info['started']}; tree {info['tree_bytes'] / 1e6:.1f} MB; "
          f"uptime: {info['uptime_start'].strip()}", flush=True)
    results = [measure_size(args, int(n), env, logs, tree_parent)
               for n in args.sizes.split(",")]
    info["uptime_end"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    print(f"\nuptime at the end: {info['uptime_end'].strip()}\n")
    keys = [k for k in results[0] if isinstance(results[0][k], dict) and "rss" in results[0][k]]
    print("peak RSS in MB (wall seconds)")
    print(f"{'step':<36}" + "".join(f"{r['blobs']:>20,}" for r in results))
    for k in keys:
        label = next(s[1] for s in steps_for(args, "") if s[0] == k)
        print(f"{label:<36}" + "".join(
            f"{r[k]['rss'] / 1e6:>11.1f} ({r[k]['wall']:5.1f})" for r in results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "results": results}, f, indent=1)
    failed = [(r["blobs"], k) for r in results for k, v in r.items()
              if isinstance(v, dict) and v.get("error")]
    if failed:
        sys.exit(f"failed steps: {failed}")


if __name__ == "__main__":
    main()
