#include "backup/backend/forwarding_backend.h"

namespace failsafe::backup {

ForwardingBackend::ForwardingBackend(std::unique_ptr<Backend> target)
    : owned_(std::move(target)), target_(owned_.get()) {}

ForwardingBackend::ForwardingBackend(Backend& target) : target_(&target) {}

}  // namespace failsafe::backup
