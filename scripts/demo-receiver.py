#!/usr/bin/env python3
"""Stands in for a partner app in the demo: receives the replies the `api`
channel POSTs to its callback_url, checks their signature and prints them.
Usage: demo-receiver.py [port] (default 8090); secret from DEMO_API_SECRET."""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ.get("DEMO_API_SECRET", "demo-secret").encode()


class Replies(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        given = self.headers.get("X-Switchboard-Signature", "")
        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(given, expected):
            self.send_response(401)
            self.end_headers()
            print("demo-receiver: refused a reply with a bad signature", flush=True)
            return
        reply = json.loads(body)
        print(f"\n>>> reply to {reply['user_id']} (re {reply['in_reply_to']}): {reply['text']}\n", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
print(f"demo-receiver: replies arrive at http://127.0.0.1:{port}/replies", flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Replies).serve_forever()
