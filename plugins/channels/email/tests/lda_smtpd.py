#!/usr/bin/python3
"""SMTP server for the email channel tests: aiosmtpd on 127.0.0.1 that
hands each recipient's copy to dovecot-lda (unseen mail, IDLE pushes).

Reply-code injection for the SMTP-out tests:
  RCPT TO tempfail@...  -> 451 4.3.0 (transient)
  RCPT TO reject@...    -> 550 5.1.1 (permanent)
Mail to any other address outside clinic.test/example.test is accepted and
saved under DIR/outgoing/ so tests can read what was sent.

With CERT KEY SMTPS_PORT after CONF and PORT: PORT requires STARTTLS and a
second server speaks implicit TLS (smtps) on SMTPS_PORT.
"""
import os, signal, ssl, subprocess, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

CONF, PORT = sys.argv[1], int(sys.argv[2])
DIR = os.path.dirname(CONF)
LOCAL = ("@clinic.test", "@example.test")


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "tempfail":
            return "451 4.3.0 Try again later"
        if local == "reject":
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        for rcpt in envelope.rcpt_tos:
            if rcpt.lower().endswith(LOCAL):
                lda = subprocess.run(["/usr/lib/dovecot/dovecot-lda", "-c", CONF, "-d", rcpt,
                                      "-f", envelope.mail_from or ""], input=data, capture_output=True)
                if lda.returncode != 0:
                    sys.stderr.write("lda failed: %r\n" % lda.stderr)
                    return "451 4.3.0 Local delivery failed"
            else:
                out = os.path.join(DIR, "outgoing")
                os.makedirs(out, exist_ok=True)
                name = "%d-%s.eml" % (time.time_ns(), rcpt.lower())
                with open(os.path.join(out, name + ".tmp"), "wb") as f:
                    f.write(data)
                os.rename(os.path.join(out, name + ".tmp"), os.path.join(out, name))
        return "250 Message accepted"


# Block SIGTERM/SIGINT before the server thread starts (it inherits the
# mask), then wait for one here and shut down cleanly.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
def authenticate(server, session, envelope, mechanism, auth_data):
    """AUTH (offered over TLS only, as submission servers do): the test users."""
    ok = getattr(auth_data, "login", None) in (b"agent@clinic.test", b"patient@example.test") \
        and getattr(auth_data, "password", None) == b"secret"
    return AuthResult(success=ok)


controllers = []
if len(sys.argv) > 3:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    controllers.append(Controller(Handler(), hostname="127.0.0.1", port=PORT, tls_context=context,
                                  require_starttls=True, authenticator=authenticate))
    controllers.append(Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[5]), ssl_context=context,
                                  authenticator=authenticate))
else:
    controllers.append(Controller(Handler(), hostname="127.0.0.1", port=PORT))
for controller in controllers:
    controller.start()
try:
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
finally:
    for controller in controllers:
        controller.stop()
