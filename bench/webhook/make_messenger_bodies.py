#!/usr/bin/env python3
"""Pre-signed Messenger page webhooks for wrk (its Lua has no HMAC).

Writes COUNT lines "sha256=<hex HMAC-SHA256(app_secret, body)>\\t<body>", each body
a {"object": "page", "entry": [...]} batch with one text message (unique mid)
from one of USERS PSIDs, timestamped now, so every request is a new message
inside the 24 h window and the bot's reply goes out through the Send API.

Usage: make_messenger_bodies.py OUT COUNT APP_SECRET PAGE_ID [USERS] [RUN_TAG]
"""
import hashlib
import hmac
import json
import sys
import time


def main() -> int:
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    out, count, secret, page = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
    users = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    tag = sys.argv[6] if len(sys.argv) > 6 else "bench"
    now = int(time.time() * 1000)
    with open(out, "w", encoding="utf-8") as f:
        for n in range(count):
            psid = f"{7000000000000000 + n % users}"
            item = {
                "sender": {"id": psid},
                "recipient": {"id": page},
                "timestamp": now,
                "message": {"mid": f"m_{tag}_{n}", "text": f"Cho mình hỏi giá khám {n}"},
            }
            body = json.dumps(
                {"object": "page", "entry": [{"id": page, "time": now, "messaging": [item]}]},
                separators=(",", ":"),
                ensure_ascii=True,  # Meta sends non-ASCII as \\uXXXX escapes
            ).encode()
            signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
            f.write(f"sha256={signature}\t{body.decode()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
