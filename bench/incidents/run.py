#!/usr/bin/python3
"""Incident response benchmark (issue 3). Run with /usr/bin/python3 (standard library only).

Two measurements, each on its own fresh `failsafe serve` (SQLite store in a temporary
directory) with the real robot receiver of the tests (tests/support/robot_receiver.py) on
127.0.0.1:

1. declare -> first robot message: POST /api/v1/incidents with the example plan
   pm-system-outage, one incident at a time, and wait until the DingTalk robot (signed, the
   platform's 加签 check done by the receiver) has the incident's first message. The latency is
   the receiver's arrival time minus the time just before the POST. p50/p99/max over --declares
   incidents. The channel's rate limit is lifted for this run (a real DingTalk robot takes 20 a
   minute; the limiter would then measure the platform, not failsafe).

2. open incidents with running escalation timers: --open incidents (P3, an escalation policy
   whose only level pages a person after --delay seconds), then
   - idle CPU: the server's user+system CPU over a window in which nothing is due and nobody
     calls it (after the declarations' notifications were delivered);
   - timer lateness: when every timer has come due, fired_at - due_at of each from the store
     (read-only), p50/p99/max and how many were later than 1 s; and that every page reached
     the webhook receiver exactly once.

Usage: bench/incidents/run.py [--binary build/bin/failsafe] [--declares 1000] [--open 5000]
                              [--delay 150] [--idle 30]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECEIVER = os.path.join(ROOT, "tests", "support", "robot_receiver.py")
PLAN = os.path.join(ROOT, "examples", "plans", "pm-system-outage.yaml")
PASSWORD = "Bench-Password-2026"
SECRET = "SECbench0123456789"
TICKS = os.sysconf("SC_CLK_TCK")


def log(*args):
    print(*args, flush=True)


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(p / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def wait_for_file(path, what, proc, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        if proc.poll() is not None:
            sys.exit(f"{what} exited with {proc.returncode}")
        time.sleep(0.02)
    sys.exit(f"{what} did not start within {timeout} s")


class Receiver:
    """tests/support/robot_receiver.py in a subprocess; reads its record file incrementally."""

    def __init__(self, work):
        os.makedirs(work, exist_ok=True)
        self.record = os.path.join(work, "received.jsonl")
        port_file = os.path.join(work, "receiver.port")
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", RECEIVER, "--port-file", port_file, "--record", self.record,
             "--secret", f"/dingtalk/bench={SECRET}"],
            stdout=subprocess.DEVNULL)
        wait_for_file(port_file, "robot receiver", self.proc)
        self.port = int(open(port_file).read())
        self.offset = 0
        self.entries = []

    def poll(self):
        with open(self.record, encoding="utf-8") as f:
            f.seek(self.offset)
            chunk = f.read()
        end = chunk.rfind("\n")
        if end < 0:
            return
        self.offset += len(chunk[:end + 1].encode("utf-8"))
        for line in chunk[:end].split("\n"):
            self.entries.append(json.loads(line))

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Server:
    def __init__(self, binary, work):
        self.data = os.path.join(work, "data")
        out = os.path.join(work, "server.out")
        env = dict(os.environ, FAILSAFE_ADMIN_PASSWORD=PASSWORD)
        self.proc = subprocess.Popen(
            [binary, "serve", "--data", self.data, "--listen", "127.0.0.1:0", "--log-level",
             "warn"], stdout=open(out, "w"), stderr=open(os.path.join(work, "server.err"), "w"),
            env=env)
        deadline = time.time() + 30
        addr = None
        while time.time() < deadline and addr is None:
            m = re.search(r"listening on http://([0-9.]+):(\d+)", open(out).read())
            if m:
                addr = (m.group(1), int(m.group(2)))
            elif self.proc.poll() is not None:
                sys.exit("server exited: " + open(os.path.join(work, "server.err")).read())
            else:
                time.sleep(0.05)
        if addr is None:
            sys.exit("server did not start")
        self.host, self.port = addr
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.headers = {"Content-Type": "application/json"}
        self.login()

    def call(self, method, path, body=None, content_type=None, expect=(200, 201, 204)):
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode("utf-8")
        if content_type:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        if resp.status not in expect:
            sys.exit(f"{method} {path}: HTTP {resp.status}: {raw[:500]!r}")
        return json.loads(raw) if raw else None, resp

    def login(self):
        body, resp = self.call("POST", "/api/v1/auth/login",
                               {"username": "admin", "password": PASSWORD})
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        self.headers.update({"Cookie": cookie, "X-CSRF-Token": body["csrf_token"]})
        token, _ = self.call("POST", "/api/v1/tokens", {"name": "bench", "role": "admin"})
        self.headers = {"Content-Type": "application/json",
                        "Authorization": "Bearer " + token["token"]}

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime

    def rss_mb(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def add_service_and_plan(server):
    server.call("POST", "/api/v1/services",
                {"key": "jira", "name": "Jira", "tier": "critical", "rto": "4h", "rpo": "1h"})
    server.call("POST", "/api/v1/plans/import?filename=pm-system-outage.yaml",
                open(PLAN, encoding="utf-8").read(), content_type="application/yaml")
    server.call("POST", "/api/v1/plans/pm-system-outage/approve", {})


def first_message_latency(binary, declares, work):
    receiver = Receiver(work)
    server = Server(binary, work)
    try:
        add_service_and_plan(server)
        server.call("POST", "/api/v1/channels", {
            "name": "ops-dingtalk", "type": "dingtalk", "secret": SECRET,
            "url": f"http://127.0.0.1:{receiver.port}/dingtalk/bench?access_token=bench",
            "rate_limit": {"per_minute": 0, "per_second": 0}})
        first_seen = {}  # incident ref -> receiver arrival, µs since the epoch
        latencies_ms = []
        started = time.time()
        for i in range(declares):
            t0_us = time.time_ns() // 1000
            body, _ = server.call("POST", "/api/v1/incidents", {
                "title": f"Jira unavailable #{i}", "severity": "P1", "services": ["jira"],
                "plan": "pm-system-outage"})
            ref = body["id"]
            deadline = time.time() + 10
            while ref not in first_seen:
                receiver.poll()
                for e in receiver.entries:
                    m = re.search(r"INC-\d{4}-\d+", json.dumps(e["body"], ensure_ascii=False))
                    if m and m.group(0) not in first_seen:
                        first_seen[m.group(0)] = e["received_at_us"]
                receiver.entries.clear()
                if ref in first_seen:
                    break
                if time.time() > deadline:
                    sys.exit(f"no robot message for {ref} within 10 s")
                time.sleep(0.0005)
            latencies_ms.append((first_seen[ref] - t0_us) / 1000.0)
            if (i + 1) % 100 == 0:
                log(f"  {i + 1}/{declares} declared, p50 so far "
                    f"{statistics.median(latencies_ms):.1f} ms")
        elapsed = time.time() - started
        return {"count": len(latencies_ms), "p50": percentile(latencies_ms, 50),
                "p90": percentile(latencies_ms, 90), "p99": percentile(latencies_ms, 99),
                "max": max(latencies_ms), "mean": statistics.mean(latencies_ms),
                "elapsed_s": elapsed, "rss_mb": server.rss_mb()}
    finally:
        server.stop()
        receiver.stop()


def escalation_timers(binary, count, delay_s, idle_s, work):
    receiver = Receiver(work)
    server = Server(binary, work)
    try:
        add_service_and_plan(server)
        server.call("POST", "/api/v1/people",
                    {"handle": "oncall", "name": "On-call 值班", "phone": "13800000000"})
        server.call("POST", "/api/v1/policies", {
            "key": "bench", "name": "bench", "repeat": 0,
            "levels": [{"delay": f"{delay_s}s",
                        "targets": [{"type": "person", "key": "oncall"}]}]})
        server.call("PATCH", "/api/v1/severities/P3", {"escalation_policy": "bench"})
        server.call("POST", "/api/v1/channels", {
            "name": "pages", "type": "webhook",
            "url": f"http://127.0.0.1:{receiver.port}/webhook/pages"})

        started = time.time()
        for i in range(count):
            server.call("POST", "/api/v1/incidents", {
                "title": f"ERP report slow #{i}", "severity": "P3", "services": ["jira"]})
            if (i + 1) % 1000 == 0:
                log(f"  {i + 1}/{count} declared ({time.time() - started:.0f} s)")
        declared_s = time.time() - started
        first_due = started + delay_s

        # The declarations' announcements go out first; the idle window starts when they are in.
        while True:
            receiver.poll()
            if len(receiver.entries) >= count:
                break
            if time.time() > first_due - 5:
                sys.exit("announcements still not delivered when the first timer comes due: "
                         "raise --delay")
            time.sleep(0.2)
        window = min(idle_s, first_due - 2 - time.time())
        if window < 5:
            sys.exit("no idle window before the first timer is due: raise --delay")
        cpu0, t0 = server.cpu_seconds(), time.time()
        time.sleep(window)
        cpu1, t1 = server.cpu_seconds(), time.time()
        idle_share = (cpu1 - cpu0) / (t1 - t0)
        rss = server.rss_mb()

        # Wait until every timer is due, plus a margin, then read the store.
        time.sleep(max(0.0, started + declared_s + delay_s + 3 - time.time()))
        db = sqlite3.connect(f"file:{server.data}/failsafe.db?mode=ro", uri=True)
        rows = db.execute("SELECT due_at, fired_at FROM incident_timers WHERE kind = "
                          "'escalation'").fetchall()
        db.close()
        fired = [(f - d) for d, f in rows if f is not None]
        pending = sum(1 for _, f in rows if f is None)
        deadline = time.time() + 60
        while time.time() < deadline:
            receiver.poll()
            if len(receiver.entries) >= 2 * count:
                break
            time.sleep(0.2)
        pages = [e for e in receiver.entries if e["body"].get("kind") == "escalation"]
        keys = {e["idempotency_key"] for e in pages}
        return {"timers": len(rows), "fired": len(fired), "pending": pending,
                "late_p50_ms": percentile(fired, 50), "late_p99_ms": percentile(fired, 99),
                "late_max_ms": max(fired) if fired else float("nan"),
                "late_over_1s": sum(1 for x in fired if x > 1000), "declare_s": declared_s,
                "idle_window_s": t1 - t0, "idle_cpu_share": idle_share, "rss_mb": rss,
                "pages_received": len(pages), "distinct_pages": len(keys)}
    finally:
        server.stop()
        receiver.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=os.path.join(ROOT, "build", "bin", "failsafe"))
    p.add_argument("--declares", type=int, default=1000)
    p.add_argument("--open", type=int, default=5000)
    p.add_argument("--delay", type=int, default=150, help="escalation delay, seconds")
    p.add_argument("--idle", type=int, default=30, help="idle CPU window, seconds")
    p.add_argument("--only", choices=["latency", "timers"])
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="failsafe-bench-incidents-")
    try:
        log(f"failsafe incident benchmark — {os.cpu_count()} cores, {args.binary}")
        if args.only in (None, "latency"):
            log(f"[1] declare with plan -> first DingTalk message, {args.declares} incidents")
            r = first_message_latency(args.binary, args.declares, os.path.join(work, "a"))
            log(f"    p50 {r['p50']:.1f} ms  p90 {r['p90']:.1f} ms  p99 {r['p99']:.1f} ms  "
                f"max {r['max']:.1f} ms  mean {r['mean']:.1f} ms  ({r['count']} incidents in "
                f"{r['elapsed_s']:.1f} s; server RSS {r['rss_mb']:.0f} MB)")
        if args.only in (None, "timers"):
            log(f"[2] {args.open} open incidents, escalation due {args.delay} s after each")
            r = escalation_timers(args.binary, args.open, args.delay, args.idle,
                                  os.path.join(work, "b"))
            log(f"    declared in {r['declare_s']:.1f} s; idle CPU "
                f"{100 * r['idle_cpu_share']:.2f} % of one core over {r['idle_window_s']:.0f} s "
                f"(RSS {r['rss_mb']:.0f} MB)")
            log(f"    timers {r['timers']}: fired {r['fired']}, still pending {r['pending']}; "
                f"late p50 {r['late_p50_ms']:.0f} ms p99 {r['late_p99_ms']:.0f} ms max "
                f"{r['late_max_ms']:.0f} ms; later than 1 s: {r['late_over_1s']}")
            log(f"    pages received {r['pages_received']} ({r['distinct_pages']} distinct keys)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
