#!/usr/bin/env bash
# Real mail servers for the email channel tests, on loopback only:
#   mail_servers.sh start DIR IMAP_PORT SMTP_PORT   Dovecot (IMAP, Maildir, passwd-file)
#                                                   + aiosmtpd delivering through dovecot-lda
#   mail_servers.sh stop DIR                        kills exactly the two recorded pids
# MAIL_SERVERS_TLS=1 start DIR IMAP_PORT SMTP_PORT IMAPS_PORT SMTPS_PORT: a test CA
# and a server certificate for 127.0.0.1 are made with the openssl CLI in
# DIR/tls (ca.crt is what clients must trust); IMAP offers STARTTLS (Dovecot
# logs "TLS" with each login that used it), IMAPS listens on IMAPS_PORT; SMTP
# requires STARTTLS and SMTPS (implicit TLS) listens on SMTPS_PORT.
# As root, Dovecot's login and internal processes run as dovenull/dovecot and
# mail is owned by the dovecot user; otherwise everything runs as the caller.
# MAIL_SERVERS_NO_IDLE=1 makes Dovecot leave IDLE out of its capabilities
# (the poll-fallback test). Users: agent@clinic.test and patient@example.test, password "secret".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd="${1:?start|stop}"
dir="$(cd "${2:?DIR}" && pwd)"

wait_gone() {  # pid: wait until the process has exited (Dovecot takes 1-3 s)
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

wait_port() {  # port: wait until something listens on it
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "mail_servers: nothing listens on port $1" >&2
  return 1
}

if [[ "$cmd" == stop ]]; then
  for f in smtp.pid dovecot.pid; do
    [[ -s "$dir/$f" ]] || continue
    pid="$(cat "$dir/$f")"
    kill "$pid" 2>/dev/null || true
    wait_gone "$pid"
    rm -f "$dir/$f"
  done
  exit 0
fi

imap_port="${3:?IMAP_PORT}"
smtp_port="${4:?SMTP_PORT}"
tls="${MAIL_SERVERS_TLS:-0}"
imaps_port=0
smtps_port=0
if [[ "$tls" == 1 ]]; then
  imaps_port="${5:?IMAPS_PORT}"
  smtps_port="${6:?SMTPS_PORT}"
fi
mkdir -p "$dir/run" "$dir/state" "$dir/mail" "$dir/home"
if [[ $(id -u) -eq 0 ]]; then
  mail_user=dovecot; login_user=dovenull
  uid="$(id -u dovecot)"; gid="$(id -g dovecot)"
  touch "$dir/dovecot.log"  # dovecot-lda, run by the unprivileged SMTP server, logs here too
  chown "$uid:$gid" "$dir/mail" "$dir/home" "$dir/dovecot.log"
  chmod 755 "$dir"
else
  mail_user="$(id -un)"; login_user="$mail_user"
  uid="$(id -u)"; gid="$(id -g)"
fi
mail_group="$(id -gn "$mail_user")"

ssl_settings="ssl = no"
if [[ "$tls" == 1 ]]; then
  t="$dir/tls"
  mkdir -p "$t"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$t/ca.key" -out "$t/ca.crt" -days 2 -subj "/CN=Switchboard test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>>"$dir/tls.log"
  openssl req "${ec[@]}" -keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=127.0.0.1" 2>>"$dir/tls.log"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$t/server.ext"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
    -extfile "$t/server.ext" -out "$t/server.crt" 2>>"$dir/tls.log"
  chown -R "$uid:$gid" "$t"  # the SMTP server reads the key as the mail user
  ssl_settings="ssl = yes
ssl_cert = <$t/server.crt
ssl_key = <$t/server.key"
fi
capability=""
if [[ "${MAIL_SERVERS_NO_IDLE:-0}" == 1 ]]; then
  capability="imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE UIDPLUS NAMESPACE UNSELECT CHILDREN SPECIAL-USE"
fi

cat >"$dir/users" <<USERS
agent@clinic.test:{PLAIN}secret:::::
patient@example.test:{PLAIN}secret:::::
USERS

cat >"$dir/dovecot.conf" <<CONF
instance_name = switchboard-test-$imap_port
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
$capability
listen = 127.0.0.1
$ssl_settings
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$dir/mail/%u
mail_uid = $uid
mail_gid = $gid
first_valid_uid = $uid
first_valid_gid = $gid
default_internal_user = $mail_user
default_internal_group = $mail_group
default_login_user = $login_user
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = create
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    user = $mail_user
  }
  unix_listener stats-writer {
    user = $mail_user
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/home/%u
}
CONF

dovecot -c "$dir/dovecot.conf"
for _ in $(seq 1 100); do [[ -s "$dir/run/master.pid" ]] && break; sleep 0.1; done
cp "$dir/run/master.pid" "$dir/dovecot.pid"
wait_port "$imap_port"
if [[ "$tls" == 1 ]]; then wait_port "$imaps_port"; fi

# The SMTP server (and the dovecot-lda it runs) needs no privileges: as root
# it runs as the mail user.
as_mail_user=()
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$dir/outgoing" && chown "$uid:$gid" "$dir/outgoing"
  as_mail_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups)
fi
tls_args=()
if [[ "$tls" == 1 ]]; then tls_args=("$dir/tls/server.crt" "$dir/tls/server.key" "$smtps_port"); fi
"${as_mail_user[@]}" /usr/bin/python3 "$here/lda_smtpd.py" "$dir/dovecot.conf" "$smtp_port" "${tls_args[@]}" \
  >>"$dir/smtp.log" 2>&1 &
echo $! >"$dir/smtp.pid"
wait_port "$smtp_port"
if [[ "$tls" == 1 ]]; then wait_port "$smtps_port"; fi
