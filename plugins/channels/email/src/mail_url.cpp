// Default ports: IMAP 143/993, SMTP 587 (submission, STARTTLS) / 465.
#include "mail_url.hpp"

#include <stdexcept>

namespace switchboard::plugins::email {

MailUrl parse_mail_url(const std::string& url, bool imap) {
  MailUrl out;
  std::size_t sep = url.find("://");
  if (sep == std::string::npos) throw std::invalid_argument("not a URL: " + url);
  out.scheme = url.substr(0, sep);
  std::string plain = imap ? "imap" : "smtp";
  if (out.scheme != plain && out.scheme != plain + "s") {
    throw std::invalid_argument("scheme must be " + plain + ":// or " + plain + "s://");
  }
  out.implicit_tls = out.scheme.back() == 's';
  std::string rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find('/'));
  std::size_t colon = rest.rfind(':');
  out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
  if (out.host.empty()) throw std::invalid_argument("no host in " + url);
  if (colon == std::string::npos) {
    out.port = imap ? (out.implicit_tls ? 993 : 143) : (out.implicit_tls ? 465 : 587);
    return out;
  }
  std::string port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) == 0 || std::stoul(port) > 65535) {
    throw std::invalid_argument("bad port in " + url);
  }
  out.port = static_cast<uint16_t>(std::stoul(port));
  return out;
}

}  // namespace switchboard::plugins::email
