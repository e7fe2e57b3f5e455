// Fuzz target: any bytes as a config file. read_config and validate_config
// must report problems, never crash or throw.
#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/load_result.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard::config;
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("sb_config_fuzz_" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  ConfigDocument doc = read_config(file, environment_from({{"SET", "value"}, {"PORT", "8080"}}));
  DescriptorCatalog none({});
  LoadResult result = validate_config(doc, none);
  (void)result;
  return 0;
}
