// The email channel inside the real host: `switchboard run` with an email
// inbox (real Dovecot + aiosmtpd on loopback) and the reply plugin. Mail in
// through IMAP IDLE, the pipeline's reply out through SMTP into the
// patient's real mailbox; a kill -9 mid-stream loses and duplicates nothing;
// an auto-reply is stored but never answered; each new mail is a conversation
// of its own and a reply to our answer joins the conversation it answers.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "harness/deployment.hpp"
#include "harness/host_process.hpp"
#include "harness/store_reader.hpp"
#include "harness/temp_dir.hpp"
#include "imap_session.hpp"
#include "mail_composer.hpp"
#include "mail_parser.hpp"
#include "mail_servers.hpp"

namespace switchboard::integration {
namespace {

using plugins::email::ImapSession;
using plugins::email::OutgoingMail;
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

// Our reply that answers the mail with this Message-ID.
ParsedMail reply_to(const std::vector<ParsedMail>& replies, const std::string& message_id) {
  for (const auto& reply : replies) {
    if (reply.in_reply_to == message_id) return reply;
  }
  FAIL("no reply answers " << message_id);
  return {};
}

// The patient answers one of our replies from a client that keeps In-Reply-To/References.
std::string answer_to(const ParsedMail& ours, const std::string& id, const std::string& text) {
  OutgoingMail answer;
  answer.from_name = "Patient";
  answer.from_address = kPatient;
  answer.to_address = kAgent;
  answer.subject = ours.subject;
  answer.message_id = id;
  answer.in_reply_to = ours.message_id;
  answer.references = ours.references;
  answer.text = text;
  return plugins::email::compose(answer);
}

// Real mail servers plus a host config with the email inbox, in a temp dir.
struct EmailDeployment {
  explicit EmailDeployment(const std::string& name)
      : dir(name),
        data_dir(dir.path() / "data"),
        config(dir.write("switchboard.json", config_text(servers, data_dir))),
        store(data_dir / "switchboard.db") {}
  MailServers servers;
  TempDir dir;
  std::filesystem::path data_dir;
  std::filesystem::path config;
  StoreReader store;
  HostProcess::Environment env{{"SB_MAIL_PASSWORD", "secret"}};
};

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
  EmailDeployment deployment("sb_email_it");
  const MailServers& servers = deployment.servers;
  const StoreReader& store = deployment.store;
  const auto& config = deployment.config;
  const auto& env = deployment.env;
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

TEST_CASE("email threads in the real host: two new mails are two conversations, a reply joins its own") {
  EmailDeployment deployment("sb_email_threads");
  const MailServers& servers = deployment.servers;
  const StoreReader& store = deployment.store;
  const auto wait = std::chrono::seconds(30);
  HostProcess host(deployment.config, deployment.env);
  REQUIRE_MESSAGE(eventually([&] { return watching(host, 1); }, wait), host.log_tail());
  auto conversation_of = [&](const std::string& message_id) {
    return store.scalar("SELECT conversation_id FROM inbound_events WHERE inbox = 'mail' AND channel_message_id = '" +
                        message_id + "'");
  };

  servers.deliver(mail("t1", "Cho em đặt lịch khám"), kPatient, kAgent);
  servers.deliver(mail("t2", "Học phí bao nhiêu ạ"), kPatient, kAgent);
  std::vector<ParsedMail> replies;
  REQUIRE_MESSAGE(eventually([&] { return (replies = mailbox(servers, kPatient, "INBOX")).size() == 2; }, wait),
                  host.log_tail());
  int64_t first = conversation_of("t1@example.test");
  int64_t second = conversation_of("t2@example.test");
  CHECK(first > 0);
  CHECK(second > 0);
  CHECK(first != second);
  CHECK(store.scalar("SELECT COUNT(DISTINCT contact_id) FROM conversations WHERE inbox = 'mail'") == 1);
  ParsedMail ours = reply_to(replies, "t1@example.test");
  CHECK(ours.message_id.rfind("conversation." + std::to_string(first) + ".", 0) == 0);

  // The patient answers our reply to t1: it joins t1's conversation, and our
  // answer to it continues the same thread (references the whole chain).
  servers.deliver(answer_to(ours, "t3@example.test", "Sáng thứ Bảy được không ạ?"), kPatient, kAgent);
  REQUIRE_MESSAGE(eventually([&] { return (replies = mailbox(servers, kPatient, "INBOX")).size() == 3; }, wait),
                  host.log_tail());
  CHECK(conversation_of("t3@example.test") == first);
  ParsedMail third = reply_to(replies, "t3@example.test");
  CHECK(third.message_id.rfind("conversation." + std::to_string(first) + ".", 0) == 0);
  CHECK(third.references == std::vector<std::string>{"t1@example.test", ours.message_id, "t3@example.test"});
  CHECK(third.subject == "Re: Lịch khám t1");

  // Mail to reply+<conversation>@ (our Reply-To when plus-addressing is on) joins that conversation.
  servers.deliver(
      "From: Patient <" + std::string(kPatient) + ">\r\nTo: reply+" + std::to_string(second) +
          "@clinic.test\r\nSubject: Re: học phí\r\nMessage-ID: <t4@example.test>\r\n\r\nCòn câu hỏi nữa\r\n",
      kPatient, kAgent);
  REQUIRE_MESSAGE(eventually([&] { return mailbox(servers, kPatient, "INBOX").size() == 4; }, wait), host.log_tail());
  CHECK(conversation_of("t4@example.test") == second);
  CHECK(host.terminate() == 0);
  CHECK(store.scalar("SELECT COUNT(*) FROM conversations WHERE inbox = 'mail'") == 2);
  CHECK(store.scalar("SELECT COUNT(*) FROM messages WHERE direction = 'in' AND conversation_id = " +
                     std::to_string(first)) == 2);
}

}  // namespace switchboard::integration
