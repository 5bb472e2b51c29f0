#!/usr/bin/env python3
"""Log-scanning benchmark: failsafe against fail2ban-regex and grep on the same auth.log.

Runs, on one generated file (gen_auth_log.py, deterministic):
  1. failsafe logs test --rules rules.yml          (Hyperscan + RE2, per-key thresholds)
  2. failsafe logs test --filter sshd.conf         (fail2ban's own filter, unchanged)
  3. grep -cE '<the rule regex>' FILE | cat        (output piped, never /dev/null)
  4. fail2ban-regex FILE sshd.conf                 on a prefix (fail2ban manages thousands of
     lines a second; the full file would take many minutes), and failsafe --filter on the
     same prefix, so the failure counts are compared line for line.
Prints lines/s, peak RSS and the counts, then the ratios.

    run.py --binary build/bin/failsafe [--lines 2000000] [--f2b-lines 200000] [--dir DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SSHD = "/etc/fail2ban/filter.d/sshd.conf"
GREP_RE = r"Failed password for (invalid user )?\S+ from \S+"


def run_rss(cmd):
    """Runs cmd with its stdout piped to us; returns ((wall s, CPU s), peak RSS MiB, stdout,
    stderr), the RSS and CPU of this child alone (os.wait4)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = []
    for stream in (p.stdout,):
        while True:
            b = stream.read(1 << 16)
            if not b:
                break
            chunks.append(b)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    secs = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), err.decode(errors="replace")))
    cpu = usage.ru_utime + usage.ru_stime
    return (secs, cpu), usage.ru_maxrss / 1024.0, b"".join(chunks).decode(
        errors="replace"), err.decode(errors="replace")


def rule_counts(text):
    """{rule: (matched, not_failures, alerts)} from `failsafe logs test` text output."""
    counts = {}
    for m in re.finditer(r"^Rule (\S+): (\d+) matched, \d+ ignored, (\d+) matched but not "
                         r"failures, (\d+) alerts", text, re.M):
        counts[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
    return counts


def f2b_counts(text):
    m = re.search(r"Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed", text)
    if not m:
        sys.exit("cannot read fail2ban-regex's summary:\n" + text[-2000:])
    return int(m.group(3)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/bin/failsafe")
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--f2b-lines", type=int, default=200_000)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp") + "/failsafe-bench-logs")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    log = os.path.join(args.dir, "auth-%d.log" % args.lines)
    if not os.path.exists(log):
        print("generating %s ..." % log, flush=True)
        subprocess.check_call([sys.executable, os.path.join(HERE, "gen_auth_log.py"), log,
                               "--lines", str(args.lines)])
    prefix = os.path.join(args.dir, "auth-%d-head-%d.log" % (args.lines, args.f2b_lines))
    if not os.path.exists(prefix):
        with open(log, "rb") as src, open(prefix, "wb") as dst:
            for i, line in enumerate(src):
                if i >= args.f2b_lines:
                    break
                dst.write(line)
    rules = os.path.join(HERE, "rules.yml")
    n = args.lines
    rows = []

    secs, rss, out, _ = run_rss([args.binary, "logs", "test", "--rules", rules, log])
    rules_counts = rule_counts(out)
    rows.append(("failsafe --rules (3 rules)", n, secs, rss, rules_counts["ssh-bruteforce"][0]))
    fs_rules = n / secs[1]

    secs, rss, out, _ = run_rss([args.binary, "logs", "test", "--filter", SSHD, log])
    full_filter = rule_counts(out)["sshd"]
    rows.append(("failsafe --filter sshd.conf", n, secs, rss, full_filter[0]))
    fs_filter = n / secs[1]

    secs, rss, out, _ = run_rss(["grep", "-cE", GREP_RE, log])
    grep_count = int(out.strip())
    rows.append(("grep -cE (piped)", n, secs, rss, grep_count))
    grep_rate = n / secs[1]

    m = args.f2b_lines
    secs, rss, out, _ = run_rss([args.binary, "logs", "test", "--filter", SSHD, prefix])
    prefix_filter = rule_counts(out)["sshd"]
    rows.append(("failsafe --filter sshd.conf (prefix)", m, secs, rss, prefix_filter[0]))
    fs_prefix = m / secs[1]

    secs, rss, out, err = run_rss(["fail2ban-regex", prefix, SSHD])
    f2b_matched, f2b_ignored = f2b_counts(out + err)
    rows.append(("fail2ban-regex sshd.conf (prefix)", m, secs, rss, f2b_matched))
    f2b_rate = m / secs[1]

    # Lines per CPU second is the figure compared: on a shared machine wall time mostly
    # measures the neighbours. Wall time is shown too.
    print("\n%-38s %9s %7s %7s %12s %12s %9s %8s" % (
        "run", "lines", "wall s", "CPU s", "lines/CPU s", "lines/wall s", "peak MiB", "count"))
    for name, lines, (wall, cpu), rss, count in rows:
        print("%-38s %9d %7.2f %7.2f %12.0f %12.0f %9.1f %8d" % (
            name, lines, wall, cpu, lines / cpu, lines / wall, rss, count))
    print("\ncounts: grep %d lines 'Failed password ... from'; failsafe ssh-bruteforce matched %d"
          % (grep_count, rules_counts["ssh-bruteforce"][0]))
    print("failures on the %d-line prefix: fail2ban-regex %d matched + %d ignored (NOFAIL); "
          "failsafe %d matched + %d not failures -> %s"
          % (m, f2b_matched, f2b_ignored, prefix_filter[0], prefix_filter[1],
             "agree" if (f2b_matched, f2b_ignored) == prefix_filter[:2] else "DIFFER"))
    print("failures on the full file (failsafe --filter sshd.conf): %d" % full_filter[0])
    print("\nratios (lines per CPU second): failsafe --filter / fail2ban-regex: %.0fx (same prefix: %.0fx)"
          % (fs_filter / f2b_rate, fs_prefix / f2b_rate))
    print("        failsafe --rules / fail2ban-regex: %.0fx" % (fs_rules / f2b_rate))
    print("        failsafe --rules / grep: %.2f; failsafe --filter / grep: %.2f"
          % (fs_rules / grep_rate, fs_filter / grep_rate))
    ok_counts = (grep_count == rules_counts["ssh-bruteforce"][0] and
                 (f2b_matched, f2b_ignored) == prefix_filter[:2])
    sys.exit(0 if ok_counts else 1)


if __name__ == "__main__":
    main()
