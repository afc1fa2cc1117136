#include "TlsContext.h"

#include <Poco/Exception.h>

#include <openssl/ssl.h>

namespace timhost {

boost::asio::ssl::context tlsContext(const HttpSettings& settings) {
    namespace ssl = boost::asio::ssl;
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::single_dh_use);
    SSL_CTX* native = context.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(
        native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    if (SSL_CTX_set_cipher_list(native,
                                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1) {
        throw Poco::IOException("the TLS cipher list was refused by OpenSSL");
    }
    try {
        context.use_certificate_chain_file(settings.tlsCertificateFile);
    } catch (const boost::system::system_error& e) {
        throw Poco::IOException("http.tls.certificateFile " + settings.tlsCertificateFile +
                                " cannot be used: " + e.what());
    }
    try {
        context.use_private_key_file(settings.tlsPrivateKeyFile, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw Poco::IOException("http.tls.privateKeyFile " + settings.tlsPrivateKeyFile +
                                " cannot be used: " + e.what());
    }
    return context;
}

}  // namespace timhost
