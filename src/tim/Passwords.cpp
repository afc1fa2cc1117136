#include "Passwords.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/NumberParser.h>
#include <Poco/PBKDF2Engine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StringTokenizer.h>

#include <sstream>

namespace tim {
namespace {

// Poco's HMACEngine needs the block and digest sizes as constants.
class SHA256Engine : public Poco::SHA2Engine {
  public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    SHA256Engine() : Poco::SHA2Engine(SHA_256) {}
};

// OWASP's 2023 floor for PBKDF2-HMAC-SHA256.
constexpr unsigned kIterations = 600000;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    char c;
    while (decoder.get(c)) {
        bytes += c;
    }
    return bytes;
}

std::string derive(const std::string& password, const std::string& salt, unsigned iterations) {
    Poco::PBKDF2Engine<Poco::HMACEngine<SHA256Engine>> engine(salt, iterations, kHashBytes);
    engine.update(password);
    const auto& digest = engine.digest();
    return std::string(digest.begin(), digest.end());
}

}  // namespace

std::string hashPassword(const std::string& password) {
    std::string salt(kSaltBytes, '\0');
    Poco::RandomInputStream random;
    random.read(&salt[0], static_cast<std::streamsize>(salt.size()));
    return "pbkdf2-sha256$" + std::to_string(kIterations) + "$" + base64(salt) + "$" +
           base64(derive(password, salt, kIterations));
}

bool verifyPassword(const std::string& password, const std::string& hash) {
    Poco::StringTokenizer parts(hash, "$");
    unsigned iterations = 0;
    if (parts.count() != 4 || parts[0] != "pbkdf2-sha256" ||
        !Poco::NumberParser::tryParseUnsigned(parts[1], iterations) || iterations == 0) {
        return false;
    }
    const std::string expected = unbase64(parts[3]);
    const std::string actual = derive(password, unbase64(parts[2]), iterations);
    if (expected.size() != actual.size()) {
        return false;
    }
    unsigned char difference = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        difference |= static_cast<unsigned char>(expected[i] ^ actual[i]);
    }
    return difference == 0;
}

}  // namespace tim
