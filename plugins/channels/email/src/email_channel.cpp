// email — a mailbox as a channel. Inbound: IMAP IDLE (poll fallback) with a
// durable UID cursor; each mail becomes one "message" event. Outbound: SMTP
// through libcurl, threaded by our own Message-IDs, loop-safe (RFC 3834).
#include <switchboard/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>

#include "imap_session.hpp"
#include "inbound_records.hpp"
#include "loop_guard.hpp"
#include "mail_composer.hpp"
#include "mail_event.hpp"
#include "mail_parser.hpp"
#include "mailbox_watcher.hpp"
#include "smtp_sender.hpp"
#include "thread_match.hpp"

namespace switchboard::plugins::email {

// Thread-safe: send()/may_send() may run on outbox threads while the
// watcher thread submits; shared state is the kv (thread-safe) and members
// that are read-only after start().
class EmailChannel : public sdk::Channel {
 public:
  static constexpr const char* kName = "email";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Email: IMAP IDLE in, SMTP out, MIME with GMime, threaded replies";
  static constexpr uint32_t kFlags = SB_PLUGIN_THREAD_SAFE;
  static constexpr std::array kFields{
      sdk::field("imap_url", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "imap://host[:port] (STARTTLS when offered) or imaps://host[:port]"),
      sdk::field("smtp_url", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr,
                 "smtp://host[:port] (STARTTLS when offered) or smtps://host[:port]"),
      sdk::field("username", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Login for IMAP and SMTP"),
      sdk::field("password", SB_FIELD_STRING, SB_FIELD_REQUIRED | SB_FIELD_SECRET, nullptr,
                 "Password for IMAP and SMTP; use \"${ENV_VAR}\""),
      sdk::field("address", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Our mailbox address (From of replies)"),
      sdk::field("display_name", SB_FIELD_STRING, 0, "\"\"", "Name shown with our address"),
      sdk::field("folder", SB_FIELD_STRING, 0, "\"INBOX\"", "Folder read for inbound mail"),
      sdk::field("poll_seconds", SB_FIELD_INTEGER, 0, "60", "Polling interval when the server has no IDLE"),
      sdk::field("reply_domain", SB_FIELD_STRING, 0, "\"\"",
                 "Domain of our Message-IDs and reply+<conversation>@ addresses; default: the address's domain"),
      sdk::field("plus_address_replies", SB_FIELD_BOOLEAN, 0, "false",
                 "Set Reply-To: reply+<conversation>@reply_domain (the domain must deliver to this mailbox)"),
      sdk::field("sent_folder", SB_FIELD_STRING, 0, "\"\"", "Folder for a copy of each sent reply; empty: no copy"),
      sdk::field("import_existing", SB_FIELD_BOOLEAN, 0, "false",
                 "On the very first start, also import mail already in the folder"),
      sdk::field("timeout_seconds", SB_FIELD_INTEGER, 0, "30", "Network timeout of IMAP and SMTP operations"),
      sdk::field("idle_restart_seconds", SB_FIELD_INTEGER, 0, "300", "IDLE is re-issued after this long"),
      sdk::field("tls_ca_file", SB_FIELD_PATH, 0, "\"\"",
                 "PEM file of the CA certificates that sign the servers' certificates (a private CA), trusted "
                 "instead of the system store; empty: the system store. Verification is never switched off"),
  };

  EmailChannel(sdk::InstanceContext ctx, const sdk::Json& config) : ctx_(ctx), records_(ctx) {
    try {
      imap_url_ = parse_mail_url(config.at("imap_url").get<std::string>(), true);
      parse_mail_url(config.at("smtp_url").get<std::string>(), false);
    } catch (const std::invalid_argument& e) {
      throw sdk::ConfigError(e.what());
    }
    smtp_.url = config.at("smtp_url").get<std::string>();
    smtp_.username = config.at("username").get<std::string>();
    smtp_.password = config.at("password").get<std::string>();
    address_ = lower(config.at("address").get<std::string>());
    if (address_.find('@') == std::string::npos) throw sdk::ConfigError("address: not an email address");
    display_name_ = config.at("display_name").get<std::string>();
    folder_ = config.at("folder").get<std::string>();
    reply_domain_ = lower(config.at("reply_domain").get<std::string>());
    if (reply_domain_.empty()) reply_domain_ = address_.substr(address_.find('@') + 1);
    plus_address_ = config.at("plus_address_replies").get<bool>();
    sent_folder_ = config.at("sent_folder").get<std::string>();
    timeout_ = std::chrono::seconds(positive(config, "timeout_seconds"));
    smtp_.timeout = timeout_;
    smtp_.ca_file = config.at("tls_ca_file").get<std::string>();
    if (!smtp_.ca_file.empty() && !std::ifstream(smtp_.ca_file).good()) {
      throw sdk::ConfigError("tls_ca_file: cannot read " + smtp_.ca_file);
    }
    watch_ = {imap_url_,
              smtp_.username,
              smtp_.password,
              folder_,
              std::chrono::seconds(positive(config, "poll_seconds")),
              std::chrono::seconds(positive(config, "idle_restart_seconds")),
              timeout_,
              config.at("import_existing").get<bool>(),
              smtp_.ca_file};
  }

  void start() override {
    normalize_ = nfc_of_host();
    watcher_ = std::make_unique<MailboxWatcher>(ctx_, watch_, [this](const std::string& raw) { receive(raw); });
    watcher_->start();
  }

  void stop() override {
    if (watcher_) watcher_->stop();
    watcher_.reset();
  }

  void may_send(sdk::SendCall& call, const sdk::Json& outbound) override { refuse_loops(call, outbound); }

  void send(sdk::SendCall& call, const sdk::Json& outbound) override {
    refuse_loops(call, outbound);
    OutgoingMail mail = outgoing(outbound);
    std::string bytes = compose(mail);
    SmtpOutcome outcome = smtp_send(smtp_, address_, mail.to_address, bytes);
    if (!outcome.delivered) {
      call.set_result({{"code", outcome.code}, {"message", outcome.message}});
      throw sdk::Error(outcome.transient ? SB_ERR_RETRY : SB_ERR_PERMANENT,
                       "smtp " + std::to_string(outcome.code) + ": " + outcome.message);
    }
    copy_to_sent(call, bytes);
    call.set_result({{"message_id", mail.message_id}, {"smtp_code", outcome.code}, {"smtp_reply", outcome.message}});
  }

 private:
  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }

  static int64_t positive(const sdk::Json& config, const char* key) {
    int64_t value = config.at(key).get<int64_t>();
    if (value <= 0) throw sdk::ConfigError(std::string(key) + ": must be positive");
    return value;
  }

  static std::string text_of(const sdk::Json& value) {
    if (value.is_string()) return value.get<std::string>();
    return value.is_null() ? std::string() : value.dump();
  }

  // The host's NFC (ABI 1.1); a 1.0 host gets GMime's output unchanged.
  TextNormalizer nfc_of_host() const {
    try {
      ctx_.fold("a", SB_TEXT_NFC);
    } catch (const sdk::Error&) {
      ctx_.warn("email: host has no text_fold; decoded text is not NFC-normalised");
      return {};
    }
    sdk::InstanceContext ctx = ctx_;
    return [ctx](std::string_view text) { return ctx.fold(text, SB_TEXT_NFC); };
  }

  // Watcher thread: one mail in. Known ids (re-fetch after a UIDVALIDITY
  // change, or a crash before the cursor moved) are not submitted again.
  void receive(const std::string& raw) {
    ParsedMail mail = parse_mail(raw, normalize_);
    std::string id = event_id_of(mail, raw);
    if (records_.contains(id)) {
      ctx_.debug("email: " + id + " was already imported; skipped");
      return;
    }
    if (mail.from_address.empty()) {
      ctx_.warn("email: mail " + id + " has no sender address; skipped");
      records_.remember(id, mail, "no sender");
      return;
    }
    std::string why = loop_reason(mail, address_);
    ctx_.submit_inbound(to_event(mail, id, why, reply_domain_));
    records_.remember(id, mail, why);
    if (!why.empty()) ctx_.info("email: " + id + " stored without automated reply (" + why + ")");
  }

  // Automated replies never go to auto-generated mail, daemons or ourselves;
  // a human agent's reply (automated: false) may.
  void refuse_loops(sdk::SendCall& call, const sdk::Json& outbound) const {
    if (!outbound.value("automated", true)) return;
    std::string recipient = lower(text_of(outbound.value("recipient", sdk::Json::object()).value("id", sdk::Json())));
    std::string why;
    std::optional<InboundRecord> answered = records_.find(text_of(outbound.value("in_reply_to", sdk::Json())));
    if (answered && !answered->loop_reason.empty()) why = "the mail answered is automatic: " + answered->loop_reason;
    if (why.empty() && is_unanswerable_address(recipient, address_)) {
      why = "no automated reply to " + (recipient.empty() ? std::string("an empty address") : recipient);
    }
    if (why.empty()) return;
    call.set_result({{"code", "loop_safety"}, {"reason", why}});
    throw sdk::Error(SB_ERR_PERMANENT, why);
  }

  OutgoingMail outgoing(const sdk::Json& outbound) const {
    OutgoingMail mail;
    mail.from_name = display_name_;
    mail.from_address = address_;
    mail.to_address = lower(text_of(outbound.value("recipient", sdk::Json::object()).value("id", sdk::Json())));
    if (mail.to_address.find('@') == std::string::npos) {
      throw sdk::Error(SB_ERR_PERMANENT, "recipient.id is not an email address: '" + mail.to_address + "'");
    }
    std::string conversation = text_of(outbound.value("conversation_id", sdk::Json()));
    std::string key = text_of(outbound.value("idempotency_key", sdk::Json()));
    if (conversation.empty() || key.empty()) {
      throw sdk::Error(SB_ERR_PERMANENT, "outbound needs conversation_id and idempotency_key");
    }
    // Stable per outbox row: a retried send is the same mail to the receiver.
    mail.message_id = our_message_id(conversation, key, reply_domain_);
    if (plus_address_) mail.reply_to = plus_address(conversation, reply_domain_);
    std::optional<InboundRecord> answered = records_.find(text_of(outbound.value("in_reply_to", sdk::Json())));
    if (answered) {
      mail.in_reply_to = answered->message_id;
      mail.references = answered->references;
    }
    std::string subject = outbound.value("subject", "");
    if (subject.empty()) subject = answered ? reply_subject(answered->subject) : display_name_;
    mail.subject = subject;
    mail.automated = outbound.value("automated", true);
    mail.text = outbound.value("text", "");
    if (mail.text.empty()) throw sdk::Error(SB_ERR_PERMANENT, "outbound has no text");
    return mail;
  }

  // The mail is already delivered: a failed copy is logged, never retried
  // (a retry would send the mail twice).
  void copy_to_sent(sdk::SendCall& call, const std::string& bytes) const {
    if (sent_folder_.empty()) return;
    try {
      ImapSession session(imap_url_, smtp_.username, smtp_.password, timeout_, smtp_.ca_file);
      session.append(sent_folder_, bytes);
    } catch (const std::exception& e) {
      call.warn(std::string("email: sent, but the copy to ") + sent_folder_ + " failed: " + e.what());
    }
  }

  sdk::InstanceContext ctx_;
  InboundRecords records_;
  MailUrl imap_url_;
  SmtpSettings smtp_;
  WatchSettings watch_;
  std::string address_;
  std::string display_name_;
  std::string folder_;
  std::string reply_domain_;
  bool plus_address_ = false;
  std::string sent_folder_;
  std::chrono::seconds timeout_{30};
  TextNormalizer normalize_;
  std::unique_ptr<MailboxWatcher> watcher_;
};

}  // namespace switchboard::plugins::email

SWITCHBOARD_PLUGIN(switchboard::plugins::email::EmailChannel)
