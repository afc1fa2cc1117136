#include "Ids.h"

#include <Poco/Exception.h>
#include <Poco/UUID.h>

#include <sys/random.h>

#include <cerrno>

namespace port {

std::string newId() {
    char bytes[16];
    std::size_t filled = 0;
    while (filled < sizeof bytes) {
        const ssize_t got = getrandom(bytes + filled, sizeof bytes - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Poco::SystemException("getrandom failed", errno);
        }
        filled += static_cast<std::size_t>(got);
    }
    bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    Poco::UUID id;
    id.copyFrom(bytes);
    return id.toString();
}

}  // namespace port
