// The loader against real shared libraries: good ones load, each kind of
// broken one is refused with one line naming the file and the reason.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "plugins/host_api.hpp"
#include "plugins/plugin_instance.hpp"
#include "plugins/plugin_registry.hpp"

namespace fs = std::filesystem;
using switchboard::plugins::host_api;
using switchboard::plugins::PluginInstance;
using switchboard::plugins::PluginRegistry;

namespace {

const fs::path kFixtures = SWITCHBOARD_TEST_PLUGIN_DIR;

// Loads one fixture folder and returns the single refusal line.
std::string refusal_of(const std::string& dir) {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / dir, true);
  REQUIRE(registry.refusals().size() == 1);
  CHECK(registry.modules().empty());
  return registry.refusals().front();
}

}  // namespace

TEST_CASE("good plugins load from a directory, C and C++ alike") {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / "good", true);
  CHECK(registry.refusals().empty());
  CHECK(registry.names() == std::vector<std::string>{"fixture_c", "fixture_channel", "fixture_script"});
  auto c = registry.find("fixture_c");
  REQUIRE(c);
  CHECK(c->kind() == SB_KIND_HANDLER);
  CHECK(c->version() == "0.0.1");
  CHECK(c->path() == fs::weakly_canonical(kFixtures / "good" / "fixture_c.so"));
  CHECK(registry.find("nope") == nullptr);
}

TEST_CASE("a library without the entry symbol is refused, naming the symbol") {
  std::string line = refusal_of("no_symbol");
  CHECK(line.find("no_symbol.so: no symbol sb_plugin_entry_v1") != std::string::npos);
}

TEST_CASE("a plugin built for another ABI major is refused with both versions") {
  CHECK(refusal_of("major_symbol").find("major_symbol.so: built for plugin ABI major 2, this host speaks 1") !=
        std::string::npos);
  CHECK(refusal_of("major_table").find("major_table.so: plugin ABI major 3, this host speaks 1") != std::string::npos);
}

TEST_CASE("a plugin table smaller than ABI 1.0 is refused with its size") {
  CHECK(refusal_of("small_table").find("small_table.so: plugin table too small: 16 bytes, ABI 1.0 needs at least") !=
        std::string::npos);
}

TEST_CASE("an entry that returns NULL is refused") {
  CHECK(refusal_of("null_entry").find("null_entry.so: sb_plugin_entry_v1 returned NULL") != std::string::npos);
}

TEST_CASE("a library with an unresolved symbol is refused with the dlopen error") {
  std::string line = refusal_of("unresolved");
  CHECK(line.find("unresolved.so: cannot load library:") != std::string::npos);
  CHECK(line.find("switchboard_symbol_nobody_defines") != std::string::npos);
}

TEST_CASE("a file that is not a library is refused with the dlopen error") {
  fs::path dir = fs::temp_directory_path() / "sb_not_a_library";
  fs::create_directories(dir);
  std::ofstream(dir / "garbage.so") << "this is not ELF";
  PluginRegistry registry(host_api());
  registry.load_directory(dir, true);
  REQUIRE(registry.refusals().size() == 1);
  CHECK(registry.refusals()[0].find("garbage.so: cannot load library:") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("two libraries with the same plugin name: the second is refused, the first kept") {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / "duplicate", true);
  CHECK(registry.names() == std::vector<std::string>{"fixture_dup"});
  REQUIRE(registry.refusals().size() == 1);
  CHECK(registry.refusals()[0].find("fixture_dup_b.so: duplicate plugin name 'fixture_dup' (already loaded from") !=
        std::string::npos);
}

TEST_CASE("the same file reached twice is one plugin, not a duplicate") {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / "good", true);
  registry.load_file(kFixtures / "good" / ".." / "good" / "fixture_c.so");
  CHECK(registry.refusals().empty());
}

TEST_CASE("a missing plugin directory is a refusal only when it was asked for") {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / "does_not_exist", false);
  CHECK(registry.refusals().empty());
  registry.load_directory(kFixtures / "does_not_exist", true);
  REQUIRE(registry.refusals().size() == 1);
  CHECK(registry.refusals()[0].find("plugin directory does not exist") != std::string::npos);
}

TEST_CASE("first-party plugin dirs are found relative to the binary") {
  auto dirs = PluginRegistry::default_dirs("/opt/sb/bin/switchboard");
  CHECK(dirs == std::vector<fs::path>{"/opt/sb/plugins", "/opt/sb/lib/switchboard/plugins"});
}

TEST_CASE("create() failing reports the plugin's own message") {
  PluginRegistry registry(host_api());
  registry.load_directory(kFixtures / "good", true);
  auto module = registry.find("fixture_script");
  REQUIRE(module);
  nlohmann::json config = {{"fail", "create"}, {"tags", nlohmann::json::array()}, {"score", 1.0}, {"stop", false}};
  CHECK_THROWS_WITH_AS(PluginInstance::create(module, "inbox 'x'", config),
                       "inbox 'x' (fixture_script): create failed: database unreachable",
                       switchboard::plugins::PluginError);
}

TEST_CASE("a library outlives the registry while an instance uses it") {
  std::unique_ptr<PluginInstance> instance;
  {
    PluginRegistry registry(host_api());
    registry.load_directory(kFixtures / "good", true);
    instance = PluginInstance::create(registry.find("fixture_c"), "step", nlohmann::json::object());
  }
  // The registry is gone; the instance's module keeps the code mapped.
  struct Call : sb_ctx {
    int tags = 0;
    void log(int32_t, std::string_view) override {}
    sb_status tag(std::string_view) override { return ++tags, SB_OK; }
    sb_status reply(std::string_view) override { return SB_OK; }
  } call;
  int32_t action = -1;
  CHECK(instance->on_message(call, "{}", action) == SB_OK);
  CHECK(call.tags == 1);
  CHECK(action == SB_ACTION_CONTINUE);
}
