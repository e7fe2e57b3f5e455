// libetpan encrypts IMAP but does not check whom it talks to: without this
// check any certificate would do, and a password could go to an impostor.
#pragma once

#include <string>

struct _mailstream;

namespace switchboard::plugins::email {

// Verifies the certificate chain the server presented on `stream` (after
// implicit TLS or STARTTLS): signed by a CA of the system trust store, or of
// `ca_file` (PEM) when that is not empty, valid now, and issued for `host`
// (a DNS name or an IP address). Throws std::runtime_error saying why not.
void verify_server_certificate(_mailstream* stream, const std::string& host, const std::string& ca_file);

}  // namespace switchboard::plugins::email
