// GMime walks the MIME tree; we keep the first text/plain and text/html
// bodies and list every other leaf (and any part with a filename) as an
// attachment. Undeclared 8-bit headers are tried as UTF-8, then windows-1258.
#include "mail_parser.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "gobject_ptr.hpp"
#include "html_text.hpp"
#include "reply_trimmer.hpp"

namespace switchboard::plugins::email {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* o) const { g_mime_parser_options_free(o); }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

ParserOptionsPtr make_options() {
  ParserOptionsPtr options(g_mime_parser_options_new());
  static const char* fallback[] = {"UTF-8", "windows-1258", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  return options;
}

std::string header(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_header(object, name);
  return value ? trim(value) : std::string();
}

std::string strip_brackets(std::string id) {
  id = trim(id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

std::vector<std::string> message_ids(GMimeParserOptions* options, const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  GMimeReferences* refs = g_mime_references_parse(options, text.c_str());
  if (refs == nullptr) return out;
  for (int i = 0; i < g_mime_references_length(refs); ++i) {
    const char* id = g_mime_references_get_message_id(refs, i);
    if (id != nullptr && *id != '\0') out.emplace_back(id);
  }
  g_mime_references_free(refs);
  return out;
}

struct Sender {
  std::string name;
  std::string address;
};

Sender first_mailbox(InternetAddressList* list) {
  if (list == nullptr) return {};
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
    const char* name = internet_address_get_name(a);
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    return {name ? name : "", addr ? lower(addr) : ""};
  }
  return {};
}

void add_mailboxes(InternetAddressList* list, std::vector<MailAddress>& out) {
  if (list == nullptr) return;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      add_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
      continue;
    }
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    const char* name = internet_address_get_name(a);
    if (addr != nullptr && *addr != '\0') out.push_back({name ? to_valid_utf8(name) : "", lower(addr)});
  }
}

std::string mime_type_of(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  return type ? lower(take_gstring(g_mime_content_type_get_mime_type(type))) : std::string("text/plain");
}

std::size_t decoded_size(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return 0;
  GObjectPtr<GMimeStream> sink(g_mime_stream_null_new());
  gint64 written = g_mime_data_wrapper_write_to_stream(content, sink.get());
  return written > 0 ? static_cast<std::size_t>(written) : 0;
}

// The decoded text of a part, as valid UTF-8 whatever the declared charset.
std::string part_text(GMimeTextPart* part) {
  std::string text = to_valid_utf8(take_gstring(g_mime_text_part_get_text(part)));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

struct Walk {
  ParsedMail* mail;
  bool have_plain = false;
  bool have_html = false;
};

void visit(GMimeObject* /*parent*/, GMimeObject* object, gpointer data) {
  auto& walk = *static_cast<Walk*>(data);
  std::string type = mime_type_of(object);
  if (GMIME_IS_MULTIPART(object)) return;
  if (GMIME_IS_MESSAGE_PART(object)) {
    walk.mail->attachments.push_back({"", type, 0});
    return;
  }
  if (!GMIME_IS_PART(object)) return;
  GMimePart* part = GMIME_PART(object);
  const char* filename = g_mime_part_get_filename(part);
  bool attachment = g_mime_part_is_attachment(part) || (filename != nullptr && *filename != '\0');
  if (!attachment && GMIME_IS_TEXT_PART(object)) {
    if (type == "text/plain" && !walk.have_plain) {
      walk.mail->text = part_text(GMIME_TEXT_PART(object));
      walk.have_plain = true;
      return;
    }
    if (type == "text/html" && !walk.have_html) {
      walk.mail->html = part_text(GMIME_TEXT_PART(object));
      walk.have_html = true;
      return;
    }
    if (type == "text/plain" || type == "text/html") return;  // later alternatives/quotes
  }
  walk.mail->attachments.push_back({filename ? to_valid_utf8(filename) : "", type, decoded_size(part)});
}

std::string rfc3339(GDateTime* date) {
  if (date == nullptr) return {};
  GDateTime* utc = g_date_time_to_utc(date);
  std::string out = take_gstring(g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ"));
  g_date_time_unref(utc);
  return out;
}

void read_headers(GMimeMessage* message, GMimeParserOptions* options, ParsedMail& mail) {
  GMimeObject* object = GMIME_OBJECT(message);
  const char* id = g_mime_message_get_message_id(message);
  mail.message_id = id ? strip_brackets(id) : std::string();
  const char* subject = g_mime_message_get_subject(message);
  mail.subject = subject ? to_valid_utf8(trim(subject)) : std::string();
  Sender from = first_mailbox(g_mime_message_get_reply_to(message));
  Sender author = first_mailbox(g_mime_message_get_from(message));
  // Reply-To is where the person wants answers; the name comes from From.
  mail.from_address = from.address.empty() ? author.address : from.address;
  mail.from_name = to_valid_utf8(author.name.empty() ? from.name : author.name);
  std::vector<MailAddress> to;
  add_mailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), to);
  add_mailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), mail.cc);
  for (const auto* list : {&to, &mail.cc}) {
    for (const auto& a : *list) mail.recipients.push_back(a.address);
  }
  std::vector<std::string> reply_to = message_ids(options, header(object, "In-Reply-To"));
  if (!reply_to.empty()) mail.in_reply_to = reply_to.front();
  mail.references = message_ids(options, header(object, "References"));
  mail.date = rfc3339(g_mime_message_get_date(message));
  mail.auto_submitted = lower(header(object, "Auto-Submitted"));
  mail.precedence = lower(header(object, "Precedence"));
  mail.x_autoreply = lower(header(object, "X-Autoreply"));
  mail.has_failed_recipients = !header(object, "X-Failed-Recipients").empty();
}

void normalize_all(ParsedMail& mail, const TextNormalizer& normalize) {
  if (!normalize) return;
  mail.subject = normalize(mail.subject);
  mail.from_name = normalize(mail.from_name);
  mail.text = normalize(mail.text);
  for (auto& a : mail.attachments) a.name = normalize(a.name);
  for (auto& a : mail.cc) a.name = normalize(a.name);
}

}  // namespace

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string to_valid_utf8(std::string_view bytes) {
  if (g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr)) return std::string(bytes);
  for (const char* charset : {"WINDOWS-1258", "ISO-8859-1"}) {
    gsize written = 0;
    char* converted =
        g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", charset, nullptr, &written, nullptr);
    if (converted != nullptr) {
      std::string out(converted, written);
      g_free(converted);
      return out;
    }
  }
  return std::string();  // unreachable: Latin-1 maps every byte
}

ParsedMail parse_mail(std::string_view raw, const TextNormalizer& normalize) {
  ensure_gmime();
  ParsedMail mail;
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));  // copies the bytes
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  ParserOptionsPtr options = make_options();
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return mail;
  read_headers(message.get(), options.get(), mail);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (body != nullptr) {
    mail.is_report = mime_type_of(body) == "multipart/report";
    Walk walk{&mail};
    if (GMIME_IS_MULTIPART(body)) {
      g_mime_multipart_foreach(GMIME_MULTIPART(body), &visit, &walk);
    } else {
      visit(nullptr, body, &walk);
    }
  }
  if (mail.text.empty() && !mail.html.empty()) {
    mail.text = html_to_text(mail.html);
    mail.text_from_html = true;
  }
  normalize_all(mail, normalize);
  // Markers are matched on NFC text: Gmail writes "vào lúc" with combining marks.
  std::string reply_source = mail.text_from_html ? html_to_text(cut_html_quote(mail.html)) : mail.text;
  if (mail.text_from_html && normalize) reply_source = normalize(reply_source);
  mail.reply = trim_reply(reply_source);
  if (mail.reply.empty()) mail.reply = trim_reply(mail.text);  // the HTML was all quote
  return mail;
}

}  // namespace switchboard::plugins::email
