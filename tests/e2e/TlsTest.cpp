// timhost's TLS as a client on the network sees it (openssl s_client): TLS 1.2 with ECDHE and
// AEAD ciphers and TLS 1.3 only, the whole chain of a chain file served, and no plain HTTP on
// an address other machines reach unless a TLS proxy is declared in front.
#include "support/HostProcess.h"
#include "support/TestCertificates.h"

#include <cppunit/extensions/HelperMacros.h>

using testing::Certificates;
using testing::HostProcess;
using testing::openssl;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class TlsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TlsTest);
    CPPUNIT_TEST(onlyModernProtocolsAndSuitesAreOffered);
    CPPUNIT_TEST(theWholeChainIsServed);
    CPPUNIT_TEST(plainHttpBeyondLoopbackNeedsADeclaredProxy);
    CPPUNIT_TEST_SUITE_END();

  public:
    void onlyModernProtocolsAndSuitesAreOffered() {
        const Certificates certificates;
        HostProcess host({"echo_plugin"}, {{"http.tls.certificateFile", certificates.chain},
                                           {"http.tls.privateKeyFile", certificates.key}});
        host.start();
        const std::string connect = "127.0.0.1:" + std::to_string(host.port());
        const auto handshake = [&](std::vector<std::string> options) {
            std::vector<std::string> args{"s_client", "-connect", connect};
            args.insert(args.end(), options.begin(), options.end());
            return openssl(args, certificates.dir);
        };
        // @SECLEVEL=0: the client offers what it is asked to, so a refusal is the host's.
        const std::vector<std::vector<std::string>> refused = {
            {"-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0"},            // static RSA, CBC, SHA-1
            {"-tls1_2", "-cipher", "AES256-GCM-SHA384:@SECLEVEL=0"},     // static RSA, AEAD
            {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"},  // CBC, SHA-1
            {"-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA384:@SECLEVEL=0"},  // CBC
            {"-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0"},
            {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"},
            {"-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"}};
        for (const auto& options : refused) {
            CPPUNIT_ASSERT_MESSAGE(options[0] + " " + options[2], handshake(options) != 0);
        }
        CPPUNIT_ASSERT_EQUAL(0, handshake({"-tls1_3"}));
        CPPUNIT_ASSERT_EQUAL(0, handshake({"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}));
        CPPUNIT_ASSERT_EQUAL(0, handshake({"-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"}));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void theWholeChainIsServed() {
        const Certificates certificates;
        HostProcess host({"echo_plugin"}, {{"http.tls.certificateFile", certificates.chain},
                                           {"http.tls.privateKeyFile", certificates.key}});
        host.start();
        std::string out;
        CPPUNIT_ASSERT_EQUAL(
            0, openssl({"s_client", "-connect", "127.0.0.1:" + std::to_string(host.port()),
                        "-showcerts", "-CAfile", "ca.pem", "-verify_return_error"},
                       certificates.dir, out));
        std::size_t served = 0;
        for (auto at = out.find("BEGIN CERTIFICATE"); at != std::string::npos;
             at = out.find("BEGIN CERTIFICATE", at + 1)) {
            ++served;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::size_t(2), served);
        CPPUNIT_ASSERT_MESSAGE(out, contains(out, "Verify return code: 0 (ok)"));
        CPPUNIT_ASSERT_EQUAL(0, host.stop());
    }

    void plainHttpBeyondLoopbackNeedsADeclaredProxy() {
        HostProcess refused({"echo_plugin"}, {{"http.address", "0.0.0.0"}});
        CPPUNIT_ASSERT_THROW(refused.start(), Poco::Exception);
        CPPUNIT_ASSERT(refused.waitForExit() != 0);
        CPPUNIT_ASSERT_MESSAGE(refused.log(), contains(refused.log(),
                                                       "http.address 0.0.0.0 is reachable from "
                                                       "other machines: set http.tls"));
        HostProcess proxied({"echo_plugin"},
                            {{"http.address", "0.0.0.0"}, {"http.plainHttp", "true"}});
        proxied.start();
        CPPUNIT_ASSERT_EQUAL(200, proxied.request("GET", "/echo").status);
        CPPUNIT_ASSERT_EQUAL(0, proxied.stop());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(TlsTest, "TlsTest");
