// switchboard/text_template.hpp — reply texts with variables.
//
// "Chào {contact.name|bạn}, ..." — a {dotted.path} is looked up in a JSON
// object (the message a handler receives); "|fallback" is used when the path
// is absent, null or empty. "{{" and "}}" are literal braces. Templates are
// parsed once, at config time, so a broken one is a config error and
// rendering never fails.
#ifndef SWITCHBOARD_TEXT_TEMPLATE_HPP
#define SWITCHBOARD_TEXT_TEMPLATE_HPP

#include <switchboard/sdk.hpp>

#include <string>
#include <vector>

namespace switchboard::sdk {

class TextTemplate {
 public:
  // Throws ConfigError naming the offset of the first problem.
  explicit TextTemplate(const std::string& source) { parse(source); }

  std::string render(const Json& scope) const {
    std::string out;
    for (const Part& part : parts_) {
      if (!part.is_variable) {
        out += part.text;
        continue;
      }
      std::string value = lookup(scope, part.path);
      out += value.empty() ? part.fallback : value;
    }
    return out;
  }

  // The variable paths used, e.g. {"contact.name"}: lets callers check them.
  std::vector<std::string> variables() const {
    std::vector<std::string> names;
    for (const Part& part : parts_) {
      if (part.is_variable) names.push_back(part.path);
    }
    return names;
  }

 private:
  struct Part {
    bool is_variable = false;
    std::string text;      // literal text
    std::string path;      // variable path
    std::string fallback;  // variable fallback
  };

  void parse(const std::string& s) {
    std::string literal;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      bool doubled = i + 1 < s.size() && s[i + 1] == c;
      if ((c == '{' || c == '}') && doubled) {
        literal += c;
        ++i;
        continue;
      }
      if (c == '}') throw ConfigError("unmatched '}' at byte " + std::to_string(i) + " (write '}}' for a brace)");
      if (c != '{') {
        literal += c;
        continue;
      }
      std::size_t close = s.find('}', i);
      if (close == std::string::npos) throw ConfigError("unclosed '{' at byte " + std::to_string(i));
      flush(literal);
      parts_.push_back(variable(s.substr(i + 1, close - i - 1), i));
      i = close;
    }
    flush(literal);
  }

  void flush(std::string& literal) {
    if (literal.empty()) return;
    parts_.push_back(Part{false, literal, {}, {}});
    literal.clear();
  }

  static Part variable(const std::string& body, std::size_t offset) {
    std::size_t bar = body.find('|');
    Part part{true, {}, body.substr(0, bar), bar == std::string::npos ? "" : body.substr(bar + 1)};
    bool valid = !part.path.empty();
    for (char c : part.path) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
      valid = valid && ok;
    }
    if (!valid) throw ConfigError("bad variable '{" + body + "}' at byte " + std::to_string(offset));
    return part;
  }

  static std::string lookup(const Json& scope, const std::string& path) {
    const Json* node = &scope;
    std::size_t start = 0;
    while (start <= path.size()) {
      std::size_t dot = path.find('.', start);
      std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!node->is_object()) return {};
      auto it = node->find(key);
      if (it == node->end()) return {};
      node = &*it;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (node->is_string()) return node->get<std::string>();
    if (node->is_null()) return {};
    return node->dump();
  }

  std::vector<Part> parts_;
};

}  // namespace switchboard::sdk

#endif  // SWITCHBOARD_TEXT_TEMPLATE_HPP
