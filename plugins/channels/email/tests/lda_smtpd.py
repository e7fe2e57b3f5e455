#!/usr/bin/python3
"""SMTP server for the email channel tests: aiosmtpd on 127.0.0.1 that
hands each recipient's copy to dovecot-lda (unseen mail, IDLE pushes).

Reply-code injection for the SMTP-out tests:
  RCPT TO tempfail@...  -> 451 4.3.0 (transient)
  RCPT TO reject@...    -> 550 5.1.1 (permanent)
Mail to any other address outside clinic.test/example.test is accepted and
saved under DIR/outgoing/ so tests can read what was sent.
"""
import os, signal, subprocess, sys, time
from aiosmtpd.controller import Controller

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
controller = Controller(Handler(), hostname="127.0.0.1", port=PORT)
controller.start()
try:
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
finally:
    controller.stop()
