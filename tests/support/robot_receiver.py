#!/usr/bin/python3
"""A local stand-in for the chat platforms' robot endpoints, for failsafe's tests.

Run with /usr/bin/python3. Listens on 127.0.0.1 (port 0 unless --port), writes the port to
--port-file (atomically) and prints it. Paths:

  /dingtalk/NAME?access_token=T[&timestamp=MS&sign=S]   DingTalk custom robot
  /feishu/NAME                                            Feishu custom bot
  /wecom/NAME?key=K                                       WeCom group robot
  /slack/NAME                                             Slack incoming webhook
  /webhook/NAME                                           failsafe's generic webhook

Secrets (--secret /dingtalk/NAME=SECRET, also for /feishu/ and /webhook/ paths) make the
receiver verify the signature exactly as the platform does (timestamp within one hour) and
answer like the platform when it does not match. Every accepted message is appended, once per
Idempotency-Key (a repeated key is acknowledged but not recorded again), as one JSON line to
--record. Behaviour can be changed at run time by POSTing JSON to /_control:

  {"fail": N}            answer the next N messages with the platform's error
  {"status": 500, "count": N}   answer the next N with this HTTP status
  {"hang_ms": MS, "count": N}   sleep MS before handling the next N messages
  {"hold_ms": MS, "count": N}   record the next N, then hold the answer open for MS
  {"rate_per_min": N}    throttle each path like the platform beyond N accepted a minute
  {"reset": true}        back to normal

GET /_control returns counters: requests, accepted, duplicates, rejected.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOUR_MS = 3600 * 1000


class State:
    def __init__(self, record_path, secrets):
        self.lock = threading.Lock()
        self.record_path = record_path
        self.secrets = secrets  # path -> secret
        self.seen_keys = set()  # (path, idempotency key)
        self.counters = {"requests": 0, "accepted": 0, "duplicates": 0, "rejected": 0}
        self.recent = {}  # path -> [accepted times]
        self.reset()

    def reset(self):
        self.fail = 0
        self.status = 0
        self.status_count = 0
        self.hang_ms = 0
        self.hang_count = 0
        self.hold_ms = 0
        self.hold_count = 0
        self.rate_per_min = 0

    def take(self, field):
        """Consumes one use of a counted behaviour; returns whether it applies."""
        with self.lock:
            n = getattr(self, field)
            if n > 0:
                setattr(self, field, n - 1)
                return True
            return False

    def record(self, entry, key):
        """Appends entry unless its key was seen for this path; returns True when new."""
        with self.lock:
            if key:
                k = (entry["path"], key)
                if k in self.seen_keys:
                    self.counters["duplicates"] += 1
                    return False
                self.seen_keys.add(k)
            self.counters["accepted"] += 1
            with open(self.record_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            return True

    def throttled(self, path):
        with self.lock:
            if self.rate_per_min <= 0:
                return False
            now = time.time()
            times = [t for t in self.recent.get(path, []) if now - t < 60]
            self.recent[path] = times
            if len(times) >= self.rate_per_min:
                return True
            times.append(now)
            return False


def b64_hmac(key, msg):
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def check_dingtalk(query, secret):
    ts = query.get("timestamp", [""])[0]
    sign = query.get("sign", [""])[0]  # parse_qs already URL-decoded it
    if not ts or not sign:
        return "sign not match: timestamp and sign are required"
    try:
        ts_ms = int(ts)
    except ValueError:
        return "sign not match: bad timestamp"
    if abs(time.time() * 1000 - ts_ms) > HOUR_MS:
        return "sign not match: timestamp is not within one hour"
    expected = b64_hmac(secret.encode(), (ts + "\n" + secret).encode())
    if not hmac.compare_digest(expected, sign):
        return "sign not match"
    return None


def check_feishu(body, secret):
    ts = str(body.get("timestamp", ""))
    sign = body.get("sign", "")
    try:
        ts_s = int(ts)
    except ValueError:
        return "sign match fail or timestamp is not within one hour from current time"
    if abs(time.time() - ts_s) > 3600:
        return "sign match fail or timestamp is not within one hour from current time"
    expected = b64_hmac((ts + "\n" + secret).encode(), b"")
    if not isinstance(sign, str) or not hmac.compare_digest(expected, sign):
        return "sign match fail or timestamp is not within one hour from current time"
    return None


def check_webhook(headers, raw, secret):
    ts = headers.get("X-Failsafe-Timestamp", "")
    sig = headers.get("X-Failsafe-Signature", "")
    if not ts or not sig.startswith("sha256="):
        return "missing X-Failsafe-Timestamp or X-Failsafe-Signature"
    expected = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest("sha256=" + expected, sig):
        return "signature mismatch"
    return None


# What each platform answers: (http status, body) for ok, error(message), throttled.
def answer(kind, outcome, message=""):
    if kind in ("dingtalk", "wecom"):
        if outcome == "ok":
            return 200, {"errcode": 0, "errmsg": "ok"}
        if outcome == "throttled":
            code = 130101 if kind == "dingtalk" else 45009
            return 200, {"errcode": code, "errmsg": "send too fast, exceed 20 times per minute"}
        if outcome == "sign":
            return 200, {"errcode": 310000, "errmsg": message}
        return 200, {"errcode": 400101 if kind == "dingtalk" else 93000,
                     "errmsg": message or "injected failure"}
    if kind == "feishu":
        if outcome == "ok":
            return 200, {"code": 0, "msg": "success", "data": {}}
        if outcome == "throttled":
            return 200, {"code": 11232, "msg": "frequency limited psm"}
        if outcome == "sign":
            return 200, {"code": 19021, "msg": message}
        return 200, {"code": 9499, "msg": message or "injected failure"}
    if kind == "slack":
        if outcome == "ok":
            return 200, "ok"
        if outcome == "throttled":
            return 429, "rate_limited"
        return 400, message or "invalid_payload"
    # generic webhook
    if outcome == "ok":
        return 200, {"ok": True}
    if outcome == "throttled":
        return 429, {"ok": False, "error": "rate limited"}
    if outcome == "sign":
        return 401, {"ok": False, "error": message}
    return 500, {"ok": False, "error": message or "injected failure"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set in main

    def log_message(self, fmt, *args):  # quiet: tests read the record file
        pass

    def send(self, status, body):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        ctype = "text/plain" if isinstance(body, str) else "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        if self.path.startswith("/_control"):
            with self.state.lock:
                return self.send(200, dict(self.state.counters))
        self.send(404, {"error": "not found"})

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(n) if n > 0 else b""

    def control(self, raw):
        st = self.state
        cfg = json.loads(raw or b"{}")
        with st.lock:
            if cfg.get("reset"):
                st.reset()
            count = int(cfg.get("count", 1 << 30))
            if "fail" in cfg:
                st.fail = int(cfg["fail"])
            if "status" in cfg:
                st.status, st.status_count = int(cfg["status"]), count
            if "hang_ms" in cfg:
                st.hang_ms, st.hang_count = int(cfg["hang_ms"]), count
            if "hold_ms" in cfg:
                st.hold_ms, st.hold_count = int(cfg["hold_ms"]), count
            if "rate_per_min" in cfg:
                st.rate_per_min = int(cfg["rate_per_min"])
            if "secrets" in cfg:
                st.secrets.update(cfg["secrets"])
        self.send(200, {"ok": True})

    def do_POST(self):
        raw = self.read_body()
        url = urlsplit(self.path)
        if url.path == "/_control":
            return self.control(raw)
        st = self.state
        parts = url.path.strip("/").split("/")
        kind = parts[0] if parts else ""
        if kind not in ("dingtalk", "feishu", "wecom", "slack", "webhook") or len(parts) < 2:
            return self.send(404, {"error": "unknown path " + url.path})
        with st.lock:
            st.counters["requests"] += 1
        if st.take("hang_count"):
            time.sleep(st.hang_ms / 1000.0)
        query = parse_qs(url.query)
        key = self.headers.get("Idempotency-Key", "")

        def reject(outcome, message=""):
            with st.lock:
                st.counters["rejected"] += 1
            self.send(*answer(kind, outcome, message))

        if st.take("status_count"):
            return reject_status(self, st)
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            return reject("error", "body is not UTF-8 JSON")
        secret = st.secrets.get(url.path)
        problem = None
        if kind == "dingtalk":
            if not query.get("access_token", [""])[0]:
                problem = "access_token is required"
            elif secret is not None:
                problem = check_dingtalk(query, secret)
        elif kind == "feishu" and secret is not None:
            problem = check_feishu(body, secret)
        elif kind == "wecom" and not query.get("key", [""])[0]:
            return reject("error", "invalid webhook url, key is required")
        elif kind == "webhook" and secret is not None:
            problem = check_webhook(self.headers, raw, secret)
        if problem:
            return reject("sign", problem)
        if st.take("fail"):
            return reject("error", "injected failure")
        if st.throttled(url.path):
            return reject("throttled")
        entry = {
            "path": url.path,
            "kind": kind,
            "idempotency_key": key,
            "received_at_ms": int(time.time() * 1000),
            "received_at_us": time.time_ns() // 1000,  # for latency benchmarks
            "query": {k: v[0] for k, v in query.items() if k not in ("access_token", "key")},
            "headers": {h: self.headers[h] for h in ("Content-Type", "X-Failsafe-Timestamp",
                                                     "X-Failsafe-Signature", "User-Agent")
                        if self.headers.get(h) is not None},
            "body": body,
        }
        st.record(entry, key)
        if st.take("hold_count"):
            time.sleep(st.hold_ms / 1000.0)
        self.send(*answer(kind, "ok"))


def reject_status(handler, st):
    with st.lock:
        st.counters["rejected"] += 1
        status = st.status
    handler.send(status, {"error": "injected HTTP %d" % status})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--record", required=True, help="JSON-lines file of accepted messages")
    p.add_argument("--secret", action="append", default=[], help="PATH=SECRET")
    args = p.parse_args()
    secrets = {}
    for s in args.secret:
        path, _, secret = s.partition("=")
        secrets[path] = secret
    open(args.record, "a").close()
    Handler.state = State(args.record, secrets)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, args.port_file)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
