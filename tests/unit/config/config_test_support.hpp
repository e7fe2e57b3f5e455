// Shared fixtures for the config tests: a temporary folder for config files,
// a fake zoneinfo (so tests do not depend on the machine's tzdata), and fake
// plugin descriptors — channel "api", handlers "reply" and "echo" — to
// validate against without loading any library.
#pragma once

#include "config/config_document.hpp"
#include "config/load_result.hpp"
#include "config/plugin_catalog.hpp"

#include <switchboard/sdk.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace switchboard::config::testing {

namespace fs = std::filesystem;

// A fresh folder, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "switchboard-config-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

inline constexpr std::array kApiFields{
    sdk::field("secret", SB_FIELD_STRING, SB_FIELD_SECRET, nullptr, "Shared secret for signatures"),
    sdk::field("port", SB_FIELD_INTEGER, 0, "0", "A number the channel uses"),
    sdk::field("strict", SB_FIELD_BOOLEAN, 0, "false", "A flag"),
    sdk::field("rate", SB_FIELD_NUMBER, 0, "1.5", "A ratio"),
    sdk::field("inbox_dir", SB_FIELD_PATH, 0, nullptr, "A folder, resolved by the host"),
    sdk::field("asset_dirs", SB_FIELD_PATH_ARRAY, 0, "[\"assets\"]", "Folders, resolved by the host"),
};
inline constexpr std::array kReplyFields{
    sdk::field("text", SB_FIELD_STRING, SB_FIELD_REQUIRED, nullptr, "Reply text"),
    sdk::field("once_per_conversation", SB_FIELD_BOOLEAN, 0, "false", "Reply once"),
};
inline constexpr std::array kEchoFields{
    sdk::field("prefix", SB_FIELD_STRING, 0, "\"\"", "Text before the echo"),
};

template <std::size_t N>
sb_plugin_v1 fake_plugin(const char* name, int32_t kind, const std::array<sb_config_field_v1, N>& fields) {
  sb_plugin_v1 plugin{};
  plugin.struct_size = sizeof(sb_plugin_v1);
  plugin.abi_major = SB_ABI_MAJOR;
  plugin.abi_minor = SB_ABI_MINOR;
  plugin.name = name;
  plugin.version = "1.0.0";
  plugin.description = "fake for config tests";
  plugin.kind = kind;
  plugin.config_fields = fields.data();
  plugin.config_field_count = static_cast<uint32_t>(N);
  plugin.config_field_size = sizeof(sb_config_field_v1);
  return plugin;
}

inline const DescriptorCatalog& fake_plugins() {
  static const sb_plugin_v1 api = fake_plugin("api", SB_KIND_CHANNEL, kApiFields);
  static const sb_plugin_v1 reply = fake_plugin("reply", SB_KIND_HANDLER, kReplyFields);
  static const sb_plugin_v1 echo = fake_plugin("echo", SB_KIND_HANDLER, kEchoFields);
  static const DescriptorCatalog catalog({&api, &reply, &echo});
  return catalog;
}

// The smallest config that loads: one inbox, one pipeline, one step.
inline const char* kMinimalConfig = R"({
  "inboxes": [ { "id": "demo", "channel": { "plugin": "api" }, "pipeline": "default" } ],
  "pipelines": { "default": { "steps": [ { "plugin": "reply", "config": { "text": "hi" } } ] } }
})";

// A temp folder holding cfg.json and a fake zoneinfo; the environment holds
// TZDIR and whatever a test adds.
class ConfigFixture {
 public:
  ConfigFixture() {
    write_file(zoneinfo() / "Asia" / "Ho_Chi_Minh", "TZif2 fake zone");
    write_file(zoneinfo() / "UTC", "TZif2 fake zone");
    write_file(zoneinfo() / "zone.tab", "# not a zone\n");
    env["TZDIR"] = zoneinfo().string();
  }

  fs::path dir() const { return temp_.path(); }
  fs::path zoneinfo() const { return temp_.path() / "zoneinfo"; }
  fs::path file() const { return temp_.path() / "cfg.json"; }
  // How error messages start: the config path as given.
  std::string prefix() const { return file().string() + ": "; }

  ConfigDocument read(const std::string& text) {
    write_file(file(), text);
    return read_config(file(), environment_from(env));
  }
  LoadResult load(const std::string& text) { return validate_config(read(text), fake_plugins()); }

  std::map<std::string, std::string> env;

 private:
  TempDir temp_;
};

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

inline bool contains(const std::vector<std::string>& lines, const std::string& line) {
  for (const auto& candidate : lines) {
    if (candidate == line) return true;
  }
  return false;
}

}  // namespace switchboard::config::testing

// Checks that `errors` holds exactly `line`, printing them all when not.
#define CHECK_ERROR(errors, line)                                       \
  CHECK_MESSAGE(::switchboard::config::testing::contains(errors, line), \
                "expected: " << (line) << "\ngot:\n"                    \
                             << ::switchboard::config::testing::joined(errors))
