#!/usr/bin/env python3
"""A webhook receiver for the delivery benchmark: records, for each POST, the arrival time
(time.time() in ms) and the marker it finds in the body (BENCH-<n>). Writes its port to the
file given as argv[1]; GET /arrivals returns {marker: ms} as JSON."""
import json, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

arrivals = {}
lock = threading.Lock()
MARK = re.compile(rb"BENCH-(\w+)")

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.time() * 1000.0
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            for m in MARK.findall(body):
                arrivals.setdefault(m.decode(), now)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def do_GET(self):
        with lock:
            data = json.dumps(arrivals).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
