// The switchboard binary end to end: real process, real plugins, real files.
// Each case writes a config to a temp dir, runs a subcommand and checks its
// exit code, stdout and stderr.
#include <doctest/doctest.h>

#include <switchboard/plugin.h>
#include <boost/process.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace bp = boost::process;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kBinary = SWITCHBOARD_BINARY;
const fs::path kFixtures = SWITCHBOARD_TEST_PLUGIN_DIR;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome run(std::vector<std::string> args, const std::string& input = "") {
  bp::ipstream out, err;
  bp::opstream in;
  bp::child child(kBinary.string(), bp::args(args), bp::std_out > out, bp::std_err > err, bp::std_in < in);
  in << input;
  in.flush();
  in.pipe().close();
  Outcome o;
  std::ostringstream out_text, err_text;
  // Read both pipes fully; stderr is small, read it after stdout.
  out_text << out.rdbuf();
  err_text << err.rdbuf();
  child.wait();
  o.code = child.exit_code();
  o.out = out_text.str();
  o.err = err_text.str();
  return o;
}

// A temp folder with a config file in it, removed afterwards.
class Workspace {
 public:
  Workspace() {
    static int n = 0;
    dir_ = fs::temp_directory_path() / ("sb_cli_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(dir_);
  }
  ~Workspace() { fs::remove_all(dir_); }
  std::string write(const std::string& text, const std::string& name = "cfg.json") {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

std::string config_with_steps(const std::string& steps, const std::string& plugin_dirs = "[]") {
  return R"({
  "service": { "listen": "127.0.0.1:0", "plugin_dirs": )" +
         plugin_dirs + R"( },
  "inboxes": [
    { "id": "web", "channel": { "plugin": "api", "config": { "secret": "${SB_TEST_SECRET:-0123456789}" } }, "pipeline": "main" },
    { "id": "form", "channel": { "plugin": "api", "config": { "secret": "${SB_TEST_SECRET:-0123456789}" } }, "pipeline": "other" }
  ],
  "pipelines": {
    "main": { "steps": )" +
         steps + R"(, "handoff_queue": "reception" },
    "other": { "steps": [ { "plugin": "reply", "config": { "text": "other pipeline" } } ] }
  }
})";
}

std::string fixture_dirs() { return "[\"" + (kFixtures / "good").string() + "\"]"; }

}  // namespace

TEST_CASE("check accepts a valid config and says what it holds") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(R"([{ "plugin": "reply", "config": { "text": "Đã nhận" } }])"));
  auto o = run({"check", "--config", cfg});
  CHECK(o.code == 0);
  CHECK(o.out.find("OK (2 inboxes, 2 pipelines") != std::string::npos);
}

TEST_CASE("check reports a syntax error at file:line:col and exits 2") {
  Workspace ws;
  auto cfg = ws.write("// comment line\n{\n  \"service\": { \"listen\": \"127.0.0.1:0\" }\n  \"inboxes\": []\n}\n");
  auto o = run({"check", "--config", cfg});
  CHECK(o.code == 2);
  CHECK(o.err.find(cfg + ":4:3: ") != std::string::npos);
}

TEST_CASE("check reports every semantic error in one run, by JSON path") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(
      R"([{ "plugin": "reply", "config": { "txet": "x" } }, { "plugin": "nope" }, { "plugin": "reply", "config": { "text": "t" }, "on_error": "explode" }])"));
  auto o = run({"check", "--config", cfg});
  CHECK(o.code == 2);
  CHECK(
      o.err.find(cfg + ": /pipelines/main/steps/0/config/txet: unknown key for plugin 'reply'; did you mean 'text'?") !=
      std::string::npos);
  CHECK(o.err.find(cfg + ": /pipelines/main/steps/0/config/text: required string is missing") != std::string::npos);
  CHECK(o.err.find(cfg + ": /pipelines/main/steps/1/plugin: ") != std::string::npos);
  CHECK(o.err.find(cfg + ": /pipelines/main/steps/2/on_error: ") != std::string::npos);
}

TEST_CASE("check runs plugin create() and reports its message") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(R"([{ "plugin": "reply", "config": { "text": "Chào {contact.name" } }])"));
  auto o = run({"check", "--config", cfg});
  CHECK(o.code == 2);
  CHECK(o.err.find("create failed: unclosed '{' at byte") != std::string::npos);
}

TEST_CASE("a literal secret in the file is refused; from the environment it is accepted") {
  Workspace ws;
  std::string text = config_with_steps(R"([{ "plugin": "reply", "config": { "text": "x" } }])");
  std::string literal = text;
  literal.replace(literal.find("${SB_TEST_SECRET:-0123456789}"), 29, "0123456789");
  auto o = run({"check", "--config", ws.write(literal)});
  CHECK(o.code == 2);
  CHECK(o.err.find("/inboxes/0/channel/config/secret") != std::string::npos);
  CHECK(run({"check", "--config", ws.write(text, "env.json")}).code == 0);
}

TEST_CASE("plugins lists first-party plugins with ABI version and every config field") {
  auto o = run({"plugins", "--json"});
  CHECK(o.code == 0);
  json all = json::parse(o.out);
  std::map<std::string, json> by_name;
  for (const auto& p : all) by_name[p["name"]] = p;
  REQUIRE(by_name.count("reply"));
  REQUIRE(by_name.count("api"));
  CHECK(by_name["reply"]["kind"] == "handler");
  CHECK(by_name["api"]["kind"] == "channel");
  CHECK(by_name["reply"]["abi"] == std::to_string(SB_ABI_MAJOR) + "." + std::to_string(SB_ABI_MINOR));
  CHECK(by_name["reply"]["config"][0] == json{{"name", "text"},
                                              {"type", "string"},
                                              {"required", true},
                                              {"secret", false},
                                              {"default", nullptr},
                                              {"description", by_name["reply"]["config"][0]["description"]}});
  CHECK(by_name["reply"]["config"][1]["default"] == false);
  CHECK(by_name["api"]["config"][0]["secret"] == true);

  auto text = run({"plugins"});
  CHECK(text.out.find("reply  1.0.0  handler  ABI " + std::to_string(SB_ABI_MAJOR) + "." +
                      std::to_string(SB_ABI_MINOR)) != std::string::npos);
  CHECK(text.out.find("once_per_conversation") != std::string::npos);
}

TEST_CASE("plugins --config also searches service.plugin_dirs and names refused libraries") {
  Workspace ws;
  std::string dirs = "[\"" + (kFixtures / "good").string() + "\", \"" + (kFixtures / "major_table").string() + "\"]";
  auto cfg = ws.write(config_with_steps(R"([{ "plugin": "reply", "config": { "text": "x" } }])", dirs));
  auto o = run({"plugins", "--config", cfg});
  CHECK(o.code == 0);
  CHECK(o.out.find("fixture_script  0.0.1  handler") != std::string::npos);
  CHECK(o.out.find("fixture_c  0.0.1  handler") != std::string::npos);
  CHECK(o.err.find("major_table.so: plugin ABI major 3, this host speaks 1") != std::string::npos);
}

TEST_CASE("try prints the decision trace as one JSON object") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(
      R"([{ "plugin": "fixture_script", "config": { "intent": "dat_lich", "score": 0.9, "tags": ["booking"] } },
          { "plugin": "reply", "config": { "text": "Chào {contact.name|bạn}" } },
          { "plugin": "fixture_script", "config": { "assign": "reception", "stop": true } },
          { "plugin": "reply", "config": { "text": "never" } }])",
      fixture_dirs()));
  auto o = run({"try", "--config", cfg, "đặt", "lịch", "khám"});
  REQUIRE(o.code == 0);
  json t = json::parse(o.out);
  CHECK(t["inbox"] == "web");
  CHECK(t["text"] == "đặt lịch khám");
  CHECK(t["tags"] == json{"booking"});
  CHECK(t["intent"] == json{{"name", "dat_lich"}, {"score", 0.9}});
  REQUIRE(t["replies"].size() == 1);
  CHECK(t["replies"][0]["text"] == "Chào bạn");
  CHECK(t["queue"] == "reception");
  REQUIRE(t["steps"].size() == 3);
  CHECK(t["steps"][2]["plugin"] == "fixture_script");
  CHECK(t["steps"][2]["action"] == "stop");
  CHECK(t["steps"][2]["detail"] == "handoff to reception (high)");
}

TEST_CASE("try --inbox picks the inbox, an unknown one lists the choices") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(R"([{ "plugin": "reply", "config": { "text": "main" } }])"));
  json t = json::parse(run({"try", "--config", cfg, "--inbox", "form", "hi"}).out);
  CHECK(t["replies"][0]["text"] == "other pipeline");
  auto o = run({"try", "--config", cfg, "--inbox", "nope", "hi"});
  CHECK(o.code == 2);
  CHECK(o.err.find("unknown inbox 'nope'; the config has: web, form") != std::string::npos);
}

TEST_CASE("try --jsonl answers line by line and keeps conversation state across lines") {
  Workspace ws;
  auto cfg = ws.write(
      config_with_steps(R"([{ "plugin": "reply", "config": { "text": "Xin chào", "once_per_conversation": true } }])"));
  std::string input =
      "{\"text\": \"một\", \"conversation\": {\"id\": \"a\"}}\n"
      "\"hai\"\n"
      "{\"text\": \"ba\", \"conversation\": {\"id\": \"a\"}}\n"
      "not json\n"
      "{\"text\": \"bốn\", \"inbox\": \"form\"}\n";
  auto o = run({"try", "--config", cfg, "--jsonl"}, input);
  CHECK(o.code == 1);  // one bad line
  std::vector<json> lines;
  std::istringstream stream(o.out);
  for (std::string line; std::getline(stream, line);) lines.push_back(json::parse(line));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0]["replies"].size() == 1);
  CHECK(lines[1]["replies"].size() == 1);  // another conversation
  CHECK(lines[2]["replies"].empty());      // conversation "a" was greeted already
  CHECK(lines[3] == json{{"line", 4}, {"error", "not a JSON object or string"}});
  CHECK(lines[4]["inbox"] == "form");
}

TEST_CASE("a failing step with on_error handoff shows in the trace and hands off") {
  Workspace ws;
  auto cfg = ws.write(config_with_steps(
      R"([{ "plugin": "fixture_script", "config": { "fail": "throw" }, "on_error": "handoff" },
          { "plugin": "reply", "config": { "text": "never" } }])",
      fixture_dirs()));
  json t = json::parse(run({"try", "--config", cfg, "hi"}).out);
  CHECK(t["queue"] == "reception");
  CHECK(t["replies"].empty());
  CHECK(t["steps"][0]["action"] == "error");
  CHECK(t["steps"][0]["detail"] == "failed: scripted exception; on_error=handoff");
}

TEST_CASE("usage errors exit 2 with the usage; --help exits 0") {
  auto unknown = run({"check", "--config", "x.json", "--frobnicate"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  CHECK(unknown.err.find("Usage:") != std::string::npos);
  CHECK(run({}).code == 2);
  auto command = run({"frobnicate"});
  CHECK(command.code == 2);
  CHECK(command.err.find("unknown command 'frobnicate'") != std::string::npos);
  CHECK(run({"try", "--config", "x.json"}).code == 2);  // no TEXT and no --jsonl
  auto help = run({"try", "--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("--jsonl") != std::string::npos);
  CHECK(run({"--help"}).code == 0);
}

TEST_CASE("run serves until SIGTERM; SIGHUP with a bad file keeps the old config, a good one replaces it") {
  Workspace ws;
  std::string good = config_with_steps(R"([{ "plugin": "reply", "config": { "text": "v1" } }])");
  auto cfg = ws.write(good);
  bp::ipstream err;
  bp::child child(kBinary.string(), bp::args({"run", "--config", cfg}), bp::std_out > bp::null, bp::std_err > err);
  auto wait_for = [&err](const std::string& needle) {
    for (std::string line; std::getline(err, line);) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  REQUIRE(wait_for("ready"));
  ws.write("{ broken");
  ::kill(child.id(), SIGHUP);
  CHECK(wait_for("reload refused; the running config stays in force"));
  CHECK(child.running());
  ws.write(config_with_steps(R"([{ "plugin": "reply", "config": { "text": "v2" } }])"));
  ::kill(child.id(), SIGHUP);
  CHECK(wait_for("reloaded"));
  ::kill(child.id(), SIGTERM);
  child.wait();
  CHECK(child.exit_code() == 0);
}

TEST_CASE("run with an invalid config refuses to start, exit 2") {
  Workspace ws;
  auto o = run({"run", "--config", ws.write("{}")});
  CHECK(o.code == 2);
  CHECK_FALSE(o.err.empty());
}
