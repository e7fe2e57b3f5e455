// MIME parsing with GMime 3: raw RFC 5322 bytes → ParsedMail.
#pragma once

#include <string_view>

#include "parsed_mail.hpp"

namespace switchboard::plugins::email {

// Never throws on malformed mail: what cannot be decoded stays empty, and
// text that is not valid UTF-8 is read as windows-1258, then Latin-1, so the
// result is always valid UTF-8. Thread-safe (GMime is initialised once).
ParsedMail parse_mail(std::string_view raw, const TextNormalizer& normalize = {});

// Initialises GMime once per process; parse_mail and compose call it.
void ensure_gmime();

// Bytes as UTF-8: kept when valid, else converted from windows-1258 or Latin-1.
std::string to_valid_utf8(std::string_view bytes);

}  // namespace switchboard::plugins::email
