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
import json
import math
import urllib.parse
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
    # Rounds actually evaluated: iterations scheduled minus those missed because the group's
    # previous evaluation was still running.
    evals = sum(float(m.group(1)) for m in re.finditer(
        r'^prometheus_rule_group_iterations_total\{[^}]*\} (\S+)$', text, re.M)) - sum(
        float(m.group(1)) for m in re.finditer(
            r'^prometheus_rule_group_iterations_missed_total\{[^}]*\} (\S+)$', text, re.M))
    return sum(groups), len(groups), cpu, evals


SUBSET = 'instance=~"host-1[0-9]:9100"'
CHECKS = [
    f'rate(node_cpu_seconds_total{{{SUBSET}}}[1m])',
    f'increase(app_http_requests_total{{code="500", {SUBSET}}}[2m])',
    f'100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{{mode="idle", {SUBSET}}}[1m]))) > 50',
    f'predict_linear(node_filesystem_avail_bytes{{{SUBSET}}}[2m], 4 * 3600) < 0',
    f'avg_over_time(node_load1{{{SUBSET}}}[2m])',
    f'max_over_time(app_latency_seconds{{{SUBSET}}}[2m]) - min_over_time(app_latency_seconds{{{SUBSET}}}[2m])',
    f'node_memory_MemAvailable_bytes{{{SUBSET}}} / node_memory_MemTotal_bytes{{{SUBSET}}} < 0.3',
    f'sum by (instance) (rate(app_http_requests_total{{{SUBSET}}}[1m])) > bool 100',
    f'count_over_time(up{{{SUBSET}}}[2m]) or absent(nothing{{job="x"}})',
    f'up{{{SUBSET}}} == 1 unless on(instance) probe_success{{{SUBSET}}} == 0',
    f'count without (cpu, mode) (node_cpu_seconds_total{{{SUBSET}}})',
]
RAW = ('{__name__=~"node_cpu_seconds_total|app_http_requests_total|node_filesystem_avail_bytes|'
       'node_load1|app_latency_seconds|node_memory_MemAvailable_bytes|node_memory_MemTotal_bytes|'
       'up|probe_success", ' + SUBSET + '}[10m]')


def prom_query(port, query, at):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": query, "time": f"{at:.3f}"})
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)["data"]


def crosscheck(port, crosscheck_bin):
    """The CHECKS in Prometheus and in failsafe over the raw samples Prometheus holds."""
    at = math.floor(time.time() - 20) + 0.007  # off the scrape grid: no sample on a window edge
    raw = prom_query(port, RAW, at)["result"]
    series = [{"labels": s["metric"], "samples": [[round(float(t) * 1000), float(v)] for t, v in s["values"]]}
              for s in raw]
    request = json.dumps({"at": round(at * 1000), "series": series, "queries": CHECKS})
    ours = json.loads(subprocess.run([crosscheck_bin], input=request, capture_output=True, text=True,
                                     check=True).stdout)["results"]
    agree = 0
    for query, mine in zip(CHECKS, ours):
        theirs = prom_query(port, query, at)
        if theirs["resultType"] == "scalar":
            theirs_map = {(): float(theirs["result"][1])}
        else:
            theirs_map = {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in theirs["result"]}
        if isinstance(mine, dict):
            print(f"  DIFFERENT {query}: failsafe error {mine['error']}")
            continue
        mine_map = {tuple(sorted(s["labels"].items())): s["value"] for s in mine}
        bad = [k for k in set(theirs_map) | set(mine_map)
               if k not in theirs_map or k not in mine_map or
               not math.isclose(theirs_map[k], mine_map[k], rel_tol=1e-9, abs_tol=1e-9)]
        if bad:
            k = bad[0]
            print(f"  DIFFERENT {query}: {len(bad)} of {len(theirs_map)} series, e.g. {dict(k)}: "
                  f"prometheus {theirs_map.get(k)} failsafe {mine_map.get(k)}")
        else:
            agree += 1
            print(f"  same      {query}: {len(theirs_map)} series")
    print(f"cross-check: {agree} of {len(CHECKS)} expressions give the same series and values "
          f"({len(series)} raw series from Prometheus)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default="build-rel/bin/rules_bench")
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--series", type=int, default=100000)
    ap.add_argument("--rules", type=int, default=200)
    ap.add_argument("--crosscheck", default="build-rel/bin/rules_crosscheck")
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
        print("prometheus and failsafe on the same raw samples (Prometheus's /api/v1/query):")
        crosscheck(port_rules, args.crosscheck)
        server.shutdown()
        rounds.sort()
        prom_round = rounds[len(rounds) // 2]
        prom_rule_cpu = ((cpu_rules1 - cpu_rules0) - (cpu_plain1 - cpu_plain0)) / max(
            (evals1 - evals0) / max(groups, 1), 1)
        print(f"prometheus: {groups} groups, median evaluation round (sum of group durations, wall) "
              f"{prom_round:.3f} s; {(evals1 - evals0) / max(groups, 1):.0f} rounds evaluated in "
              f"{elapsed:.0f} s")
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
