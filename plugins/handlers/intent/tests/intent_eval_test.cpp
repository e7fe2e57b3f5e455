// Evaluation of the shipped packs: every pack's own examples classify to
// their intent, and held-out messages (heldout_<pack>.tsv, written apart from
// the examples) reach at least 95 % accuracy — each line as written, in NFD,
// and with every mark removed. Prints a per-intent table.
#include <doctest/doctest.h>
#include <utf8proc.h>
#include <switchboard/testing/fake_host.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "real_folder.hpp"
#include "text/folding.hpp"

using switchboard::testing::FakeHost;
using Json = switchboard::sdk::Json;

namespace {

struct Labelled {
  std::string intent;
  std::string text;
};

std::string pack_file(const std::string& pack) {
  return std::string(SWITCHBOARD_INTENTS_DIR) + "/vi/" + pack + ".json";
}

std::vector<Labelled> read_tsv(const std::string& file) {
  std::ifstream in(file);
  REQUIRE_MESSAGE(in, "cannot read " << file);
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    REQUIRE_MESSAGE(tab != std::string::npos, "no tab in: " << line);
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

std::string nfd(const std::string& text) {
  utf8proc_uint8_t* out = utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
  std::string result(reinterpret_cast<const char*>(out));
  std::free(out);
  return result;
}

// Marks removed but case, spacing and punctuation kept: how people type
// without a Vietnamese keyboard.
std::string without_marks(const std::string& text) {
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
  utf8proc_uint8_t* out = nullptr;
  utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()), &out,
               options);
  std::string result(reinterpret_cast<const char*>(out));
  std::free(out);
  for (auto [from, to] : {std::pair<const char*, const char*>{"\xc4\x91", "d"}, {"\xc4\x90", "D"}}) {
    for (auto at = result.find(from); at != std::string::npos; at = result.find(from)) result.replace(at, 2, to);
  }
  return result;
}

class Classifier {
 public:
  explicit Classifier(const std::string& pack) : host_(sb_plugin_entry_v1) {
    host_.set_text_folder(switchboard::testing::real_folder());
    instance_.emplace(host_.create({{"packs", {pack_file(pack)}}}));
  }
  std::string classify(const std::string& text) {
    auto run = host_.message(*instance_, {{"text", text}, {"conversation", {{"id", "eval"}}}});
    return run.intent ? run.intent->first : "(none)";
  }

 private:
  FakeHost host_;
  std::optional<switchboard::testing::Instance> instance_;
};

double evaluate(const std::string& pack) {
  Classifier classifier(pack);
  auto lines = read_tsv(std::string(INTENT_TEST_DATA) + "/heldout_" + pack + ".tsv");
  std::map<std::string, std::pair<int, int>> per_intent;  // right, total
  int right = 0, total = 0;
  for (const auto& line : lines) {
    for (const std::string& text : {line.text, nfd(line.text), without_marks(line.text)}) {
      std::string got = classifier.classify(text);
      bool ok = got == line.intent;
      per_intent[line.intent].first += ok;
      per_intent[line.intent].second += 1;
      right += ok;
      ++total;
      if (!ok) std::printf("  miss [%s] %s -> %s\n", line.intent.c_str(), text.c_str(), got.c_str());
    }
  }
  std::printf("held-out %s: %d/%d = %.1f %%\n", pack.c_str(), right, total, 100.0 * right / total);
  for (const auto& [intent, counts] : per_intent) {
    std::printf("  %-18s %3d/%3d\n", intent.c_str(), counts.first, counts.second);
  }
  return static_cast<double>(right) / total;
}

void check_examples(const std::string& pack) {
  Classifier classifier(pack);
  std::ifstream in(pack_file(pack));
  Json document = Json::parse(in, nullptr, true, true);
  int count = 0;
  for (const auto& intent : document.at("intents")) {
    for (const auto& example : intent.at("examples")) {
      std::string text = example.get<std::string>();
      CHECK_MESSAGE(classifier.classify(text) == intent.at("name"), pack << ": \"" << text << "\"");
      ++count;
    }
    CHECK_MESSAGE(intent.at("examples").size() >= 3, pack << ": intent " << intent.at("name") << " needs examples");
  }
  CHECK(count > 0);
}

}  // namespace

TEST_CASE("every example of the clinic pack classifies to its own intent") { check_examples("clinic"); }
TEST_CASE("every example of the school pack classifies to its own intent") { check_examples("school"); }

TEST_CASE("clinic pack: held-out accuracy is at least 95 %") { CHECK(evaluate("clinic") >= 0.95); }
TEST_CASE("school pack: held-out accuracy is at least 95 %") { CHECK(evaluate("school") >= 0.95); }
