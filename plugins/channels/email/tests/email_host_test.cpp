// The email channel inside the real host: `switchboard run` with an email
// inbox (real Dovecot + aiosmtpd on loopback) and the reply plugin. Mail in
// through IMAP IDLE, the pipeline's reply out through SMTP into the
// patient's real mailbox; a kill -9 mid-stream loses and duplicates nothing;
// an auto-reply is stored but never answered.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "harness/deployment.hpp"
#include "harness/host_process.hpp"
#include "harness/store_reader.hpp"
#include "harness/temp_dir.hpp"
#include "imap_session.hpp"
#include "mail_parser.hpp"
#include "mail_servers.hpp"

namespace switchboard::integration {
namespace {

using plugins::email::ImapSession;
using plugins::email::parse_mail;
using plugins::email::ParsedMail;
using plugins::email::testing::MailServers;

const char* kAgent = "agent@clinic.test";
const char* kPatient = "patient@example.test";

std::string config_text(const MailServers& servers, const std::filesystem::path& data_dir) {
  nlohmann::json config = {
      {"service", {{"listen", "127.0.0.1:0"}, {"data_dir", data_dir.string()}, {"retry_base_ms", 100}}},
      {"inboxes",
       {{{"id", "mail"},
         {"channel",
          {{"plugin", "email"},
           {"config",
            {{"imap_url", servers.imap_url()},
             {"smtp_url", servers.smtp_url()},
             {"username", kAgent},
             {"password", "${SB_MAIL_PASSWORD}"},
             {"address", kAgent},
             {"display_name", "Phòng khám"},
             {"poll_seconds", 3600},
             {"sent_folder", "Sent"}}}}},
         {"pipeline", "main"}}}},
      {"pipelines", {{"main", {{"steps", {{{"plugin", "reply"}, {"config", {{"text", "Đã nhận: {text}"}}}}}}}}}},
  };
  return config.dump(2) + "\n";
}

std::string mail(const std::string& id, const std::string& body) {
  return "From: Patient <" + std::string(kPatient) + ">\r\nTo: " + kAgent + "\r\nSubject: Lịch khám " + id +
         "\r\nMessage-ID: <" + id + "@example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

std::vector<ParsedMail> mailbox(const MailServers& servers, const std::string& user, const std::string& folder) {
  ImapSession session(plugins::email::parse_mail_url(servers.imap_url(), true), user, "secret",
                      std::chrono::seconds(10));
  session.select(folder);
  std::vector<ParsedMail> out;
  for (uint32_t uid : session.uids_after(0)) out.push_back(parse_mail(session.fetch(uid)));
  return out;
}

bool watching(HostProcess& host, std::size_t times) {
  std::string log = host.log();
  std::size_t n = 0;
  for (std::size_t at = log.find("watching INBOX"); at != std::string::npos; at = log.find("watching INBOX", at + 1)) {
    ++n;
  }
  return n >= times;
}

}  // namespace

TEST_CASE("email inbox in the real host: replies threaded by SMTP, kill -9 loses and duplicates nothing") {
  MailServers servers;
  TempDir dir("sb_email_it");
  auto data_dir = dir.path() / "data";
  auto config = dir.write("switchboard.json", config_text(servers, data_dir));
  StoreReader store(data_dir / "switchboard.db");
  HostProcess::Environment env{{"SB_MAIL_PASSWORD", "secret"}};
  const auto wait = std::chrono::seconds(30);

  auto host = std::make_unique<HostProcess>(config, env);
  REQUIRE_MESSAGE(eventually([&] { return watching(*host, 1); }, wait), host->log_tail());
  servers.deliver(mail("a1", "Cho em đặt lịch sáng mai"), kPatient, kAgent);
  std::vector<ParsedMail> replies;
  REQUIRE_MESSAGE(eventually([&] { return (replies = mailbox(servers, kPatient, "INBOX")).size() == 1; }, wait),
                  host->log_tail());
  CHECK(replies[0].text == "Đã nhận: Cho em đặt lịch sáng mai");
  CHECK(replies[0].in_reply_to == "a1@example.test");
  CHECK(replies[0].subject == "Re: Lịch khám a1");
  CHECK(replies[0].auto_submitted == "auto-replied");
  CHECK(replies[0].message_id.rfind("conversation.", 0) == 0);

  // An out-of-office answer is stored, and the bot's reply to it is blocked.
  servers.deliver(
      "From: Patient <patient@example.test>\r\nTo: agent@clinic.test\r\nSubject: Auto: away\r\n"
      "Message-ID: <away@example.test>\r\nAuto-Submitted: auto-replied\r\n\r\nI am away.\r\n",
      kPatient, kAgent);
  REQUIRE(eventually(
      [&] {
        return store.scalar(
                   "SELECT COUNT(*) FROM outbox WHERE status = 'blocked' AND payload_json LIKE "
                   "'%away@example.test%'") == 1;
      },
      wait));

  host->kill_hard();  // mid-stream: mail arrives while the host is down
  servers.deliver(mail("a2", "Chiều được không ạ"), kPatient, kAgent);
  servers.deliver(mail("a3", "Cảm ơn"), kPatient, kAgent);
  host = std::make_unique<HostProcess>(config, env);
  REQUIRE_MESSAGE(eventually([&] { return mailbox(servers, kPatient, "INBOX").size() == 3; }, wait), host->log_tail());
  servers.deliver(mail("a4", "Hẹn gặp lại"), kPatient, kAgent);
  REQUIRE_MESSAGE(eventually([&] { return mailbox(servers, kPatient, "INBOX").size() == 4; }, wait), host->log_tail());
  CHECK(host->terminate() == 0);

  CHECK(store.scalar("SELECT COUNT(*) FROM inbound_events WHERE inbox = 'mail'") == 5);
  CHECK(store.scalar("SELECT COUNT(DISTINCT channel_message_id) FROM inbound_events WHERE inbox = 'mail'") == 5);
  CHECK(store.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 4);
  std::set<std::string> answered;
  for (const auto& reply : mailbox(servers, kPatient, "INBOX")) answered.insert(reply.in_reply_to);
  CHECK(answered == std::set<std::string>{"a1@example.test", "a2@example.test", "a3@example.test", "a4@example.test"});
  CHECK(mailbox(servers, kAgent, "Sent").size() == 4);
  CHECK(servers.outgoing().empty());  // nothing went to the auto-replier
}

}  // namespace switchboard::integration
