// Passwords: only ever stored as salted PBKDF2-HMAC-SHA256 hashes.
#pragma once

#include <string>

namespace tim {

// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" with a fresh random salt.
std::string hashPassword(const std::string& password);

// Whether `password` matches a hash made by hashPassword (constant-time comparison).
bool verifyPassword(const std::string& password, const std::string& hash);

// The tim.properties key of the default password SCIM-created users get (the guide's FAQ 3).
inline constexpr const char* kDefaultPasswordKey = "initpass-x-others";

}  // namespace tim
