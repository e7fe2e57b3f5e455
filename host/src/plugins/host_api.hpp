// The sb_host_v1 table the host gives every plugin at entry.
#pragma once

#include <switchboard/plugin.h>

#include <memory>

#include "text/text_folder.hpp"

namespace switchboard::plugins {

// One table for the whole process, static storage; each function forwards to
// the sb_ctx it is given and never lets an exception escape into the plugin.
const sb_host_v1& host_api();

// What text_fold answers for every plugin of the process (the config's
// shorthand table decides SB_TEXT_FOLD_EXPAND). Installed by Runtime::build
// before any instance is created; safe to swap while plugins call text_fold.
void install_text_folder(std::shared_ptr<const text::TextFolder> folder);
std::shared_ptr<const text::TextFolder> text_folder();

}  // namespace switchboard::plugins
