// The Vietnamese deployment end to end through the real binary:
// `switchboard faq-misses` reading a real database, and the shipped
// config/clinic.json and config/school.json under `check` and `try`.
#include <doctest/doctest.h>

#include <unistd.h>
#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/sqlite/sqlite_store.hpp"

namespace bp = boost::process;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs the binary with the shipped configs' variables set to dummies.
Outcome run(const std::vector<std::string>& args) {
  bp::environment env = boost::this_process::environment();
  for (const char* name :
       {"ZALO_APP_ID", "ZALO_OA_ID", "ZALO_OA_SECRET_KEY", "ZALO_APP_SECRET", "ZALO_ACCESS_TOKEN", "ZALO_REFRESH_TOKEN",
        "MESSENGER_APP_ID", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_VERIFY_TOKEN",
        "MESSENGER_PAGE_ID", "EMAIL_IMAP_URL", "EMAIL_SMTP_URL", "EMAIL_USERNAME", "EMAIL_PASSWORD", "EMAIL_ADDRESS",
        "CLINIC_API_SECRET", "SCHOOL_API_SECRET"}) {
    env[name] = "test-value-123";
  }
  env["EMAIL_IMAP_URL"] = "imaps://imap.example.com";
  env["EMAIL_SMTP_URL"] = "smtps://smtp.example.com";
  env["EMAIL_ADDRESS"] = "tuyensinh@example.com";
  env["CLINIC_API_CALLBACK_URL"] = "https://crm.example.vn/switchboard";
  env["SCHOOL_API_CALLBACK_URL"] = "https://crm.example.vn/switchboard";
  env["SWITCHBOARD_DATA_DIR"] = (fs::temp_directory_path() / "sb_vi_configs").string();
  bp::ipstream out, err;
  bp::child child(std::string(SWITCHBOARD_BINARY), bp::args(args), bp::std_out > out, bp::std_err > err,
                  bp::std_in < bp::null, env);
  std::ostringstream out_text, err_text;
  out_text << out.rdbuf();
  err_text << err.rdbuf();
  child.wait();
  return Outcome{child.exit_code(), out_text.str(), err_text.str()};
}

class Workspace {
 public:
  Workspace() : dir_(fs::temp_directory_path() / ("sb_vi_cli_" + std::to_string(::getpid()))) {
    fs::create_directories(dir_ / "data");
  }
  ~Workspace() { fs::remove_all(dir_); }
  std::string config() const {
    std::string file = (dir_ / "cfg.json").string();
    std::ofstream(file) << R"({"service": {"data_dir": "data"}, "inboxes": [], "pipelines": {}})";
    return file;
  }
  fs::path db() const { return dir_ / "data" / "switchboard.db"; }

 private:
  fs::path dir_;
};

std::string miss(int count, const std::string& text, const std::string& at) {
  return json{{"count", count}, {"text", text}, {"last_at", at}}.dump();
}

}  // namespace

TEST_CASE("faq-misses lists unanswered questions most frequent first, summed over faq steps") {
  Workspace ws;
  std::string config = ws.config();
  CHECK(run({"faq-misses", "--config", config}).out == "no unanswered FAQ questions recorded\n");
  {
    switchboard::store::sqlite::SqliteStore store(ws.db());
    store.kv_put("step/clinic/faq/0", "miss/gia nieng rang", miss(2, "giá niềng răng?", "2026-01-05T02:00:00Z"));
    store.kv_put("step/clinic/faq/0", "miss/co kham ngoai gio",
                 miss(5, "có khám ngoài giờ ko", "2026-01-04T02:00:00Z"));
    store.kv_put("step/other/faq/1", "miss/gia nieng rang", miss(4, "Giá niềng răng", "2026-01-06T02:00:00Z"));
    store.kv_put("step/clinic/faq/0", "variant/price", "3");                               // not a miss
    store.kv_put("step/clinic/intent/0", "miss/x", miss(9, "x", "2026-01-01T00:00:00Z"));  // not a faq step
  }
  Outcome table = run({"faq-misses", "--config", config});
  CHECK(table.code == 0);
  CHECK(table.out ==
        "count  last seen             question\n"
        "6      2026-01-06T02:00:00Z  giá niềng răng?\n"
        "5      2026-01-04T02:00:00Z  có khám ngoài giờ ko\n");
  Outcome limited = run({"faq-misses", "--config", config, "--limit", "1", "--json"});
  json rows = json::parse(limited.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["count"] == 6);
  CHECK(rows[0]["folded"] == "gia nieng rang");
}

TEST_CASE("shipped configs: config/clinic.json and config/school.json pass check") {
  for (const char* name : {"clinic", "school"}) {
    std::string file = std::string(SWITCHBOARD_SOURCE_DIR) + "/config/" + name + ".json";
    Outcome checked = run({"check", "--config", file});
    CHECK_MESSAGE(checked.code == 0, file << ":\n" << checked.err);
    CHECK(checked.out.find(": OK (4 inboxes, 1 pipelines") != std::string::npos);
  }
}

TEST_CASE("shipped configs: try on the clinic prints the price intent and an FAQ answer") {
  std::string file = std::string(SWITCHBOARD_SOURCE_DIR) + "/config/clinic.json";
  Outcome tried = run({"try", "--config", file, "gia kham bn vay ad"});
  REQUIRE_MESSAGE(tried.code == 0, tried.err);
  json trace = json::parse(tried.out);
  CHECK(trace["intent"]["name"] == "price");
  CHECK(trace["attributes"]["faq"]["id"] == "price_consultation");
  bool answered = false;
  for (const auto& reply : trace["replies"]) {
    answered = answered || reply["text"].get<std::string>().rfind("Dạ, phí khám", 0) == 0;
  }
  CHECK(answered);
}

TEST_CASE("shipped configs: the handoff step routes what the FAQ does not answer") {
  std::string clinic = std::string(SWITCHBOARD_SOURCE_DIR) + "/config/clinic.json";
  std::string school = std::string(SWITCHBOARD_SOURCE_DIR) + "/config/school.json";
  auto queue_of = [](const std::string& file, const std::string& text) {
    Outcome tried = run({"try", "--config", file, text});
    REQUIRE_MESSAGE(tried.code == 0, tried.err);
    return json::parse(tried.out).value("queue", json()).dump();
  };
  CHECK(queue_of(clinic, "tôi muốn khiếu nại bác sĩ thái độ tệ") == "\"manager\"");
  CHECK(queue_of(clinic, "cho em gap nguoi that") == "\"reception\"");
  CHECK(queue_of(clinic, "gia kham bn vay ad") == "null");  // answered by the FAQ
  CHECK(queue_of(school, "em muon khieu nai ve ky tuc xa") == "\"student_affairs\"");
}
