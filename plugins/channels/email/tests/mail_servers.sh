#!/usr/bin/env bash
# Real mail servers for the email channel tests, on loopback only:
#   mail_servers.sh start DIR IMAP_PORT SMTP_PORT   Dovecot (IMAP, Maildir, passwd-file)
#                                                   + aiosmtpd delivering through dovecot-lda
#   mail_servers.sh stop DIR                        kills exactly the two recorded pids
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
ssl = no
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
    port = 0
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

# The SMTP server (and the dovecot-lda it runs) needs no privileges: as root
# it runs as the mail user.
as_mail_user=()
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$dir/outgoing" && chown "$uid:$gid" "$dir/outgoing"
  as_mail_user=(setpriv --reuid="$uid" --regid="$gid" --clear-groups)
fi
"${as_mail_user[@]}" /usr/bin/python3 "$here/lda_smtpd.py" "$dir/dovecot.conf" "$smtp_port" >>"$dir/smtp.log" 2>&1 &
echo $! >"$dir/smtp.pid"
wait_port "$smtp_port"
