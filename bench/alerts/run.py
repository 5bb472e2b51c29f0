#!/usr/bin/env python3
"""Alert intake benchmark: failsafe against Debian's Alertmanager 0.25 on the same machine, in
the same run, with the same wrk script (post_alerts.lua: distinct alerts to POST
/api/v2/alerts) in batches of 1 and 100. Reports alerts/s, p99 latency, resident memory per
alert after the run, and alert-to-webhook delivery p99 with no group wait (failsafe: alert ->
incident -> notification to a webhook channel; Alertmanager: alert -> its webhook receiver),
then the ratios against the goals of issue 5.

Usage: bench/alerts/run.py [path/to/failsafe]   (env: DURATION=10s CONNECTIONS=32
THREADS=2 DELIVERIES=200; HTTP_THREADS=n sets failsafe's http.threads, default: its own)"""
import json, os, re, signal, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else "build/bin/failsafe"
DURATION = os.environ.get("DURATION", "10s")
CONNECTIONS = os.environ.get("CONNECTIONS", "32")
THREADS = os.environ.get("THREADS", "2")
DELIVERIES = int(os.environ.get("DELIVERIES", "200"))
AM_BIN = "/usr/bin/prometheus-alertmanager"
work = tempfile.mkdtemp(prefix="bench-alerts-")
procs = []


def http(method, url, body=None, token=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
        return json.loads(text) if text.strip() else None, r.headers


def start(args, name, env=None):
    out = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
    procs.append(p)
    return p


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def wait_port_file(path):
    for _ in range(200):
        if os.path.exists(path) and open(path).read().strip():
            return int(open(path).read())
        time.sleep(0.05)
    raise SystemExit("no port file " + path)


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wrk(url, batch, token=""):
    env = dict(os.environ, BATCH=str(batch), TOKEN=token)
    out = subprocess.run(["wrk", "-t" + THREADS, "-c" + CONNECTIONS, "-d" + DURATION, "--latency",
                          "-s", os.path.join(HERE, "post_alerts.lua"), url],
                         env=env, capture_output=True, text=True, check=True).stdout
    def num(pattern):
        m = re.search(pattern, out)
        return m.group(1) if m else "0"
    def ms(text):
        v = float(re.match(r"[\d.]+", text).group(0))
        return v * (1000 if text.endswith("s") and not text.endswith("ms") and not text.endswith("us")
                    else 0.001 if text.endswith("us") else 1)
    secs = float(DURATION.rstrip("s"))
    sent = int(num(r"alerts_sent (\d+)"))
    return {"alerts_per_s": sent / secs, "p99_ms": ms(num(r"99%\s+(\S+)")),
            "sent": sent, "non2xx": int(num(r"non2xx (\d+)")), "raw": out}


def deliveries(post, sink_port, label):
    """Posts one alert at a time with marker BENCH-<n> in its summary and waits for the webhook
    to arrive at the sink; returns the sorted delays in ms."""
    delays = []
    for n in range(DELIVERIES):
        marker = f"BENCH-{label}{n}"
        sent = time.time() * 1000.0
        post([{"labels": {"alertname": "Delivery", "job": "delivery", "instance": marker},
               "annotations": {"summary": marker}}])
        arrived = None
        deadline = time.time() + 30
        while time.time() < deadline:
            got, _ = http("GET", f"http://127.0.0.1:{sink_port}/arrivals")
            key = marker.replace("BENCH-", "")
            if key in got:
                arrived = got[key]
                break
            time.sleep(0.0005)
        if arrived is None:
            raise SystemExit("webhook never arrived for " + marker)
        delays.append(arrived - sent)
    delays.sort()
    return delays


def pct(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


def run_failsafe(sink_port):
    routing = os.path.join(work, "routing.yaml")
    with open(routing, "w") as f:
        f.write("defaults: {group_by: [service], group_wait: 0s, group_interval: 5m}\n"
                "routes:\n"
                "  - name: delivery\n"
                "    matchers: ['job=\"delivery\"']\n"
                "    group_by: [alertname, instance]\n"
                "    group_wait: 0s\n")
    config = os.path.join(work, "failsafe.yaml")
    with open(config, "w") as f:
        f.write(f"alerts: {{routing_file: {routing}}}\n")
        if os.environ.get("HTTP_THREADS"):
            f.write(f"http: {{threads: {int(os.environ['HTTP_THREADS'])}}}\n")
    env = dict(os.environ, FAILSAFE_ADMIN_PASSWORD="Bench-Password-2026")
    p = start([BIN, "serve", "--data", os.path.join(work, "data"), "--listen", "127.0.0.1:0",
               "--log-level", "warn", "--config", config], "failsafe", env)
    addr = None
    for _ in range(400):
        m = re.search(r"listening on http://([0-9.:]+)", open(os.path.join(work, "failsafe.log")).read())
        if m:
            addr = m.group(1)
            break
        time.sleep(0.05)
    if not addr:
        raise SystemExit("failsafe did not start: " + open(os.path.join(work, "failsafe.log")).read())
    base = "http://" + addr
    # Log in, mint an admin token, create the alert source and the webhook channel.
    from http.cookiejar import CookieJar
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    req = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                 data=json.dumps({"username": "admin", "password": "Bench-Password-2026"}).encode(),
                                 headers={"Content-Type": "application/json"})
    csrf = json.loads(opener.open(req).read())["csrf_token"]
    req = urllib.request.Request(base + "/api/v1/tokens", method="POST",
                                 data=json.dumps({"name": "bench", "role": "admin"}).encode(),
                                 headers={"Content-Type": "application/json", "X-CSRF-Token": csrf})
    admin = json.loads(opener.open(req).read())["token"]
    source, _ = http("POST", base + "/api/v1/alert-sources",
                     {"name": "bench", "kind": "prometheus"}, admin)
    token = source["token"]
    http("POST", base + "/api/v1/channels",
         {"name": "sink", "type": "webhook", "url": f"http://127.0.0.1:{sink_port}/hook",
          "audiences": ["internal"]}, admin)
    post = lambda alerts: http("POST", base + "/api/v2/alerts", alerts, token)
    d = deliveries(post, sink_port, "f")  # on an idle server, before the intake load
    time.sleep(1)
    before = rss_kb(p.pid)
    r1 = wrk(base, 1, token)
    r100 = wrk(base, 100, token)
    time.sleep(1)
    after = rss_kb(p.pid)
    live = 0
    metrics = urllib.request.urlopen(base + "/metrics").read().decode()
    m = re.search(r"^failsafe_alerts_live (\S+)", metrics, re.M)
    if m:
        live = int(float(m.group(1)))
    return {"b1": r1, "b100": r100, "rss_before_kb": before, "rss_after_kb": after,
            "alerts_held": live or (r1["sent"] + r100["sent"]), "delivery": d, "pid": p.pid}


def run_alertmanager(sink_port):
    port = free_port()
    cfg = os.path.join(work, "am.yml")
    with open(cfg, "w") as f:
        f.write("route:\n  receiver: blackhole\n  group_by: [service]\n  group_wait: 0s\n"
                "  group_interval: 5m\n  routes:\n"
                "    - matchers: ['job=\"delivery\"']\n      receiver: sink\n"
                "      group_by: [alertname, instance]\n      group_wait: 0s\n"
                "receivers:\n  - name: blackhole\n  - name: sink\n    webhook_configs:\n"
                f"      - url: http://127.0.0.1:{sink_port}/hook\n")
    p = start([AM_BIN, "--config.file=" + cfg, "--storage.path=" + os.path.join(work, "am-data"),
               f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
               "--log.level=warn"], "alertmanager")
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/-/ready")
            break
        except Exception:
            time.sleep(0.1)
    post = lambda alerts: http("POST", base + "/api/v2/alerts", alerts)
    d = deliveries(post, sink_port, "a")  # on an idle server, before the intake load
    time.sleep(1)
    before = rss_kb(p.pid)
    r1 = wrk(base, 1)
    r100 = wrk(base, 100)
    time.sleep(1)
    after = rss_kb(p.pid)
    return {"b1": r1, "b100": r100, "rss_before_kb": before, "rss_after_kb": after,
            "alerts_held": r1["sent"] + r100["sent"], "delivery": d, "pid": p.pid}


def main():
    sink_file = os.path.join(work, "sink.port")
    start([sys.executable, os.path.join(HERE, "webhook_sink.py"), sink_file], "sink")
    sink_port = wait_port_file(sink_file)
    results = {}
    try:
        results["alertmanager"] = run_alertmanager(sink_port)
        procs[-1].send_signal(signal.SIGTERM)
        results["failsafe"] = run_failsafe(sink_port)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except Exception:
                p.kill()
    print(f"wrk: -t{THREADS} -c{CONNECTIONS} -d{DURATION}; deliveries: {DELIVERIES} sequential")
    print(f"{'':14}{'b1 alerts/s':>12}{'b1 p99':>10}{'b100 alerts/s':>15}{'b100 p99':>10}"
          f"{'B/alert':>9}{'deliv p50':>11}{'deliv p99':>11}")
    rows = {}
    for name, r in results.items():
        per_alert = (r["rss_after_kb"] - r["rss_before_kb"]) * 1024 / max(1, r["alerts_held"])
        rows[name] = {"b1": r["b1"]["alerts_per_s"], "b1p99": r["b1"]["p99_ms"],
                      "b100": r["b100"]["alerts_per_s"], "b100p99": r["b100"]["p99_ms"],
                      "bytes": per_alert, "d50": pct(r["delivery"], 50), "d99": pct(r["delivery"], 99),
                      "errors": r["b1"]["non2xx"] + r["b100"]["non2xx"], "held": r["alerts_held"]}
        x = rows[name]
        print(f"{name:14}{x['b1']:12.0f}{x['b1p99']:9.2f}ms{x['b100']:15.0f}{x['b100p99']:9.1f}ms"
              f"{x['bytes']:9.0f}{x['d50']:9.2f}ms{x['d99']:9.2f}ms  (non-2xx {x['errors']}, "
              f"alerts held {x['held']})")
    f, a = rows["failsafe"], rows["alertmanager"]
    print("ratios failsafe/alertmanager:")
    print(f"  alerts/s batch 1:   {f['b1'] / a['b1']:.2f}x (goal 3x)")
    print(f"  alerts/s batch 100: {f['b100'] / a['b100']:.2f}x (goal 5x)")
    print(f"  p99 batch 1:        {f['b1p99'] / a['b1p99']:.2f} (goal < 1)")
    print(f"  p99 batch 100:      {f['b100p99'] / a['b100p99']:.2f} (goal < 1)")
    print(f"  memory per alert:   {f['bytes'] / a['bytes']:.2f} (goal < 1)")
    print(f"  delivery p99:       {f['d99']:.2f} ms vs {a['d99']:.2f} ms (goal < 5 ms)")


if __name__ == "__main__":
    main()
