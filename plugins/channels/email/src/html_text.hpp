// HTML bodies as readable plain text, and the cut before quoted history
// that mail clients mark in their HTML.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::plugins::email {

// Tags dropped, block elements as line breaks, entities decoded, runs of
// whitespace collapsed; script/style/head contents removed.
std::string html_to_text(std::string_view html);

// The HTML before the first quote or signature marker: Gmail gmail_quote /
// gmail_attr / gmail_signature, Outlook divRplyFwdMsg / appendonsend, Apple
// blockquote type=cite, Thunderbird moz-cite-prefix, Yahoo yahoo_quoted,
// ProtonMail protonmail_quote, isReplyContent, origbody. Whole input when none.
std::string cut_html_quote(std::string_view html);

}  // namespace switchboard::plugins::email
