#include "port/RequestContext.h"

namespace port {
namespace {

thread_local std::string threadRequestId;

}  // namespace

const std::string& currentRequestId() {
    return threadRequestId;
}

RequestScope::RequestScope(std::string id) : _id(std::move(id)), _previous(threadRequestId) {
    threadRequestId = _id;
}

RequestScope::~RequestScope() {
    threadRequestId = std::move(_previous);
}

}  // namespace port
