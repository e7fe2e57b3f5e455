#!/usr/bin/env python3
"""Pre-signed api-channel webhooks for wrk (its Lua has no HMAC).

Writes COUNT lines "sha256=<hex HMAC-SHA256(secret, body)>\\t<body>", each body a
unique {"message_id", "user", "text"} message from one of USERS users, so every
request the benchmark sends is a new message (no duplicate short-cut).

Usage: make_signed_bodies.py OUT COUNT SECRET [USERS] [RUN_TAG]
"""
import hashlib
import hmac
import json
import sys


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    out, count, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
    users = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    tag = sys.argv[5] if len(sys.argv) > 5 else "bench"
    with open(out, "w", encoding="utf-8") as f:
        for n in range(count):
            user = n % users
            body = json.dumps(
                {
                    "message_id": f"{tag}-{n}",
                    "user": {"id": f"{tag}-u{user}", "name": f"Bench {user}"},
                    "text": f"hello {n}",
                },
                separators=(",", ":"),
            ).encode()
            signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
            f.write(f"sha256={signature}\t{body.decode()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
