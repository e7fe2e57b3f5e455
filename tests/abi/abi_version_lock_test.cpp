// Guards plugin.h against changes without an ABI version bump. The header is
// normalised (comments removed, whitespace reduced to what separates tokens)
// and hashed with SHA-256; tests/abi/plugin_h.lock pairs every released
// "<major>.<minor>" with the hash of its header. Editing a comment or
// reformatting keeps the hash; changing any token requires a new version line.
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <switchboard/plugin.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#ifndef SB_PLUGIN_H_PATH
#error "SB_PLUGIN_H_PATH must name plugin.h"
#endif
#ifndef SB_PLUGIN_H_LOCK_PATH
#error "SB_PLUGIN_H_LOCK_PATH must name tests/abi/plugin_h.lock"
#endif

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Translation phases 2 and 3: splices continued lines, then replaces each
// comment by one space. String and character literals are kept verbatim.
std::string strip_comments(const std::string& src) {
  std::string s;
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\\' && i + 1 < src.size() && src[i + 1] == '\n') {
      ++i;
      continue;
    }
    s += src[i];
  }
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, s.size());
      out.append(s, i, j - i);
      i = j;
    } else if (s.compare(i, 2, "/*") == 0) {
      std::size_t end = s.find("*/", i + 2);
      i = end == std::string::npos ? s.size() : end + 2;
      out += ' ';
    } else if (s.compare(i, 2, "//") == 0) {
      i = s.find('\n', i);
      if (i == std::string::npos) i = s.size();
      out += ' ';
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Removes whitespace that does not separate two identifier/number characters,
// outside literals. In "#define NAME (x)" the space after NAME is kept: it
// is what makes the macro object-like rather than function-like.
std::string squeeze(const std::string& line) {
  std::string out;
  bool pending_space = false;
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (is_blank(c)) {
      pending_space = true;
      ++i;
      continue;
    }
    bool define_name_end =
        out.size() > 8 && out.rfind("#define ", 0) == 0 && std::all_of(out.begin() + 8, out.end(), is_word);
    if (pending_space && !out.empty() && ((is_word(out.back()) && is_word(c)) || define_name_end)) out += ' ';
    pending_space = false;
    if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < line.size() && line[j] != c) j += line[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, line.size());
      out.append(line, i, j - i);
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// Normalises "# define" to "#define" so squeeze can spot macro names.
std::string directive(std::string line) {
  std::size_t hash = line.find_first_not_of(" \t");
  if (hash == std::string::npos || line[hash] != '#') return {};
  std::size_t word = line.find_first_not_of(" \t", hash + 1);
  return "#" + (word == std::string::npos ? std::string() : line.substr(word));
}

}  // namespace

// Preprocessor lines stay one per line (their end is meaningful); all other
// text is joined, so moving a line break inside a declaration changes nothing.
std::string normalise(const std::string& header) {
  std::istringstream lines(strip_comments(header));
  std::string out;
  std::string line;
  while (std::getline(lines, line)) {
    std::string pp = directive(line);
    if (!pp.empty()) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += squeeze(pp) + '\n';
      continue;
    }
    std::string code = squeeze(line);
    if (code.empty()) continue;
    if (!out.empty() && out.back() != '\n' && is_word(out.back()) && is_word(code.front())) out += ' ';
    out += code;
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(sha256) failed");
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

struct LockLine {
  int line_number;
  std::string version;
  std::string hash;
};

// "<major>.<minor> <sha256>" per line; blank lines and '#' comments allowed.
std::vector<LockLine> read_lock(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<LockLine> lines;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    std::string version, hash, extra;
    if (!(fields >> version) || version[0] == '#') continue;
    if (!(fields >> hash) || fields >> extra || hash.size() != 64) {
      throw std::runtime_error(path + ":" + std::to_string(number) + ": expected '<major>.<minor> <sha256>'");
    }
    lines.push_back({number, version, hash});
  }
  return lines;
}

// The value of "#define <name> N" in the normalised header.
int header_define(const std::string& normalised, const std::string& name) {
  std::string prefix = "#define " + name + " ";
  std::size_t at = normalised.find("\n" + prefix);
  if (at == std::string::npos) throw std::runtime_error("plugin.h defines no " + name);
  return std::stoi(normalised.substr(at + 1 + prefix.size()));
}

std::pair<int, int> parse_version(const std::string& v) {
  std::size_t dot = v.find('.');
  if (dot == std::string::npos) throw std::runtime_error("bad version '" + v + "' in plugin_h.lock");
  return {std::stoi(v.substr(0, dot)), std::stoi(v.substr(dot + 1))};
}

const std::string kBumpAdvice =
    "plugin.h changed without an ABI version bump: append-only changes bump SB_ABI_MINOR, others SB_ABI_MAJOR; "
    "then add '<ver> <hash>' to tests/abi/plugin_h.lock";

TEST_CASE("plugin.h matches the lock entry of its ABI version") {
  std::string header = normalise(read_file(SB_PLUGIN_H_PATH));
  int major = header_define(header, "SB_ABI_MAJOR");
  int minor = header_define(header, "SB_ABI_MINOR");
  REQUIRE_MESSAGE(major == SB_ABI_MAJOR, SB_PLUGIN_H_PATH " is not the plugin.h this test was compiled with");
  REQUIRE_MESSAGE(minor == SB_ABI_MINOR, SB_PLUGIN_H_PATH " is not the plugin.h this test was compiled with");
  std::string version = std::to_string(major) + "." + std::to_string(minor);
  std::string hash = sha256_hex(header);
  std::string computed = version + " " + hash;
  std::vector<LockLine> lock = read_lock(SB_PLUGIN_H_LOCK_PATH);

  const LockLine* entry = nullptr;
  for (const LockLine& l : lock) {
    if (l.version == version) entry = &l;
  }
  INFO("line for the current plugin.h: ", computed);
  if (entry == nullptr) {
    FAIL(kBumpAdvice, "\n  (", SB_PLUGIN_H_LOCK_PATH, " has no line for ABI ", version,
         ": after a version bump, add the line shown below)");
  } else if (entry->hash != hash) {
    FAIL(kBumpAdvice, "\n  (", SB_PLUGIN_H_LOCK_PATH, ":", entry->line_number, " locks ABI ", version,
         " to a different header)");
  }
}

TEST_CASE("plugin_h.lock has one line per version and none newer than the header") {
  std::vector<LockLine> lock = read_lock(SB_PLUGIN_H_LOCK_PATH);
  REQUIRE_FALSE(lock.empty());
  const std::pair<int, int> current{SB_ABI_MAJOR, SB_ABI_MINOR};
  std::map<std::pair<int, int>, int> seen;
  for (const LockLine& l : lock) {
    std::pair<int, int> v = parse_version(l.version);
    CHECK_MESSAGE(seen.emplace(v, l.line_number).second, "plugin_h.lock:", l.line_number, ": ABI ", l.version,
                  " is already locked on line ", seen[v]);
    CHECK_MESSAGE(v <= current, "plugin_h.lock:", l.line_number, ": ABI ", l.version, " is newer than plugin.h's ",
                  SB_ABI_MAJOR, ".", SB_ABI_MINOR, "; ABI versions never go back");
  }
}

TEST_CASE("normalising ignores comments and formatting but not tokens") {
  const std::string base =
      "/* header */\n#define SB_X 1\n#define SB_F(a) (a)\ntypedef struct s {\n  int32_t* p; // ptr\n} s;\n";
  const std::string h = sha256_hex(normalise(base));

  SUBCASE("comment-only edits keep the hash") {
    CHECK(sha256_hex(normalise("/* reworded\n * comment */\n#define SB_X 1 /* one */\n#define SB_F(a) (a)\n"
                               "typedef struct s {\n  int32_t* p; /* the pointer */\n} s;\n")) == h);
  }
  SUBCASE("reformatting keeps the hash") {
    CHECK(sha256_hex(
              normalise("#  define   SB_X   1\n#define SB_F(a)   (a)\n\ntypedef struct s\n{ int32_t *p;\n}\ns;")) == h);
    CHECK(sha256_hex(normalise("#define SB_X \\\n 1\n#define SB_F(a) (a)\ntypedef struct s { int32_t* p; } s;\n")) ==
          h);
  }
  SUBCASE("token changes change the hash") {
    CHECK(sha256_hex(normalise("#define SB_X 2\n#define SB_F(a) (a)\ntypedef struct s { int32_t* p; } s;\n")) != h);
    CHECK(sha256_hex(normalise("#define SB_X 1\n#define SB_F (a) (a)\ntypedef struct s { int32_t* p; } s;\n")) != h);
    CHECK(sha256_hex(normalise("#define SB_X 1\n#define SB_F(a) (a)\ntypedef struct s { int64_t* p; } s;\n")) != h);
    CHECK(sha256_hex(normalise("#define SB_X 1\n#define SB_F(a) (a)\ntypedef struct s { int32_t* p; int q; } s;\n")) !=
          h);
  }
  SUBCASE("spaces inside a macro's parameter list are formatting") {
    CHECK(normalise("#define F(a, b) ((a) + (b))\n") == "#define F(a,b)((a)+(b))\n");
  }
  SUBCASE("comment markers and spaces inside string literals are text") {
    CHECK(normalise("#define N \"a  // b /* c */\"\n") == "#define N \"a  // b /* c */\"\n");
  }
  SUBCASE("a directive ends at its line") {
    CHECK(normalise("#define A 1\nint x;\n") != normalise("#define A 1 int x;\n"));
  }
}
