// Loading the shorthand table at start-up.
#include "app/text_setup.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include "log/logger.hpp"

namespace switchboard::app {

std::filesystem::path default_shorthand_file() {
  std::filesystem::path bin = boost::dll::program_location().parent_path().string();
  return bin.parent_path() / "share" / "switchboard" / "intents" / "shorthand.json";
}

std::shared_ptr<const text::TextFolder> load_text_folder(const config::ServiceConfig& service,
                                                         std::vector<std::string>& errors) {
  bool explicit_file = !service.shorthand.empty();
  std::filesystem::path file = explicit_file ? service.shorthand : default_shorthand_file();
  std::error_code ec;
  if (!explicit_file && !std::filesystem::exists(file, ec)) {
    log::warn("text", "no shorthand table at " + file.string() + ": teencode expansion is off (set service.shorthand)");
    return std::make_shared<const text::TextFolder>();
  }
  try {
    return std::make_shared<const text::TextFolder>(
        std::make_shared<const text::Shorthand>(text::Shorthand::load(file)));
  } catch (const text::ShorthandError& e) {
    errors.push_back("/service/shorthand: " + std::string(e.what()));
    return std::make_shared<const text::TextFolder>();
  }
}

}  // namespace switchboard::app
