// The text folder a config asks for: its service.shorthand table, or the one
// installed next to the binary (share/switchboard/intents/shorthand.json).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/service_config.hpp"
#include "text/text_folder.hpp"

namespace switchboard::app {

// Where the shorthand table is looked for when service.shorthand is empty.
std::filesystem::path default_shorthand_file();

// An explicit service.shorthand that cannot be loaded is an error (appended
// to `errors`); a missing default file leaves expansion off, with a warning.
std::shared_ptr<const text::TextFolder> load_text_folder(const config::ServiceConfig& service,
                                                         std::vector<std::string>& errors);

}  // namespace switchboard::app
