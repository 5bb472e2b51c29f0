"""Printing the backup benchmark: a line per step as it runs, the machine's limits, the table of
every step, the engine's share of the limits, and the issue's goals as ratios."""
MB = 1e6
STEPS = [("initial", "initial backup"), ("nochange", "no-change backup"),
         ("changed", "backup after change"), ("restore", "full restore (verified)"),
         ("check", "check --read-data")]


def fmt(v, spec=".1f", missing="-"):
    return missing if v is None else format(v, spec)


def progress(tool, step, temp, rec):
    if rec.get("ok"):
        repo = f", repo {rec['repo'] / MB:.0f} MB" if "repo" in rec else ""
        warn = f" (exit {rec['rc']}, warnings)" if rec.get("warning") else ""
        print(f"  {tool:8} {step:8} {temp}: {rec['wall']:.2f} s wall, {rec['cpu']:.2f} s CPU, "
              f"{rec['rss'] / MB:.0f} MB peak{repo}; load {rec['load']:.2f}{warn}", flush=True)
    else:
        print(f"  {tool:8} {step:8} {temp}: FAILED {rec.get('error')}", flush=True)


def limits(lim):
    print("machine limits (one core for the ciphers and zstd):")
    for key, label in (("sha256", "SHA-256"), ("aes256gcm", "AES-256-GCM")):
        print(f"  {label:12} {fmt(lim[key] and lim[key] / MB, '.0f')} MB/s")
    z = lim["zstd"]
    if isinstance(z, dict):
        for level, (ratio, comp, dec) in sorted(z.items()):
            print(f"  zstd -{level}      {comp / MB:.0f} MB/s compress, {dec / MB:.0f} MB/s "
                  f"decompress, ratio {ratio:.2f} on {lim['zstd_sample_bytes'] / MB:.0f} MB of "
                  f"text and table")
    else:
        print(f"  zstd: failed: {z}")
    for temp in ("read_cold", "read_warm"):
        for label, r in lim[temp].items():
            state = "FAILED " + str(r["error"]) if not r["ok"] else \
                f"{r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU"
            print(f"  read dataset ({temp[5:]}, {label}): {state}")
    print(flush=True)


def best_read(info, temp="read_cold"):
    """Seconds of the fastest way measured to read the whole dataset (the physical limit)."""
    walls = [r["wall"] for r in info["limits"][temp].values() if r["ok"]]
    return min(walls) if walls else None


def step_bytes(info, step):
    d = info["dataset"]
    return d["bytes"] if step in ("initial", "nochange") else d.get("changed_bytes", d["bytes"])


def get(results, tool, step, temp="cold"):
    rec = results.get(tool, {}).get(step, {}).get(temp)
    return rec if rec and rec.get("ok") else None


def table(info, results, names):
    head = (f"{'tool':9}{'step':23}{'cold: wall s':>13}{'CPU s':>8}{'peak MB':>9}{'MB/s':>8}"
            f"{'warm: wall s':>14}{'CPU s':>8}{'peak MB':>9}{'MB/s':>8}{'repo MB':>9}{'load':>6}")
    print(head)
    failures = []
    for name in names:
        for step, label in STEPS:
            cells = [f"{name:9}{label:23}"]
            for temp, width in (("cold", 13), ("warm", 14)):
                rec = results.get(name, {}).get(step, {}).get(temp)
                if rec is None:
                    cells.append(f"{'-':>{width}}{'-':>8}{'-':>9}{'-':>8}")
                elif not rec.get("ok"):
                    cells.append(f"{'FAILED':>{width}}{'':>8}{'':>9}{'':>8}")
                    failures.append((name, label, temp, rec.get("error")))
                else:
                    mbs = step_bytes(info, step) / rec["wall"] / MB
                    cells.append(f"{rec['wall']:{width}.2f}{rec['cpu']:8.2f}"
                                 f"{rec['rss'] / MB:9.0f}{mbs:8.0f}")
            cold = results.get(name, {}).get(step, {}).get("cold") or {}
            cells.append(f"{fmt(cold.get('repo') and cold['repo'] / MB, '.0f'):>9}"
                         f"{fmt(cold.get('load'), '.2f'):>6}")
            print("".join(cells))
    shown = set()
    for name, label, temp, error in failures:
        if error.startswith("skipped: "):  # one line for a program that could not start
            if name not in shown:
                print(f"\n{name}: every step {error}")
                shown.add(name)
        else:
            print(f"\n{name} {label} ({temp}) failed: {error}")
    print()


def shares(info, results, names):
    """Each program's initial backup against the limits: its throughput over the cold read's,
    and the CPU the unavoidable work costs (hash and encrypt every byte, compress the
    compressible part at zstd -1) over the CPU it used."""
    lim, d = info["limits"], info["dataset"]
    read = best_read(info)
    z = lim["zstd"].get(1) if isinstance(lim["zstd"], dict) else None
    floor = None
    if lim["sha256"] and lim["aes256gcm"] and z:
        floor = d["bytes"] / lim["sha256"] + d["bytes"] / lim["aes256gcm"] + \
            (d["bytes"] - d["images"]) / z[1]
    print("share of the machine's limits (initial backup, cold):")
    if read:
        print(f"  reading the dataset cold: {read:.2f} s = {d['bytes'] / read / MB:.0f} MB/s")
    if floor:
        print(f"  CPU floor (SHA-256 + AES-256-GCM of every byte, zstd -1 of text and table): "
              f"{floor:.2f} s of one core")
    for name in names:
        rec = get(results, name, "initial")
        if not rec:
            print(f"  {name:9} -")
            continue
        parts = [f"{d['bytes'] / rec['wall'] / MB:.0f} MB/s"]
        if read:
            parts.append(f"{read / rec['wall'] * 100:.0f} % of the cold read's throughput "
                         f"(time {rec['wall'] / read:.2f}x the read)")
        if floor:
            parts.append(f"CPU floor / CPU used {floor / rec['cpu'] * 100:.0f} %")
        print(f"  {name:9} " + ", ".join(parts))
    print()


def ratio(results, a, b, step, key="wall"):
    """How many times b's figure a's is (b / a): a speed-up when a is faster."""
    ra, rb = get(results, a, step), get(results, b, step)
    if not ra or not rb or not ra.get(key):
        return None
    return rb[key] / ra[key]


def goals(info, results, names):
    """The issue's goals for failsafe, as ratios measured in this run (cold page cache)."""
    fs = "failsafe"
    final = {n: (get(results, n, "changed") or {}).get("repo") for n in names}
    peak = {n: max((r["rss"] for s in results.get(n, {}).values() if isinstance(s, dict)
                    for r in s.values() if r.get("ok")), default=None) for n in names}
    initial = get(results, fs, "initial")
    read = best_read(info)
    def speedup(peer, step, goal):
        return (ratio(results, fs, peer, step), goal, ">=", ratio(results, fs, peer, step, "cpu"))

    def share(a, b, goal):
        return (a / b if a and b else None, goal, "<=", None)

    rows = [
        ("initial backup throughput, failsafe / restic", *speedup("restic", "initial", 2.5)),
        ("initial backup throughput, failsafe / borg", *speedup("borg", "initial", 4.0)),
        ("no-change backup speed-up vs restic", *speedup("restic", "nochange", 3.0)),
        ("restore speed-up vs restic", *speedup("restic", "restore", 2.0)),
        ("check --read-data speed-up vs restic", *speedup("restic", "check", 2.0)),
        ("repository size, failsafe / restic", *share(final.get(fs), final.get("restic"), 1.0)),
        ("peak memory, failsafe / restic", *share(peak.get(fs), peak.get("restic"), 1.0)),
        ("initial backup time / cold read time",
         *share(initial and initial["wall"], read, 1.5)),
    ]
    out = []
    print("goals (cold page cache, same run; 'by CPU' is the same ratio of CPU seconds, which "
          "neighbours on a shared machine disturb less):")
    for label, value, goal, sense, by_cpu in rows:
        if value is None:
            verdict = "n/a" if get(results, fs, "initial") else "pending (no failsafe figure)"
        else:
            verdict = "PASS" if (value >= goal if sense == ">=" else value <= goal) else "FAIL"
        cpu = f"  (by CPU {by_cpu:.2f})" if by_cpu is not None else ""
        print(f"  {label:48} {fmt(value, '.2f'):>6}  goal {sense} {goal:<4} {verdict}{cpu}")
        out.append({"goal": label, "value": value, "by_cpu": by_cpu,
                    "target": f"{sense} {goal}", "verdict": verdict})
    print("\npeers against each other and the limit (cold):")
    for label, value in (
            ("restic initial / cold read time", (lambda r: r and read and r["wall"] / read)(
                get(results, "restic", "initial"))),
            ("borg initial / cold read time", (lambda r: r and read and r["wall"] / read)(
                get(results, "borg", "initial"))),
            ("restic / borg initial backup throughput", ratio(results, "restic", "borg",
                                                              "initial")),
            ("restic / borg restore speed", ratio(results, "restic", "borg", "restore")),
            ("restic / borg check --read-data speed", ratio(results, "restic", "borg", "check")),
            ("restic / borg initial backup, by CPU", ratio(results, "restic", "borg", "initial",
                                                           "cpu"))):
        print(f"  {label:48} {fmt(value, '.2f'):>6}")
    return out


def summary(info, results, names):
    d = info["dataset"]
    m = info["machine"]
    print("\n" + "=" * 100)
    print(f"backup benchmark, {info['started']}; {m['cpus']} CPUs ({m['model']}), "
          f"{m['memory'] / 2**30:.0f} GiB RAM, kernel {m['kernel']}")
    print("load average at start {:.2f} {:.2f} {:.2f}, at end {:.2f} {:.2f} {:.2f}".format(
        *info["load_start"], *info.get("load_end", (0, 0, 0))))
    print("versions: " + "; ".join(f"{k}: {v}" for k, v in info["versions"].items()))
    print(f"dataset: scale {info['scale']}, seed {info['seed']}: {d['bytes'] / MB:.0f} MB "
          f"(text {d['text'] / MB:.0f}, images {d['images'] / MB:.0f}, table "
          f"{d['table'] / MB:.0f}); after the change {d.get('changed_bytes', 0) / MB:.0f} MB")
    print(f"  {d['output'].splitlines()[-1]}")
    if not info.get("cache_dropped", True):
        print("  NOTE: the page cache could not be dropped; 'cold' figures are warm")
    if "failsafe_snapshots" in info:
        print(f"  failsafe backup snapshots --json: {info['failsafe_snapshots']}")
    print()
    limits(info["limits"])
    table(info, results, names)
    shares(info, results, names)
    return goals(info, results, names)
