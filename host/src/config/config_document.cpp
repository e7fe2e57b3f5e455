// Phase 1: from file bytes to a substituted JSON document and the service
// settings, collecting every error on the way.
#include "config/config_document.hpp"

#include "config/diagnostics.hpp"
#include "config/duplicate_key_finder.hpp"
#include "config/section_schema.hpp"
#include "config/syntax_error.hpp"

#include <fstream>
#include <optional>
#include <sstream>

namespace switchboard::config {

namespace {

std::optional<std::string> read_file(const std::filesystem::path& file, Diagnostics& errors) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    errors.add_file("is a directory, not a config file");
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    bool exists = std::filesystem::exists(file, ec);
    errors.add_file(exists ? "cannot be read (check its permissions)" : "no such file");
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<nlohmann::json> parse(const std::string& text, Diagnostics& errors) {
  DuplicateKeyFinder duplicates;
  try {
    nlohmann::json json = nlohmann::json::parse(text, duplicates.parser_callback(), true, /*ignore_comments=*/true);
    for (const std::string& pointer : duplicates.duplicates()) {
      errors.add(JsonPointer(pointer), "duplicate key; only one may be given");
    }
    return json;
  } catch (const nlohmann::json::parse_error& e) {
    errors.add(describe_syntax_error(text, e));
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but a value JSON cannot hold, e.g. a number
    // overflow; nlohmann gives no position for it, only the value.
    std::string what = e.what();
    errors.add_file(what.substr(what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2));
  }
  return std::nullopt;
}

std::filesystem::path folder_of(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  return (ec ? file : absolute).lexically_normal().parent_path();
}

std::filesystem::path zoneinfo_dir(const Environment& env) {
  std::optional<std::string> tzdir = env("TZDIR");
  return tzdir && !tzdir->empty() ? std::filesystem::path(*tzdir) : std::filesystem::path("/usr/share/zoneinfo");
}

}  // namespace

ConfigDocument read_config(const std::filesystem::path& file, const Environment& env) {
  ConfigDocument doc;
  doc.file = file;
  doc.base_dir = folder_of(file);
  doc.service.data_dir = doc.base_dir / "data";
  Diagnostics errors(file.string());

  std::optional<std::string> text = read_file(file, errors);
  std::optional<nlohmann::json> json = text ? parse(*text, errors) : std::nullopt;
  if (!json) {
    doc.errors = errors.messages();
    return doc;
  }
  doc.json = std::move(*json);
  doc.env = substitute_env_in(doc.json, env, errors);
  errors.silence(doc.env.unresolved);

  if (!doc.json.is_object()) {
    errors.add_file(std::string("the top level must be an object, not ") + doc.json.type_name());
    doc.errors = errors.messages();
    return doc;
  }
  apply_section_schema(Section::TopLevel, doc.json, JsonPointer(), errors);
  nlohmann::json& service = doc.json["service"];
  bool service_ok =
      service.is_object() && apply_section_schema(Section::Service, service, JsonPointer("/service"), errors);
  doc.service = read_service(service_ok ? service : nlohmann::json::object(), doc.base_dir, zoneinfo_dir(env), errors);
  doc.errors = errors.messages();
  return doc;
}

}  // namespace switchboard::config
