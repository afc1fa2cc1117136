// The TLS policy of timhost (Mozilla's intermediate profile): TLS 1.2 with ECDHE key exchange
// and AEAD ciphers only, and TLS 1.3 (whose suites are all AEAD). The certificate file may hold
// the whole chain.
#pragma once

#include "HostSettings.h"

#include <boost/asio/ssl/context.hpp>

namespace timhost {

// Throws Poco::IOException naming the file that cannot be used.
boost::asio::ssl::context tlsContext(const HttpSettings& settings);

}  // namespace timhost
