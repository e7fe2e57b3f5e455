// GMime picks the header and body encodings (RFC 2047 words, quoted-
// printable or base64), so Vietnamese text survives 7-bit relays.
#include "mail_composer.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>

#include "gobject_ptr.hpp"
#include "mail_parser.hpp"

namespace switchboard::plugins::email {
namespace {

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* o) const { g_mime_format_options_free(o); }
};

std::string bracketed(const std::string& id) { return "<" + id + ">"; }

std::string references_header(const OutgoingMail& mail) {
  std::vector<std::string> ids = mail.references;
  if (!mail.in_reply_to.empty() && std::find(ids.begin(), ids.end(), mail.in_reply_to) == ids.end()) {
    ids.push_back(mail.in_reply_to);
  }
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + bracketed(id);
  return out;
}

}  // namespace

std::string reply_subject(const std::string& subject) {
  std::string head = subject.substr(0, 3);
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  if (head == "re:") return subject;
  return subject.empty() ? std::string("Re:") : "Re: " + subject;
}

std::string compose(const OutgoingMail& mail) {
  ensure_gmime();
  GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  GMimeObject* object = GMIME_OBJECT(message.get());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, mail.from_name.c_str(), mail.from_address.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, "", mail.to_address.c_str());
  if (!mail.reply_to.empty()) {
    g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, mail.from_name.c_str(),
                               mail.reply_to.c_str());
  }
  g_mime_message_set_subject(message.get(), mail.subject.c_str(), "utf-8");
  GDateTime* now = g_date_time_new_now_utc();
  g_mime_message_set_date(message.get(), now);
  g_date_time_unref(now);
  g_mime_message_set_message_id(message.get(), mail.message_id.c_str());
  if (!mail.in_reply_to.empty()) {
    g_mime_object_set_header(object, "In-Reply-To", bracketed(mail.in_reply_to).c_str(), nullptr);
  }
  std::string references = references_header(mail);
  if (!references.empty()) g_mime_object_set_header(object, "References", references.c_str(), nullptr);
  if (mail.automated) g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);

  GObjectPtr<GMimeTextPart> body(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(body.get(), mail.text.c_str());
  g_mime_text_part_set_charset(body.get(), "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(body.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(body.get()));

  std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> format(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
  return take_gstring(g_mime_object_to_string(object, format.get()));
}

}  // namespace switchboard::plugins::email
