// MIME parsing, quote stripping, loop safety, threading and composing, on
// the hand-written fixtures in tests/fixtures (see make_fixtures.py).
#include <doctest/doctest.h>
#include <glib.h>

#include <fstream>
#include <sstream>

#include "html_text.hpp"
#include "loop_guard.hpp"
#include "mail_composer.hpp"
#include "mail_event.hpp"
#include "mail_parser.hpp"
#include "reply_trimmer.hpp"
#include "text/folding.hpp"
#include "thread_match.hpp"

using namespace switchboard::plugins::email;

namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(EMAIL_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ParsedMail parse_fixture(const std::string& name) {
  return parse_mail(read_fixture(name), [](std::string_view t) { return switchboard::text::to_nfc(t); });
}

}  // namespace

TEST_CASE("windows-1258 name, subject and body decode to NFC Vietnamese") {
  ParsedMail m = parse_fixture("vi-windows1258-outlook.eml");
  CHECK(m.from_name == "Phú Lưu An");
  CHECK(m.from_address == "phu.luu.an@example.vn");
  CHECK(m.subject == "Đặt lịch khám");
  CHECK(m.text.find("Tôi muốn đặt lịch khám cho bé Hoà vào thứ Bảy.") != std::string::npos);
  CHECK(m.text.find("Cảm ơn nhiều ạ.") != std::string::npos);
  CHECK(m.text == switchboard::text::to_nfc(m.text));
  CHECK(m.message_id == "cp1258-1@example.vn");
  CHECK(m.date == "2026-03-02T02:15:00Z");
  REQUIRE(m.cc.size() == 1);
  CHECK(m.cc[0].name == "Trần Thị Hương");
  CHECK(m.cc[0].address == "huong.tran@example.vn");
}

TEST_CASE("Gmail Vietnamese reply: the NFD attribution wrapped over two lines is cut, quotes dropped") {
  ParsedMail m = parse_fixture("vi-gmail-reply-alternative.eml");
  CHECK(m.from_name == "Nguyễn Thị Ánh");
  CHECK(m.subject == "Re: Đặt lịch");
  CHECK_FALSE(m.text_from_html);
  CHECK(m.reply == "Dạ, chiều thứ Sáu được không ạ?");
  CHECK(m.text.find("vào lúc 23:12") != std::string::npos);  // NFC'd full text keeps the history
  CHECK(m.in_reply_to == "conversation.42.message.7@clinic.test");
  REQUIRE(m.references.size() == 2);
  CHECK(m.references[0] == "first@gmail.example");
  CHECK(m.html.find("gmail_quote") != std::string::npos);
}

TEST_CASE("Outlook HTML-only mail: text comes from HTML, cut at divRplyFwdMsg") {
  ParsedMail m = parse_fixture("vi-outlook-html-only.eml");
  CHECK(m.from_name == "Lê Văn Cường");
  CHECK(m.text_from_html);
  CHECK(m.text.find("Em xin hủy lịch hẹn ngày mai & đặt lại sau.") != std::string::npos);
  CHECK(m.text.find("Lịch hẹn của anh là 9 giờ sáng mai.") != std::string::npos);
  CHECK(m.text.find("p {margin:0}") == std::string::npos);
  CHECK(m.reply == "Em xin hủy lịch hẹn ngày mai & đặt lại sau.\nCảm ơn <phòng khám>");
}

TEST_CASE("English Gmail reply: the attribution wrapped before 'wrote:' is cut") {
  ParsedMail m = parse_fixture("en-gmail-reply-signature.eml");
  CHECK(m.from_address == "john.smith@example.com");
  CHECK(m.reply == "Tuesday at 10 works for me.\nThanks!");
}

TEST_CASE("Outlook plain text: signature delimiter and Original Message both cut") {
  CHECK(parse_fixture("en-outlook-original-message.eml").reply == "Please send the invoice again.");
  ParsedMail m = parse_fixture("en-outlook-header-block.eml");
  CHECK(m.reply == "Got it, thank you.");
}

TEST_CASE("trim_reply recognises Vietnamese Outlook header labels and mobile signatures") {
  std::string text =
      "Vâng, em cảm ơn.\n\nĐược gửi từ iPhone của tôi\n\nTừ: Phòng khám <agent@clinic.test>\n"
      "Đã gửi: Thứ Hai\nĐến: Lan\nChủ đề: Lịch\n\nNội dung cũ";
  CHECK(trim_reply(text) == "Vâng, em cảm ơn.");
  CHECK(trim_reply("Vào 19-08-2017 02:28, <x@y.vn> đã viết:\n> cũ") == "Vào 19-08-2017 02:28, <x@y.vn> đã viết:\n> cũ");
  CHECK(trim_reply("Ok\n\nVào 19-08-2017 02:28, <x@y.vn> đã viết:\n> cũ") == "Ok");
  CHECK(trim_reply("On Monday I will come.\nSee you") == "On Monday I will come.\nSee you");
  CHECK(trim_reply("Answer\n> a\nmore\n> b\n") == "Answer\n> a\nmore");
}

TEST_CASE("attachments are listed with RFC 2231 names, types and decoded sizes") {
  ParsedMail m = parse_fixture("attachments-mixed.eml");
  CHECK(m.text == "Em gửi đơn thuốc và ảnh chụp.");
  REQUIRE(m.attachments.size() == 2);
  CHECK(m.attachments[0].name == "Đơn thuốc.pdf");
  CHECK(m.attachments[0].content_type == "application/pdf");
  CHECK(m.attachments[0].size == 270);
  CHECK(m.attachments[1].name == "photo.png");
  CHECK(m.attachments[1].content_type == "image/png");
  CHECK(m.attachments[1].size == 256);
  auto event = to_event(m, event_id_of(m, ""), "", "clinic.test");
  CHECK(event["attachments"][1]["type"] == "image");
  CHECK(event["attachments"][0]["type"] == "file");
}

TEST_CASE("raw 8-bit UTF-8 headers and a body without charset decode") {
  ParsedMail m = parse_fixture("raw-utf8-headers-no-charset.eml");
  CHECK(m.from_name == "Trần Văn Bình");
  CHECK(m.subject == "Hỏi giá khám tổng quát");
  CHECK(m.text == "Cho em hỏi giá khám tổng quát ạ.");
}

TEST_CASE("bytes that are not UTF-8 are read as windows-1258, never as U+FFFD") {
  CHECK(to_valid_utf8("Ho\xe0") == "Hoà");
  CHECK(to_valid_utf8("ok") == "ok");
}

TEST_CASE("loop guard: auto-replies, bounces, bulk mail, daemons and ourselves are never answered") {
  CHECK(loop_reason(parse_fixture("auto-reply-out-of-office.eml"), "agent@clinic.test") ==
        "auto-submitted: auto-replied");
  ParsedMail dsn = parse_fixture("bounce-dsn.eml");
  CHECK(dsn.is_report);
  CHECK(loop_reason(dsn, "agent@clinic.test") == "delivery or read report (multipart/report)");
  CHECK(loop_reason(parse_fixture("newsletter-bulk.eml"), "agent@clinic.test") == "precedence: bulk");
  CHECK(loop_reason(parse_fixture("en-gmail-reply-signature.eml"), "agent@clinic.test").empty());
  ParsedMail own = parse_fixture("en-gmail-reply-signature.eml");
  CHECK(loop_reason(own, "john.smith@example.com") == "sent from our own address");
  ParsedMail daemon;
  daemon.from_address = "mailer-daemon@mx.example";
  CHECK(loop_reason(daemon, "agent@clinic.test") == "sender is mailer-daemon@mx.example");
  ParsedMail asked_no;
  asked_no.from_address = "a@b.example";
  asked_no.auto_submitted = "no";
  CHECK(loop_reason(asked_no, "agent@clinic.test").empty());
}

TEST_CASE("threading: plus-address, In-Reply-To, References, else a new thread") {
  auto plus = match_thread(parse_fixture("plus-address-reply.eml"), "clinic.test");
  REQUIRE(plus);
  CHECK(plus->conversation_id == "42");
  CHECK(plus->matched_by == "plus-address");
  auto reply = match_thread(parse_fixture("vi-gmail-reply-alternative.eml"), "clinic.test");
  REQUIRE(reply);
  CHECK(reply->matched_by == "in-reply-to");
  CHECK_FALSE(match_thread(parse_fixture("vi-gmail-reply-alternative.eml"), "other.test"));
  ParsedMail refs;
  refs.in_reply_to = "elsewhere@x";
  refs.references = {"conversation.7.message.1@clinic.test", "conversation.9.message.3@clinic.test", "x@y"};
  auto by_refs = match_thread(refs, "clinic.test");
  REQUIRE(by_refs);
  CHECK(by_refs->conversation_id == "9");  // the newest of ours
  CHECK_FALSE(match_thread(parse_fixture("en-gmail-reply-signature.eml"), "clinic.test"));
  auto event = to_event(parse_fixture("en-gmail-reply-signature.eml"), "x", "", "clinic.test");
  CHECK(event["thread"]["new"] == true);
  CHECK(event["thread"]["key"] == "unknown-thread@elsewhere.example");  // the chain it answers, not ours
}

TEST_CASE("a new thread is keyed by the first message of its chain") {
  ParsedMail fresh;
  fresh.message_id = "m1@example.test";
  CHECK(to_event(fresh, "m1@example.test", "", "clinic.test")["thread"]["key"] == "m1@example.test");
  ParsedMail own_follow_up;  // the customer answers their own first mail
  own_follow_up.message_id = "m3@example.test";
  own_follow_up.in_reply_to = "m2@example.test";
  own_follow_up.references = {"m1@example.test", "m2@example.test"};
  CHECK(to_event(own_follow_up, "m3@example.test", "", "clinic.test")["thread"]["key"] == "m1@example.test");
  ParsedMail no_id;  // no Message-ID at all: the host keys the thread by the event id
  CHECK_FALSE(to_event(no_id, "sha-fnv1a64:0", "", "clinic.test")["thread"].contains("key"));
}

TEST_CASE("event: lower-cased sender id, trimmed text, full text, subject, auto flag") {
  ParsedMail m = parse_fixture("vi-gmail-reply-alternative.eml");
  auto event = to_event(m, event_id_of(m, ""), "", "clinic.test");
  CHECK(event["id"] == "CAGmail-vi-1@mail.gmail.example");
  CHECK(event["sender"]["id"] == "anh.nguyen@gmail.example");
  CHECK(event["sender"]["name"] == "Nguyễn Thị Ánh");
  CHECK(event["text"] == "Dạ, chiều thứ Sáu được không ạ?");
  CHECK(event["thread"]["conversation_id"] == "42");
  CHECK_FALSE(event.contains("auto"));
  ParsedMail no_id = parse_fixture("plus-address-reply.eml");
  std::string raw = read_fixture("plus-address-reply.eml");
  CHECK(event_id_of(no_id, raw) == event_id_of(parse_mail(raw), raw));  // stable
  CHECK(event_id_of(no_id, raw).rfind("sha-fnv1a64:", 0) == 0);
  CHECK(to_event(m, "x", "precedence: bulk", "clinic.test")["auto"] == "precedence: bulk");
}

TEST_CASE("composed reply round-trips: headers, Vietnamese subject and body, threading") {
  OutgoingMail out;
  out.from_name = "Phòng khám Hoa Sen";
  out.from_address = "agent@clinic.test";
  out.to_address = "anh.nguyen@gmail.example";
  out.reply_to = plus_address("42", "clinic.test");
  out.subject = reply_subject("Đặt lịch");
  out.message_id = our_message_id("42", "8", "clinic.test");
  out.in_reply_to = "CAGmail-vi-1@mail.gmail.example";
  out.references = {"first@gmail.example"};
  out.automated = true;
  out.text = "Dạ, chiều thứ Sáu lúc 15 giờ ạ.";
  std::string bytes = compose(out);
  CHECK(bytes.find("\r\n") != std::string::npos);
  CHECK(bytes.find("Auto-Submitted: auto-replied\r\n") != std::string::npos);
  CHECK(bytes.find("Subject: Re: ") != std::string::npos);
  for (unsigned char c : bytes) CHECK_MESSAGE(c < 0x80, "composed mail must be 7-bit");
  ParsedMail back = parse_mail(bytes);
  CHECK(back.subject == "Re: Đặt lịch");
  CHECK(back.from_name == "Phòng khám Hoa Sen");
  CHECK(back.text == "Dạ, chiều thứ Sáu lúc 15 giờ ạ.");
  CHECK(back.message_id == "conversation.42.message.8@clinic.test");
  CHECK(back.in_reply_to == "CAGmail-vi-1@mail.gmail.example");
  REQUIRE(back.references.size() == 2);
  CHECK(back.references[1] == "CAGmail-vi-1@mail.gmail.example");
  CHECK(back.auto_submitted == "auto-replied");
  CHECK(reply_subject("RE: x") == "RE: x");
}

TEST_CASE("an HTML mail that is all quote keeps its text as the reply") {
  std::string raw =
      "From: a@b.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<div class=\"gmail_quote\">Only the quote</div>\r\n";
  ParsedMail m = parse_mail(raw);
  CHECK(m.text == "Only the quote");
  CHECK(m.reply == "Only the quote");
}

TEST_CASE("html_to_text and cut_html_quote") {
  CHECK(html_to_text("<p>a&nbsp;b</p><p>c<br>d</p><script>x()</script>") == "a b\n\nc\nd");
  CHECK(html_to_text("<div>a</div><div>b</div>") == "a\nb");
  CHECK(html_to_text("&#7841;&#x1EA1;&unknown; <b>x</b>") == "ạạ&unknown; x");
  CHECK(cut_html_quote("<div>hi</div><blockquote type=\"cite\">old</blockquote>") == "<div>hi</div>");
  CHECK(cut_html_quote("<div>gmail_quote in text</div>") == "<div>gmail_quote in text</div>");
}

TEST_CASE("malformed input never throws and yields valid UTF-8") {
  for (std::string raw :
       {std::string(), std::string("garbage\xff\xfe"), std::string("Subject: =?bogus?Q?=FF?=\n\nbody\xff")}) {
    ParsedMail m;
    CHECK_NOTHROW(m = parse_mail(raw));
    CHECK(g_utf8_validate(m.text.data(), static_cast<gssize>(m.text.size()), nullptr));
  }
}
