// The query string as SCIM reads it: form-encoded ('+' is a space, as Entra sends it),
// parameter names case-insensitive, unknown parameters (aadOptscim062020) ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace api {

class QueryParameters {
  public:
    explicit QueryParameters(const std::string& rawQuery);

    std::optional<std::string> get(const std::string& name) const;
    std::string getOr(const std::string& name, const std::string& fallback) const;

  private:
    std::vector<std::pair<std::string, std::string>> _parameters;
};

}  // namespace api
