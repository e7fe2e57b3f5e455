// The email channel against real servers: Dovecot (IMAP with IDLE) and
// aiosmtpd delivering through dovecot-lda, started on loopback per test.
// FakeHost plays the host; its kv survives instances, so destroying one
// instance and creating another is a restart.
#include <doctest/doctest.h>
#include <switchboard/testing/fake_host.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "imap_session.hpp"
#include "mail_composer.hpp"
#include "mail_parser.hpp"
#include "mail_servers.hpp"
#include "text/folding.hpp"

using switchboard::plugins::email::ImapSession;
using switchboard::plugins::email::OutgoingMail;
using switchboard::plugins::email::parse_mail;
using switchboard::plugins::email::parse_mail_url;
using switchboard::plugins::email::ParsedMail;
using switchboard::plugins::email::testing::MailServers;
using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

extern "C" const sb_plugin_v1* sb_plugin_entry_v1(const sb_host_v1* host);

namespace {

const char* kAgent = "agent@clinic.test";
const char* kPatient = "patient@example.test";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EMAIL_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A plain mail from the patient; `id` becomes its Message-ID.
std::string simple_mail(const std::string& id, const std::string& subject, const std::string& body) {
  return "From: Patient <" + std::string(kPatient) + ">\r\nTo: " + kAgent + "\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + id + ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

// The host's NFC and folding, as the real host offers them through text_fold.
void install_folder(FakeHost& host) {
  host.set_text_folder([](std::string_view text, int32_t form) {
    return form == SB_TEXT_NFC ? switchboard::text::to_nfc(text) : switchboard::text::fold(text);
  });
}

Json config(const MailServers& servers, Json extra = Json::object()) {
  Json c = {{"imap_url", servers.imap_url()},
            {"smtp_url", servers.smtp_url()},
            {"username", kAgent},
            {"password", "secret"},
            {"address", kAgent},
            {"display_name", "Phòng khám Hoa Sen"},
            {"poll_seconds", 3600}};  // so only IDLE can bring mail in quickly
  c.update(extra);
  return c;
}

// Waits for a condition the servers make true; the deadline is a hang guard, not a timing assertion.
template <typename Fn>
bool eventually(Fn&& done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::size_t count_in(const std::vector<std::string>& lines, const std::string& text) {
  return static_cast<std::size_t>(std::count_if(
      lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; }));
}

// Dovecot's login lines for the agent, and how many of them were over TLS.
std::pair<std::size_t, std::size_t> agent_logins(const MailServers& servers) {
  std::istringstream log(servers.imap_log());
  std::size_t logins = 0;
  std::size_t tls = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find("Login: user=<agent@clinic.test>") == std::string::npos) continue;
    ++logins;
    if (line.find(", TLS,") != std::string::npos) ++tls;
  }
  return {logins, tls};
}

bool watching(const FakeHost& host, std::size_t sessions = 1) {
  std::size_t n = 0;
  for (const auto& line : host.logs()) n += line.find("watching INBOX") != std::string::npos ? 1 : 0;
  return n >= sessions;
}

std::vector<std::string> messages_of(const std::string& user, const std::string& imap_url, const std::string& folder,
                                     const std::string& ca_file = "") {
  ImapSession session(parse_mail_url(imap_url, true), user, "secret", std::chrono::seconds(10), ca_file);
  session.select(folder);
  std::vector<std::string> out;
  for (uint32_t uid : session.uids_after(0)) out.push_back(session.fetch(uid));
  return out;
}

}  // namespace

TEST_CASE("new mail arrives through IDLE; a windows-1258 Vietnamese mail decodes to NFC") {
  MailServers servers;
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto channel = host.create(config(servers));
  REQUIRE(eventually([&] { return watching(host); }));
  for (const auto& line : host.logs()) {
    if (line.find("watching") != std::string::npos) CHECK(line.find("with IDLE") != std::string::npos);
  }
  auto sent = std::chrono::steady_clock::now();
  servers.deliver(fixture("vi-windows1258-outlook.eml"), "phu.luu.an@example.vn", kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 1; }));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent).count();
  MESSAGE("IDLE delivery to submit_inbound: " << ms << " ms");
  Json event = host.submitted().at(0);
  CHECK(event["id"] == "cp1258-1@example.vn");
  CHECK(event["type"] == "message");
  CHECK(event["sender"]["id"] == "phu.luu.an@example.vn");
  CHECK(event["sender"]["name"] == "Phú Lưu An");
  CHECK(event["subject"] == "Đặt lịch khám");
  CHECK(event["text"].get<std::string>().find("đặt lịch khám cho bé Hoà vào thứ Bảy") != std::string::npos);
  CHECK(event["thread"]["new"] == true);
  CHECK_FALSE(event.contains("auto"));
  // The mail stays unseen for the people reading the mailbox (BODY.PEEK).
  CHECK(messages_of(kAgent, servers.imap_url(), "INBOX").size() == 1);
}

TEST_CASE("without IDLE the channel polls every poll_seconds") {
  MailServers servers(false);
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto channel = host.create(config(servers, {{"poll_seconds", 1}}));
  REQUIRE(eventually([&] { return watching(host); }));
  bool polling = false;
  for (const auto& line : host.logs()) polling = polling || line.find("by polling every 1 s") != std::string::npos;
  CHECK(polling);
  servers.deliver(simple_mail("polled@example.test", "Poll", "hello"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 1; }));
  CHECK(host.submitted().at(0)["id"] == "polled@example.test");
  CHECK(host.submitted().at(0)["text"] == "hello");
}

TEST_CASE("a restart mid-stream neither loses nor duplicates mail, also after a UIDVALIDITY change") {
  MailServers servers;
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  std::optional<switchboard::testing::Instance> channel;
  channel.emplace(host.create(config(servers)));
  REQUIRE(eventually([&] { return watching(host, 1); }));
  for (int i = 1; i <= 3; ++i) {
    servers.deliver(simple_mail("m" + std::to_string(i) + "@example.test", "n" + std::to_string(i), "x"), kPatient,
                    kAgent);
  }
  REQUIRE(eventually([&] { return host.submitted().size() == 3; }));
  channel.reset();  // the host stops
  for (int i = 4; i <= 5; ++i) {
    servers.deliver(simple_mail("m" + std::to_string(i) + "@example.test", "n" + std::to_string(i), "x"), kPatient,
                    kAgent);
  }
  channel.emplace(host.create(config(servers)));  // and starts again
  REQUIRE(eventually([&] { return host.submitted().size() == 5; }));
  servers.deliver(simple_mail("m6@example.test", "n6", "x"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 6; }));
  std::set<std::string> ids;
  for (const auto& e : host.submitted()) ids.insert(e["id"].get<std::string>());
  CHECK(ids == std::set<std::string>{"m1@example.test", "m2@example.test", "m3@example.test", "m4@example.test",
                                     "m5@example.test", "m6@example.test"});
  CHECK(Json::parse(host.kv().at("cursor/INBOX"))["last_uid"] == 6);

  // The mailbox was rebuilt (new UIDVALIDITY): everything is re-read, nothing re-submitted.
  channel.reset();
  uint32_t validity = Json::parse(host.kv().at("cursor/INBOX"))["uidvalidity"].get<uint32_t>();
  host.kv_put("cursor/INBOX", Json{{"uidvalidity", validity + 1}, {"last_uid", 6}}.dump());
  channel.emplace(host.create(config(servers)));
  REQUIRE(eventually([&] { return Json::parse(host.kv().at("cursor/INBOX"))["uidvalidity"] == validity; }));
  REQUIRE(eventually([&] { return Json::parse(host.kv().at("cursor/INBOX"))["last_uid"] == 6; }));
  servers.deliver(simple_mail("m7@example.test", "n7", "x"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 7; }));
  CHECK(host.submitted().back()["id"] == "m7@example.test");
}

TEST_CASE("our reply carries threading headers, lands in Sent, and the answer to it joins the conversation") {
  MailServers servers;
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto channel = host.create(config(servers, {{"sent_folder", "Sent"}, {"plus_address_replies", true}}));
  REQUIRE(eventually([&] { return watching(host); }));
  servers.deliver(simple_mail("first@example.test", "=?UTF-8?Q?=C4=90=E1=BA=B7t_l=E1=BB=8Bch?=", "Cho em đặt lịch"),
                  kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 1; }));

  Json outbound = {{"text", "Dạ, mời chị đến lúc 9 giờ."},
                   {"inbox", "mail"},
                   {"conversation_id", "42"},
                   {"recipient", {{"id", kPatient}}},
                   {"in_reply_to", "first@example.test"},
                   {"automated", true},
                   {"idempotency_key", 7}};
  auto result = host.send(channel, outbound);
  REQUIRE_MESSAGE(result.status == SB_OK, result.error);
  CHECK(result.result["message_id"] == "conversation.42.message.7@clinic.test");
  CHECK(result.result["smtp_code"] == 250);

  std::vector<std::string> inbox;
  REQUIRE(eventually([&] { return (inbox = messages_of(kPatient, servers.imap_url(), "INBOX")).size() == 1; }));
  ParsedMail ours = parse_mail(inbox[0]);
  CHECK(ours.message_id == "conversation.42.message.7@clinic.test");
  CHECK(ours.in_reply_to == "first@example.test");
  CHECK(ours.references == std::vector<std::string>{"first@example.test"});
  CHECK(ours.subject == "Re: Đặt lịch");
  CHECK(ours.auto_submitted == "auto-replied");
  CHECK(ours.from_name == "Phòng khám Hoa Sen");
  CHECK(ours.text == "Dạ, mời chị đến lúc 9 giờ.");
  CHECK(inbox[0].find("<reply+42@clinic.test>") != std::string::npos);
  std::vector<std::string> sent = messages_of(kAgent, servers.imap_url(), "Sent");
  REQUIRE(sent.size() == 1);
  CHECK(parse_mail(sent[0]).message_id == ours.message_id);

  // The patient answers from a client that keeps In-Reply-To/References.
  OutgoingMail answer;
  answer.from_name = "Patient";
  answer.from_address = kPatient;
  answer.to_address = kAgent;
  answer.subject = "Re: Đặt lịch";
  answer.message_id = "second@example.test";
  answer.in_reply_to = ours.message_id;
  answer.references = ours.references;
  answer.text = "Vâng ạ.\n\nVào Th 2, 2 thg 3, 2026 vào lúc 10:00 Phòng khám <agent@clinic.test> đã viết:\n> Dạ";
  servers.deliver(compose(answer), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 2; }));
  Json reply = host.submitted().at(1);
  CHECK(reply["thread"]["conversation_id"] == "42");
  CHECK(reply["thread"]["matched_by"] == "in-reply-to");
  CHECK(reply["text"] == "Vâng ạ.");

  // A different mail from the same person with no reference to us is a new thread.
  servers.deliver(simple_mail("third@example.test", "Another question", "Hi"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 3; }));
  CHECK(host.submitted().at(2)["thread"]["new"] == true);
}

TEST_CASE("auto-replies and bounces are stored and marked, and no automated reply goes to them") {
  MailServers servers;
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto channel = host.create(config(servers));
  REQUIRE(eventually([&] { return watching(host); }));
  servers.deliver(fixture("auto-reply-out-of-office.eml"), "drwho@hospital.example", kAgent);
  servers.deliver(fixture("bounce-dsn.eml"), "", kAgent);
  servers.deliver(fixture("newsletter-bulk.eml"), "news@shop.example", kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 3; }));
  for (const auto& event : host.submitted()) {
    CAPTURE(event.dump());
    CHECK(event.contains("auto"));
    Json outbound = {{"text", "Thanks!"},          {"conversation_id", "5"}, {"recipient", event["sender"]},
                     {"in_reply_to", event["id"]}, {"automated", true},      {"idempotency_key", "9"}};
    auto check = host.may_send(channel, outbound);
    CHECK(check.status == SB_ERR_PERMANENT);
    CHECK(check.result["code"] == "loop_safety");
    CHECK(host.send(channel, outbound).status == SB_ERR_PERMANENT);
  }
  CHECK(servers.outgoing().empty());
  // A human agent may still answer the out-of-office mail.
  Json human = {{"text", "See you Monday"},
                {"conversation_id", "5"},
                {"recipient", {{"id", "drwho@far.example"}}},
                {"in_reply_to", "ooo-1@hospital.example"},
                {"automated", false},
                {"idempotency_key", "10"}};
  CHECK(host.may_send(channel, human).status == SB_OK);
  auto sent = host.send(channel, human);
  CHECK_MESSAGE(sent.status == SB_OK, sent.error);
  REQUIRE(servers.outgoing().size() == 1);
  CHECK(parse_mail(servers.outgoing()[0]).auto_submitted.empty());
}

TEST_CASE("SMTP 4xx is a retry, 5xx a dead letter with code and message; a retried send keeps its Message-ID") {
  MailServers servers;
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  auto channel = host.create(config(servers));
  Json outbound = {{"text", "Hello"},
                   {"conversation_id", "3"},
                   {"recipient", {{"id", "tempfail@far.example"}}},
                   {"automated", true},
                   {"idempotency_key", "11"}};
  auto temp = host.send(channel, outbound);
  CHECK(temp.status == SB_ERR_RETRY);
  CHECK(temp.result["code"] == 451);
  CHECK_MESSAGE(temp.result["message"].get<std::string>().find("Try again later") != std::string::npos,
                temp.result.dump());

  outbound["recipient"]["id"] = "reject@far.example";
  auto perm = host.send(channel, outbound);
  CHECK(perm.status == SB_ERR_PERMANENT);
  CHECK(perm.result["code"] == 550);
  CHECK(perm.error.find("No such user") != std::string::npos);

  outbound["recipient"]["id"] = "Someone@Far.Example";
  REQUIRE(host.send(channel, outbound).status == SB_OK);
  REQUIRE(host.send(channel, outbound).status == SB_OK);  // the outbox retried after a lost acknowledgement
  auto out = servers.outgoing();
  REQUIRE(out.size() == 2);
  CHECK(parse_mail(out[0]).message_id == "conversation.3.message.11@clinic.test");
  CHECK(parse_mail(out[1]).message_id == parse_mail(out[0]).message_id);
  CHECK(parse_mail(out[0]).subject == "Phòng khám Hoa Sen");

  // No server at all: transient.
  Json dead = config(servers, {{"smtp_url", "smtp://127.0.0.1:1"}});
  auto offline = host.create(dead);
  CHECK(host.send(offline, outbound).status == SB_ERR_RETRY);
}

TEST_CASE("TLS with a private CA: imaps:// and smtps://, then STARTTLS on imap:// and smtp://") {
  MailServers servers(true, true);
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  Json tls = {{"tls_ca_file", servers.ca_file()}, {"sent_folder", "Sent"}};
  std::optional<switchboard::testing::Instance> channel;
  Json implicit = config(servers, tls);
  implicit["imap_url"] = servers.imaps_url();
  implicit["smtp_url"] = servers.smtps_url();
  channel.emplace(host.create(implicit));
  REQUIRE(eventually([&] { return watching(host, 1); }));
  servers.deliver(simple_mail("tls-1@example.test", "TLS", "qua imaps"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 1; }));
  CHECK(host.submitted().at(0)["text"] == "qua imaps");
  Json outbound = {{"text", "Dạ"},
                   {"conversation_id", "1"},
                   {"recipient", {{"id", "someone@far.example"}}},
                   {"automated", true},
                   {"idempotency_key", "1"}};
  auto sent = host.send(*channel, outbound);  // smtps://, and the Sent copy over imaps://
  REQUIRE_MESSAGE(sent.status == SB_OK, sent.error);
  CHECK(servers.outgoing().size() == 1);
  CHECK(messages_of(kAgent, servers.imaps_url(), "Sent", servers.ca_file()).size() == 1);
  channel.reset();

  // Plain URLs: the servers offer STARTTLS (SMTP requires it), the channel takes it.
  channel.emplace(host.create(config(servers, tls)));
  REQUIRE(eventually([&] { return watching(host, 2); }));
  servers.deliver(simple_mail("tls-2@example.test", "STARTTLS", "qua starttls"), kPatient, kAgent);
  REQUIRE(eventually([&] { return host.submitted().size() == 2; }));
  outbound["idempotency_key"] = "2";
  sent = host.send(*channel, outbound);
  REQUIRE_MESSAGE(sent.status == SB_OK, sent.error);
  CHECK(servers.outgoing().size() == 2);
  channel.reset();
  auto [logins, over_tls] = agent_logins(servers);
  CHECK(logins >= 4);  // two watchers, two Sent copies, one check above
  CHECK(over_tls == logins);
}

TEST_CASE("a server whose certificate is not trusted is refused with a clear error; nothing is lost") {
  MailServers servers(true, true);
  FakeHost host(sb_plugin_entry_v1);
  install_folder(host);
  Json trusted = config(servers, {{"tls_ca_file", servers.ca_file()}, {"imap_url", servers.imaps_url()}});
  std::optional<switchboard::testing::Instance> channel;
  channel.emplace(host.create(trusted));  // the first start sets the cursor: mail from now on
  REQUIRE(eventually([&] { return watching(host, 1); }));
  channel.reset();

  // The test CA is not in the system store: without tls_ca_file both ways refuse.
  Json untrusted = config(servers, {{"imap_url", servers.imaps_url()}, {"smtp_url", servers.smtps_url()}});
  channel.emplace(host.create(untrusted));
  servers.deliver(simple_mail("held@example.test", "Held", "chờ"), kPatient, kAgent);
  REQUIRE(eventually([&] { return count_in(host.logs(), "not trusted") >= 2; }));  // logged, and retried
  std::string refusal;
  for (const auto& line : host.logs()) {
    if (line.find("not trusted") != std::string::npos) refusal = line;
  }
  MESSAGE("IMAP refusal as logged: " << refusal);
  CHECK(refusal.find("the certificate of 127.0.0.1 is not trusted") != std::string::npos);
  CHECK(refusal.find("set tls_ca_file") != std::string::npos);
  CHECK(refusal.find("reconnecting in") != std::string::npos);
  CHECK(host.submitted().empty());
  Json outbound = {{"text", "Dạ"},
                   {"conversation_id", "1"},
                   {"recipient", {{"id", "someone@far.example"}}},
                   {"automated", true},
                   {"idempotency_key", "1"}};
  auto refused = host.send(*channel, outbound);
  MESSAGE("SMTP refusal: " << refused.error);
  CHECK(refused.status == SB_ERR_RETRY);  // the outbox keeps the row and retries it
  CHECK_MESSAGE(refused.error.find("certificate") != std::string::npos, refused.error);
  CHECK(servers.outgoing().empty());
  channel.reset();

  // Once the CA is configured the held mail comes in and the reply goes out.
  channel.emplace(host.create(trusted));
  REQUIRE(eventually([&] { return host.submitted().size() == 1; }));
  CHECK(host.submitted().at(0)["id"] == "held@example.test");
  auto sent = host.send(*channel, outbound);
  CHECK_MESSAGE(sent.status == SB_OK, sent.error);
  CHECK(servers.outgoing().size() == 1);
}

TEST_CASE("config: bad URLs and addresses are config errors") {
  FakeHost host(sb_plugin_entry_v1);
  Json good = {{"imap_url", "imaps://imap.example.test"},
               {"smtp_url", "smtps://smtp.example.test"},
               {"username", "u"},
               {"password", "p"},
               {"address", "desk@example.test"}};
  for (auto [key, value] : {std::pair<const char*, const char*>{"imap_url", "http://x"},
                            {"imap_url", "imap://host:99999"},
                            {"smtp_url", "imap://x"},
                            {"address", "not-an-address"}}) {
    Json bad = good;
    bad[key] = value;
    CHECK_THROWS(host.create(bad));
  }
  Json bad_poll = good;
  bad_poll["poll_seconds"] = 0;
  CHECK_THROWS(host.create(bad_poll));
  Json missing_ca = good;
  missing_ca["tls_ca_file"] = "/nonexistent/ca.pem";
  CHECK_THROWS_WITH(host.create(missing_ca), doctest::Contains("tls_ca_file: cannot read /nonexistent/ca.pem"));
}
