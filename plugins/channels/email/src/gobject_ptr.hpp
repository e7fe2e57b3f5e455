// Owning pointers for GLib/GObject values (GMime objects, g_malloc'd text),
// so no GMime handle is released by hand.
#pragma once

#include <glib-object.h>

#include <memory>
#include <string>

namespace switchboard::plugins::email {

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};

template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* memory) const { g_free(memory); }
};

using GString_ = std::unique_ptr<char, GFree>;

// Copies g_malloc'd text into a std::string and frees it; null → "".
inline std::string take_gstring(char* text) {
  GString_ owned(text);
  return owned ? std::string(owned.get()) : std::string();
}

}  // namespace switchboard::plugins::email
