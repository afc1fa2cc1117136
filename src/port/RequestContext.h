// The id of the request this thread is serving, for every layer that records or logs on its
// behalf (the access log, the audit trail). Set by the SCIM service for the length of a request;
// it lives with the ports, below both the api that sets it and the store whose audit rows
// carry it.
#pragma once

#include <string>

namespace port {

// "" outside a request.
const std::string& currentRequestId();

// Makes `id` the current request id of this thread for the scope's lifetime.
class RequestScope {
  public:
    explicit RequestScope(std::string id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

    const std::string& id() const { return _id; }

  private:
    const std::string _id;
    std::string _previous;
};

}  // namespace port
