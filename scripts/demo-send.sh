#!/usr/bin/env bash
# Sends one signed message to the demo inbox, as a partner app would:
#   scripts/demo-send.sh "đặt lịch khám" [user-id] [name]
set -euo pipefail
text=${1:?usage: demo-send.sh TEXT [USER_ID] [NAME]}
user=${2:-u-1}
name=${3:-Lan}
secret=${DEMO_API_SECRET:-demo-secret}
url=${DEMO_URL:-http://127.0.0.1:8080/webhooks/demo}
body=$(jq -cn --arg id "m-$(date +%s%N)" --arg user "$user" --arg name "$name" --arg text "$text" \
  '{message_id: $id, user: {id: $user, name: $name}, text: $text}')
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')
curl -sS -X POST "$url" -H "Content-Type: application/json" -H "X-Switchboard-Signature: sha256=$sig" --data "$body"
echo
