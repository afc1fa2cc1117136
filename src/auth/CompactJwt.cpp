#include "CompactJwt.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace auth {
namespace {

constexpr int kBase64Url = Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING;

bool isBase64UrlChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

std::string decode(const std::string& part) {
    std::istringstream in(part);
    Poco::Base64Decoder decoder(in, kBase64Url);
    return std::string(std::istreambuf_iterator<char>(decoder), {});
}

// Poco::HMACEngine wants the block and digest size as constants of its engine.
template <Poco::SHA2Engine::ALGORITHM Bits, int Block>
class Sha2 : public Poco::SHA2Engine {
  public:
    enum { BLOCK_SIZE = Block, DIGEST_SIZE = Bits / 8 };
    Sha2() : Poco::SHA2Engine(Bits) {}
};

template <class Engine>
std::vector<unsigned char> hmacWith(const std::string& key, const std::string& input) {
    Poco::HMACEngine<Engine> engine(key);
    engine.update(input);
    return engine.digest();
}

}  // namespace

std::string base64Url(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, kBase64Url);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

// Decoding and encoding again gives the same text back, which rules out padding, a length of
// 1 mod 4 and non-zero spare bits in the last character.
std::optional<std::string> canonicalBase64Url(const std::string& part) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), isBase64UrlChar)) {
        return std::nullopt;
    }
    try {
        std::string bytes = decode(part);
        if (base64Url(bytes) != part) {
            return std::nullopt;
        }
        return bytes;
    } catch (const Poco::DataFormatException&) {
        return std::nullopt;
    }
}

std::optional<CompactJwt> splitCanonical(const std::string& jwt) {
    const auto first = jwt.find('.');
    const auto second = first == std::string::npos ? first : jwt.find('.', first + 1);
    if (second == std::string::npos || jwt.find('.', second + 1) != std::string::npos) {
        return std::nullopt;
    }
    const auto header = canonicalBase64Url(jwt.substr(0, first));
    const auto payload = canonicalBase64Url(jwt.substr(first + 1, second - first - 1));
    const auto signature = canonicalBase64Url(jwt.substr(second + 1));
    if (!header || !payload || !signature) {
        return std::nullopt;
    }
    return CompactJwt{jwt.substr(0, second),
                      std::vector<unsigned char>(signature->begin(), signature->end())};
}

std::vector<unsigned char> hmac(const std::string& algorithm, const std::string& key,
                                const std::string& input) {
    if (algorithm == "HS256") {
        return hmacWith<Sha2<Poco::SHA2Engine::SHA_256, 64>>(key, input);
    }
    if (algorithm == "HS384") {
        return hmacWith<Sha2<Poco::SHA2Engine::SHA_384, 128>>(key, input);
    }
    if (algorithm == "HS512") {
        return hmacWith<Sha2<Poco::SHA2Engine::SHA_512, 128>>(key, input);
    }
    throw Poco::InvalidArgumentException("not an HMAC algorithm: " + algorithm);
}

bool constantTimeEquals(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b) {
    if (a.size() != b.size()) {
        return false;  // the length of an HMAC is public
    }
    volatile unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference = difference | static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return difference == 0;
}

}  // namespace auth
