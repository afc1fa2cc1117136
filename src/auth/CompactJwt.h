// The compact JWS form of a bearer token, taken apart strictly, and its HMAC checked in
// constant time. Poco::JWT accepts trailing parts, padding and non-canonical base64url (so one
// token has many spellings) and compares signatures with ==; verification therefore happens
// here and Poco::JWT only signs and reads claims.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace auth {

struct CompactJwt {
    std::string signingInput;  // "<header>.<payload>", the bytes the signature covers
    std::vector<unsigned char> signature;
};

// The parts of `jwt` when it is exactly three non-empty, unpadded, canonical base64url parts
// (every spare bit of a part's last character zero); nullopt for every other spelling.
std::optional<CompactJwt> splitCanonical(const std::string& jwt);

// Unpadded base64url, and its strict inverse: the bytes of a part only when it is that
// encoding's one spelling of them (no padding, no spare bits set), else nullopt.
std::string base64Url(const std::string& bytes);
std::optional<std::string> canonicalBase64Url(const std::string& part);

// The HMAC of `input` under `key` for "HS256", "HS384" or "HS512"; throws
// Poco::InvalidArgumentException for another algorithm.
std::vector<unsigned char> hmac(const std::string& algorithm, const std::string& key,
                                const std::string& input);

// Equal length and bytes, in a time that depends on the length only.
bool constantTimeEquals(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b);

}  // namespace auth
