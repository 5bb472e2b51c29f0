#!/usr/bin/env python3
"""A stand-in for a chat robot, for `make run`: accepts webhook posts on 127.0.0.1 and appends
each one to a file, so a developer sees failsafe's notifications without a real DingTalk or
Feishu robot. 示例通知接收端：把收到的 webhook 消息追加写入文件。

Usage: notify-sink.py PORT LOG_FILE
"""
import http.server
import json
import sys
import time

port = int(sys.argv[1])
log_path = sys.argv[2]


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            text = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            text = body.decode("utf-8", "replace")
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(time.strftime("%Y-%m-%d %H:%M:%S ") + self.path + " " + text + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
