#include "pipeline/pipeline.hpp"

namespace switchboard::pipeline {

const char* on_error_name(OnError policy) {
  switch (policy) {
    case OnError::Continue: return "continue";
    case OnError::Stop: return "stop";
    case OnError::Handoff: return "handoff";
  }
  return "?";
}

}  // namespace switchboard::pipeline
