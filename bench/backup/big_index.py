#!/usr/bin/env python3
"""What failsafe's commands cost as a repository grows (issue 6: "report peak memory for a
repository of 10 million chunks"). For each size N (default 1M, 3M, 10M data blobs):

  1. a real encrypted repository of N tiny blobs (backup_synth_repo; cached in --cache, built
     once, about 40 s per million here), 16 blobs per pack and an index file per 64 packs as a
     backup writes them, and one snapshot whose trees list every blob;
  2. LoadIndex alone (backup_synth_repo --load): wall and CPU time, resident bytes per blob;
  3. `failsafe backup run` of a small tree (--tree-mib, default 50) into it, then again with
     nothing changed; `failsafe backup check` (structure); `failsafe backup snapshots`.
Each step is one child measured with wait4: wall, CPU (user+sys), peak RSS (ru_maxrss). After
the steps, the files the backups added are removed, so the cached repository stays N blobs.

    big_index.py --failsafe build-rel/bin/failsafe --synth build-rel/bin/backup_synth_repo \\
        [--sizes 1000000,3000000,10000000] [--cache /tmp/fs-bigindex] [--json F]

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


def listing(repo):
    """Every file under the repository's index/, snapshots/ and data/ (to undo a run)."""
    found = set()
    for top in ("index", "snapshots", "data"):
        for root, _, files in os.walk(os.path.join(repo, top)):
            found.update(os.path.join(root, f) for f in files)
    return found


def step(name, cmd, log, env, cwd=None, timeout=900):
    load = os.getloadavg()[0]
    r = measure.run(cmd, log, cwd=cwd, env=env, timeout=timeout)
    rec = {"step": name, "wall": r.wall, "cpu": r.cpu, "rss": r.rss, "rc": r.rc, "load": load,
           "cmd": " ".join(cmd)}
    if r.rc != 0 or r.timed_out:
        rec["error"] = r.err_tail()[-600:]
    print(f"  {name:<22} {r.wall:8.2f} s wall {r.cpu:8.2f} s CPU {r.rss / 1e6:8.1f} MB peak"
          f"   load {load:5.2f}" + (f"   FAILED: {rec['error']}" if "error" in rec else ""),
          flush=True)
    return rec, r


def measure_size(args, n, env, logs, tree_parent):
    repo = os.path.join(args.cache, f"repo-{n}")
    print(f"\n{n:,} data blobs ({repo})", flush=True)
    out = {"blobs": n, "generated": build_repo(args.synth, repo, n, env, logs)}
    before = listing(repo)
    try:
        rec, r = step("load index", [args.synth, "--repo", repo, "--load"],
                      os.path.join(logs, f"load-{n}"), env)
        if r.rc == 0:
            rec.update(json.loads(r.out.strip().splitlines()[-1]))
            print(f"  {'':<22} LoadIndex {rec['load_wall_s']:.2f} s wall, "
                  f"{rec['load_cpu_s']:.2f} s CPU; {rec['resident_bytes_per_blob']:.1f} resident "
                  f"bytes per blob", flush=True)
        out["load"] = rec
        fs = tools.Failsafe(args.cache, args.failsafe)
        out["backup"], _ = step("backup run (initial)", fs.backup(repo, TREE_NAME, 1),
                                os.path.join(logs, f"backup-{n}"), env, cwd=tree_parent)
        out["nochange"], _ = step("backup run (no change)", fs.backup(repo, TREE_NAME, 2),
                                  os.path.join(logs, f"nochange-{n}"), env, cwd=tree_parent)
        out["check"], _ = step("check (structure)", [args.failsafe, "backup", "check", "--repo",
                                                     repo], os.path.join(logs, f"check-{n}"), env)
        out["snapshots"], _ = step("snapshots", [args.failsafe, "backup", "snapshots", "--repo",
                                                 repo], os.path.join(logs, f"snapshots-{n}"), env)
        for k in ("backup", "nochange", "check"):
            out[k]["peak_bytes_per_blob"] = out[k]["rss"] / n
    finally:
        for path in listing(repo) - before:  # what the backups added
            os.unlink(path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--failsafe", required=True, metavar="BIN")
    ap.add_argument("--synth", required=True, metavar="BIN", help="backup_synth_repo")
    ap.add_argument("--sizes", default="1000000,3000000,10000000")
    ap.add_argument("--cache", default="/tmp/fs-bigindex",
                    help="repositories and the tree, kept between runs")
    ap.add_argument("--tree-mib", type=int, default=50)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    args.failsafe, args.synth = os.path.abspath(args.failsafe), os.path.abspath(args.synth)
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
    print(f"{'blobs':>11} {'load s':>7} {'B/blob':>7} {'backup s':>9} {'peak MB':>8} "
          f"{'nochange s':>10} {'peak MB':>8} {'check s':>8} {'peak MB':>8} {'snaps MB':>8}")
    for r in results:
        print(f"{r['blobs']:>11,} {r['load'].get('load_wall_s', 0):7.2f} "
              f"{r['load'].get('resident_bytes_per_blob', 0):7.1f} "
              f"{r['backup']['wall']:9.2f} {r['backup']['rss'] / 1e6:8.1f} "
              f"{r['nochange']['wall']:10.2f} {r['nochange']['rss'] / 1e6:8.1f} "
              f"{r['check']['wall']:8.2f} {r['check']['rss'] / 1e6:8.1f} "
              f"{r['snapshots']['rss'] / 1e6:8.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "results": results}, f, indent=1)
    failed = [(r["blobs"], k) for r in results for k, v in r.items()
              if isinstance(v, dict) and v.get("error")]
    if failed:
        sys.exit(f"failed steps: {failed}")


if __name__ == "__main__":
    main()
