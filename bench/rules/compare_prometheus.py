#!/usr/bin/python3
"""Rule evaluation: failsafe against Debian's Prometheus on the same series and rules.

1. rules_bench writes the 200 rules as a Prometheus rule file and two consecutive scrapes of
   its 100,000 series; a scrape target here (standard library HTTP server) serves the series
   going on with the same slopes, one step per 15 s.
2. Two real Prometheus servers scrape it every 15 s for --minutes: one evaluates the rules
   every 15 s, the other has no rules (so the difference in their CPU is the rules' cost
   without the scraping and storage both do). Read from their /metrics: the sum over the
   groups of prometheus_rule_group_last_duration_seconds (time per evaluation round) and
   process_cpu_seconds_total.
3. rules_bench then evaluates the same rules over the same number of samples per series
   (--history = the minutes Prometheus ran) in failsafe's evaluator.

Usage: bench/rules/compare_prometheus.py [--bench build-rel/bin/rules_bench] [--minutes 3]
"""

import argparse
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Series:
    """The series of two consecutive scrapes, continued linearly every 15 s."""

    def __init__(self, first, second):
        self.names, self.v0, self.dv = [], [], []
        with open(first) as a, open(second) as b:
            for la, lb in zip(a, b):
                name, va = la.rstrip("\n").rsplit(" ", 1)
                _, vb = lb.rstrip("\n").rsplit(" ", 1)
                self.names.append(name)
                self.v0.append(float(va))
                self.dv.append(float(vb) - float(va))
        self.start = time.time()

    def exposition(self):
        step = int((time.time() - self.start) / 15)
        return "".join(f"{n} {v + step * d!r}\n" for n, v, d in zip(self.names, self.v0, self.dv)).encode()


def serve(series, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = series.exposition()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_prometheus(workdir, name, target_port, rules):
    port = free_port()
    os.makedirs(f"{workdir}/{name}")
    config = f"{workdir}/{name}/prometheus.yml"
    with open(config, "w") as f:
        f.write("global: {scrape_interval: 15s, evaluation_interval: 15s, scrape_timeout: 14s}\n")
        if rules:
            f.write(f"rule_files: ['{rules}']\n")
        f.write("scrape_configs:\n  - job_name: bench\n    honor_labels: true\n"
                f"    static_configs: [{{targets: ['127.0.0.1:{target_port}']}}]\n")
    proc = subprocess.Popen(
        ["/usr/bin/prometheus", f"--config.file={config}", f"--storage.tsdb.path={workdir}/{name}/data",
         f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=open(f"{workdir}/{name}/log", "w"))
    return proc, port


def metrics(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        text = r.read().decode()
    groups = [float(m.group(1)) for m in re.finditer(
        r'^prometheus_rule_group_last_duration_seconds\{[^}]*\} (\S+)$', text, re.M)]
    cpu = float(re.search(r"^process_cpu_seconds_total (\S+)$", text, re.M).group(1))
    evals = sum(float(m.group(1)) for m in re.finditer(
        r'^prometheus_rule_group_iterations_total\{[^}]*\} (\S+)$', text, re.M))
    return sum(groups), len(groups), cpu, evals


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default="build-rel/bin/rules_bench")
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--series", type=int, default=100000)
    ap.add_argument("--rules", type=int, default=200)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="rules_bench_")
    procs = []
    try:
        rules = f"{work}/rules.yaml"
        subprocess.run([args.bench, "--series", str(args.series), "--rules", str(args.rules),
                        "--history", "0", "--rounds", "0", "--write-rules", rules,
                        "--expose", f"{work}/series.prom"], check=True, stdout=subprocess.DEVNULL)
        series = Series(f"{work}/series.prom", f"{work}/series.prom.next")
        target_port = free_port()
        server = serve(series, target_port)
        with_rules, port_rules = start_prometheus(work, "with-rules", target_port, rules)
        without, port_plain = start_prometheus(work, "no-rules", target_port, None)
        procs = [with_rules, without]
        time.sleep(5)
        warmup = 60
        print(f"Prometheus {subprocess.run(['/usr/bin/prometheus', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
        print(f"scraping {args.series} series every 15 s; {args.rules} rules every 15 s; "
              f"warm-up {warmup} s, then measuring for {args.minutes * 60 - warmup:.0f} s")
        time.sleep(warmup)
        _, _, cpu_rules0, evals0 = metrics(port_rules)
        _, _, cpu_plain0, _ = metrics(port_plain)
        t0 = time.time()
        rounds = []
        while time.time() - t0 < args.minutes * 60 - warmup:
            time.sleep(15)
            total, groups, _, _ = metrics(port_rules)
            rounds.append(total)
        _, groups, cpu_rules1, evals1 = metrics(port_rules)
        _, _, cpu_plain1, _ = metrics(port_plain)
        elapsed = time.time() - t0
        server.shutdown()
        rounds.sort()
        prom_round = rounds[len(rounds) // 2]
        prom_rule_cpu = ((cpu_rules1 - cpu_rules0) - (cpu_plain1 - cpu_plain0)) / max(
            (evals1 - evals0) / max(groups, 1), 1)
        print(f"prometheus: {groups} groups, median evaluation round (sum of group durations) "
              f"{prom_round:.3f} s")
        print(f"prometheus: CPU with rules minus CPU without, per round: {prom_rule_cpu:.3f} s "
              f"({prom_rule_cpu / 15 * 100:.2f} % of one core)")
        history = int(args.minutes * 60)
        out = subprocess.run([args.bench, "--series", str(args.series), "--rules", str(args.rules),
                              "--history", str(history), "--rounds", "10"],
                             capture_output=True, text=True, check=True).stdout
        print("failsafe (same series and rules, same samples per series):")
        print("  " + out.strip().replace("\n", "\n  "))
        ours_cpu = float(re.search(r"CPU per round mean (\S+) s", out).group(1))
        ours_wall = float(re.search(r"wall mean (\S+) s", out).group(1))
        print(f"ratio (Prometheus / failsafe): evaluation round time {prom_round / ours_wall:.1f}x, "
              f"rule CPU {prom_rule_cpu / ours_cpu:.1f}x")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
