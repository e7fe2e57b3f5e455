// Quoted history and signature removal for plain-text replies, English and
// Vietnamese (Gmail and Outlook forms). Input must be NFC: Gmail's
// Vietnamese attribution arrives with combining marks.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins::email {

// The reply above the first of:
//  * an attribution "On … wrote:" / "Vào … đã viết:" (wrapped over up to 3 lines);
//  * "-----Original Message-----" / "----- Original Message -----";
//  * a header block of 2+ lines among From/Sent/To/Cc/Subject/Date and the
//    Vietnamese Từ/Đã gửi/Đến/Cc/Chủ đề/Ngày (optionally *bold*, optionally
//    after an Outlook "____" rule);
//  * a signature delimiter "-- " or "--";
// then trailing ">" quoted lines, and a last-line mobile signature ("Sent
// from my …", "Get Outlook for …", "Được gửi từ …", "Gửi từ …"), are dropped.
// When nothing would remain, the whole text is returned (nothing is lost).
std::string trim_reply(std::string_view text);

}  // namespace switchboard::plugins::email
