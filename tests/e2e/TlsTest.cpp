// timhost's TLS as a client on the network sees it (openssl s_client): TLS 1.2 with ECDHE and
// AEAD ciphers and TLS 1.3 only, the whole chain of a chain file served, and no plain HTTP on
// an address other machines reach unless a TLS proxy is declared in front.
#include "support/HostProcess.h"
#include "support/TestDatabases.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>

using testing::HostProcess;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Runs openssl with `args`, an empty stdin, and returns its exit code; its output in `out`.
int openssl(const std::vector<std::string>& args, const std::string& dir, std::string& out) {
    Poco::Pipe in;
    Poco::Pipe output;
    Poco::ProcessHandle process =
        Poco::Process::launch("openssl", args, dir, &in, &output, &output);
    in.close(Poco::Pipe::CLOSE_WRITE);
    Poco::PipeInputStream stream(output);
    out.clear();
    Poco::StreamCopier::copyToString(stream, out);
    return process.wait();
}

int openssl(const std::vector<std::string>& args, const std::string& dir) {
    std::string ignored;
    return openssl(args, dir, ignored);
}

// A certificate authority and a server certificate it signed; the chain file holds both.
struct Certificates {
    std::string dir = testing::temporaryDirectory("tls-");
    std::string chain = dir + "/chain.pem";
    std::string key = dir + "/server.key";

    Certificates() {
        const auto run = [&](const std::vector<std::string>& args) {
            std::string out;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, openssl(args, dir, out));
        };
        run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Test CA",
             "-keyout", "ca.key", "-out", "ca.pem"});
        run({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
             "server.key", "-out", "server.csr"});
        run({"x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "1", "-out", "server.pem"});
        std::ofstream(chain) << std::ifstream(dir + "/server.pem").rdbuf()
                             << std::ifstream(dir + "/ca.pem").rdbuf();
    }
};

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
