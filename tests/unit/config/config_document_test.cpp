// Phase 1: reading the file, the top level and the service section.
#include "config/config_document.hpp"

#include "config/section_schema.hpp"
#include "config_test_support.hpp"

namespace switchboard::config::testing {

TEST_CASE("comments are accepted wherever whitespace is") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"(// Demo config
  {
    /* the host */ "service": { "listen": "127.0.0.1:9000" }, // trailing comment
    "inboxes": [],
    "pipelines": {} /* done */
  })");
  CHECK_MESSAGE(doc.ok(), joined(doc.errors));
  CHECK(doc.service.listen == "127.0.0.1:9000");
}

TEST_CASE("service defaults apply when the section is absent") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"inboxes": [], "pipelines": {}})");
  REQUIRE_MESSAGE(doc.ok(), joined(doc.errors));
  CHECK(doc.service.listen == "127.0.0.1:8080");
  CHECK(doc.service.data_dir == fixture.dir() / "data");
  CHECK(doc.service.plugin_dirs.empty());
  CHECK(doc.service.timezone == "Asia/Ho_Chi_Minh");
  CHECK(doc.service.log_level == "info");
}

TEST_CASE("the service struct's defaults agree with the service schema's") {
  ServiceConfig defaults;
  nlohmann::json schema_defaults = nlohmann::json::object();
  const sb_plugin_v1& service = section_descriptor(Section::Service);
  for (uint32_t i = 0; i < service.config_field_count; ++i) {
    const sb_config_field_v1& field = sdk::field_at(service, i);
    schema_defaults[field.name] = nlohmann::json::parse(field.default_json);
  }
  CHECK(schema_defaults["listen"] == defaults.listen);
  CHECK(schema_defaults["timezone"] == defaults.timezone);
  CHECK(schema_defaults["log_level"] == defaults.log_level);
  CHECK(schema_defaults["data_dir"] == "./data");
  CHECK(schema_defaults["plugin_dirs"] == nlohmann::json::array());
  CHECK(schema_defaults["http_threads"] == defaults.http_threads);
  CHECK(schema_defaults["max_body_bytes"] == defaults.max_body_bytes);
  CHECK(schema_defaults["read_timeout_ms"] == defaults.read_timeout_ms);
  CHECK(schema_defaults["workers"] == defaults.workers);
  CHECK(schema_defaults["outbox_workers"] == defaults.outbox_workers);
  CHECK(schema_defaults["outbox_max_attempts"] == defaults.outbox_max_attempts);
  CHECK(schema_defaults["retry_base_ms"] == defaults.retry_base_ms);
  CHECK(schema_defaults["retry_max_ms"] == defaults.retry_max_ms);
}

TEST_CASE("service sizes must be positive and the retry cap not below the base") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(
      R"({"service": {"workers": -1, "retry_base_ms": 5000, "retry_max_ms": 10}, "inboxes": [], "pipelines": {}})");
  CHECK_ERROR(doc.errors,
              fixture.prefix() + "/service/workers: must be 0 (derived from the CPU count) or a positive integer");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/retry_max_ms: must be >= retry_base_ms");
}

TEST_CASE("data_dir and plugin_dirs resolve against the config file's folder") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({
    "service": { "data_dir": "state/../var", "plugin_dirs": ["plugins", "/opt/switchboard/plugins", "../shared"] },
    "inboxes": [], "pipelines": {}
  })");
  REQUIRE_MESSAGE(doc.ok(), joined(doc.errors));
  CHECK(doc.service.data_dir == fixture.dir() / "var");
  REQUIRE(doc.service.plugin_dirs.size() == 3);
  CHECK(doc.service.plugin_dirs[0] == fixture.dir() / "plugins");
  CHECK(doc.service.plugin_dirs[1] == "/opt/switchboard/plugins");
  CHECK(doc.service.plugin_dirs[2] == fixture.dir().parent_path() / "shared");
}

TEST_CASE("a relative config path still resolves paths against the file's folder") {
  ConfigFixture fixture;
  write_file(fixture.file(), R"({"inboxes": [], "pipelines": {}})");
  fs::path relative = fixture.file().lexically_relative(fs::current_path());
  ConfigDocument doc = read_config(relative, environment_from(fixture.env));
  REQUIRE_MESSAGE(doc.ok(), joined(doc.errors));
  CHECK(doc.base_dir == fixture.dir());
  CHECK(doc.service.data_dir == fixture.dir() / "data");
}

TEST_CASE("an empty data_dir or plugin dir is an error") {
  ConfigFixture fixture;
  ConfigDocument doc =
      fixture.read(R"({"service": {"data_dir": "", "plugin_dirs": [""]}, "inboxes": [], "pipelines": {}})");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/data_dir: must not be empty");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/plugin_dirs/0: must not be empty");
}

TEST_CASE("service values can come from the environment") {
  ConfigFixture fixture;
  fixture.env["PORT"] = "9090";
  ConfigDocument doc =
      fixture.read(R"({"service": {"listen": "0.0.0.0:${PORT:-8080}"}, "inboxes": [], "pipelines": {}})");
  REQUIRE_MESSAGE(doc.ok(), joined(doc.errors));
  CHECK(doc.service.listen == "0.0.0.0:9090");
}

TEST_CASE("a bad listen address is an error at /service/listen") {
  ConfigFixture fixture;
  auto listen_error = [&](const std::string& listen) {
    ConfigDocument doc =
        fixture.read(R"({"service": {"listen": ")" + listen + R"("}, "inboxes": [], "pipelines": {}})");
    REQUIRE(doc.errors.size() == 1);
    return doc.errors[0];
  };
  std::string prefix = fixture.prefix() + "/service/listen: must be host:port, e.g. 127.0.0.1:8080: ";
  CHECK(listen_error("localhost") == prefix + "missing ':port'");
  CHECK(listen_error("127.0.0.1:65536") == prefix + "port must be a number from 0 to 65535");
  CHECK(listen_error("127.0.0.1:") == prefix + "port must be a number from 0 to 65535");
  CHECK(listen_error("::1:8080") == prefix + "an IPv6 address needs brackets, e.g. [::1]:8080");
  CHECK(listen_error(":8080") == prefix + "'' is not a host name or IP address");
}

TEST_CASE("an unknown time zone is an error") {
  ConfigFixture fixture;
  for (const char* zone : {"Mars/Olympus", "zone.tab", "Asia", "../zoneinfo/UTC"}) {
    CAPTURE(zone);
    ConfigDocument doc =
        fixture.read(std::string(R"({"service": {"timezone": ")") + zone + R"("}, "inboxes": [], "pipelines": {}})");
    CHECK_ERROR(doc.errors, fixture.prefix() + "/service/timezone: unknown time zone '" + zone +
                                "'; use an IANA name such as Asia/Ho_Chi_Minh (see " + fixture.zoneinfo().string() +
                                ")");
  }
  ConfigDocument utc = fixture.read(R"({"service": {"timezone": "UTC"}, "inboxes": [], "pipelines": {}})");
  CHECK_MESSAGE(utc.ok(), joined(utc.errors));
}

TEST_CASE("a missing zoneinfo folder is reported instead of every zone being unknown") {
  ConfigFixture fixture;
  fixture.env["TZDIR"] = (fixture.dir() / "nowhere").string();
  ConfigDocument doc = fixture.read(R"({"inboxes": [], "pipelines": {}})");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/timezone: cannot check time zone 'Asia/Ho_Chi_Minh': " +
                              (fixture.dir() / "nowhere").string() + " does not exist (install tzdata or set TZDIR)");
}

TEST_CASE("an unknown log level is an error") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"service": {"log_level": "verbose"}, "inboxes": [], "pipelines": {}})");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/log_level: must be one of debug, info, warn, error");
}

TEST_CASE("unknown keys in service and at the top level are rejected with a suggestion") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"service": {"listne": "x"}, "inboxes": [], "pipelines": {}, "pipeline": {}})");
  CHECK(doc.errors.size() == 2);
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/listne: unknown key in service; did you mean 'listen'?");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/pipeline: unknown top-level key; did you mean 'pipelines'?");
}

TEST_CASE("wrong types and missing sections are reported at their pointers") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"service": {"listen": 8080, "plugin_dirs": "plugins"}})");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/listen: expected string, got number");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service/plugin_dirs: expected array of paths, got string");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/inboxes: required array is missing");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/pipelines: required object is missing");
  CHECK(doc.service.listen == "127.0.0.1:8080");  // best effort: the default stands in
}

TEST_CASE("a service that is not an object is reported and defaults stand in") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"service": [], "inboxes": [], "pipelines": {}})");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/service: expected object, got array");
  CHECK(doc.service.data_dir == fixture.dir() / "data");
}

TEST_CASE("a top level that is not an object is an error about the file") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read("[1, 2]");
  REQUIRE(doc.errors.size() == 1);
  CHECK(doc.errors[0] == fixture.prefix() + "the top level must be an object, not array");
}

TEST_CASE("a key written twice in one object is rejected at its pointer") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({
    "inboxes": [ {"id": "a"}, {"id": "b", "id": "c"} ],
    "pipelines": {}, "pipelines": {}
  })");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/inboxes/1/id: duplicate key; only one may be given");
  CHECK_ERROR(doc.errors, fixture.prefix() + "/pipelines: duplicate key; only one may be given");
}

TEST_CASE("a missing file is reported by its name") {
  ConfigFixture fixture;
  ConfigDocument doc = read_config(fixture.dir() / "absent.json", environment_from(fixture.env));
  REQUIRE(doc.errors.size() == 1);
  CHECK(doc.errors[0] == (fixture.dir() / "absent.json").string() + ": no such file");
  CHECK(doc.json.is_null());
}

TEST_CASE("a number JSON cannot hold is reported about the file") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({"inboxes": [], "pipelines": {}, "x": 1e999})");
  REQUIRE(doc.errors.size() == 1);
  CHECK(doc.errors[0].find("1e999") != std::string::npos);
}

TEST_CASE("phase-one errors are all collected in one run") {
  ConfigFixture fixture;
  ConfigDocument doc = fixture.read(R"({
    "service": { "listen": "nope", "timezone": "Nowhere/Land", "log_level": "loud", "extra": 1, "data_dir": "${DIR}" },
    "inboxes": [], "pipelines": {}
  })");
  CHECK_MESSAGE(doc.errors.size() == 5, joined(doc.errors));
}

TEST_CASE("thread counts: 0 derives them from the CPU count, a positive value is kept") {
  ServiceConfig automatic;  // workers and outbox_workers default to 0
  CHECK(processing_workers(automatic, 2) == 1);
  CHECK(processing_workers(automatic, 16) == 8);
  CHECK(processing_workers(automatic, 0) == 1);  // hardware_concurrency() may not know
  CHECK(outbox_senders(automatic, 2) == 4);
  CHECK(outbox_senders(automatic, 1) == 4);
  CHECK(outbox_senders(automatic, 16) == 16);

  ServiceConfig fixed;
  fixed.workers = 3;
  fixed.outbox_workers = 5;
  CHECK(processing_workers(fixed, 64) == 3);
  CHECK(outbox_senders(fixed, 64) == 5);
}

}  // namespace switchboard::config::testing
