#!/usr/bin/env python3
"""Serves N node_exporter-like series in the Prometheus text format on 127.0.0.1:PORT/metrics,
with values that move on every request the way real series do (byte counters, constant
sizes, 2-decimal gauges and CPU seconds), so Prometheus and failsafe scrape identical data.
   serve_series.py PORT [SERIES]"""
import http.server
import random
import sys
import threading

NAMES = ["node_network_receive_bytes_total", "node_disk_read_bytes_total",
         "node_filesystem_size_bytes", "node_memory_MemAvailable_bytes", "node_load1",
         "node_cpu_seconds_total", "node_network_transmit_bytes_total",
         "node_disk_written_bytes_total", "node_filesystem_avail_bytes",
         "node_pressure_cpu_waiting_seconds_total"]

port = int(sys.argv[1])
series = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rng = random.Random(1)
keys = [f'{NAMES[k % 10]}{{instance="host-{k // 100:04d}:9100",device="dev{k % 100 // 10}"}} '
        for k in range(series)]
values = [1000.0] * series
lock = threading.Lock()


def step():
    for k in range(series):
        v, kind = values[k], k % 10
        if kind in (0, 1, 6, 7):
            v += rng.randrange(100_000)
        elif kind == 8:
            v += (rng.randrange(4096) * 4096) if rng.randrange(3) == 0 else 0
        elif kind == 3:
            v = max(0.0, v + rng.randrange(2001) - 1000)
        elif kind == 4:
            v = round(max(0.0, v + (rng.randrange(41) - 20) / 100), 2)
        elif kind != 2:
            v = round(v + rng.randrange(1500) / 100, 2)
        values[k] = v


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            step()
            body = "".join(k + repr(v) + "\n" for k, v in zip(keys, values)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
