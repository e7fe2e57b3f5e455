// Ports come from the kernel (bind to port 0, then release): a small race
// with other processes, acceptable on a test machine.
#include "mail_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "smtp_sender.hpp"

namespace switchboard::plugins::email::testing {
namespace {

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int run(const std::string& command) { return std::system(command.c_str()); }

std::string read_file(const std::string& name) {
  std::ifstream in(name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

MailServers::MailServers(bool idle, bool tls) : tls_(tls) {
  char pattern[] = "/tmp/sb-email-test-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  imap_port_ = free_port();
  smtp_port_ = free_port();
  std::string cmd = std::string(idle ? "" : "MAIL_SERVERS_NO_IDLE=1 ") + (tls ? "MAIL_SERVERS_TLS=1 " : "") +
                    EMAIL_SERVERS_SCRIPT + " start " + dir_ + " " + std::to_string(imap_port_) + " " +
                    std::to_string(smtp_port_);
  if (tls) {
    imaps_port_ = free_port();
    smtps_port_ = free_port();
    cmd += " " + std::to_string(imaps_port_) + " " + std::to_string(smtps_port_);
  }
  if (run(cmd) != 0) {
    run(std::string(EMAIL_SERVERS_SCRIPT) + " stop " + dir_);
    throw std::runtime_error("mail servers did not start; see " + dir_ + "/dovecot.log and smtp.log");
  }
}

MailServers::~MailServers() {
  run(std::string(EMAIL_SERVERS_SCRIPT) + " stop " + dir_);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void MailServers::deliver(const std::string& raw, const std::string& from, const std::string& to) const {
  SmtpOutcome outcome = smtp_send({smtp_url(), "", "", std::chrono::seconds(10), ca_file()}, from, to, raw);
  if (!outcome.delivered) throw std::runtime_error("test delivery failed: " + outcome.message);
}

std::string MailServers::ca_file() const { return tls_ ? dir_ + "/tls/ca.crt" : std::string(); }

std::string MailServers::imap_log() const { return read_file(dir_ + "/dovecot.log"); }

std::vector<std::string> MailServers::outgoing() const {
  std::vector<std::string> names;
  std::filesystem::path dir = dir_ + "/outgoing";
  if (!std::filesystem::exists(dir)) return {};
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".eml") names.push_back(entry.path().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> mails;
  for (const auto& name : names) mails.push_back(read_file(name));
  return mails;
}

}  // namespace switchboard::plugins::email::testing
