// A connection to timhost that a test writes bytes to by hand: for requests no HTTP client
// library would send (stalled, cut short, badly framed).
#pragma once

#include "HostProcess.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <optional>
#include <string>

namespace testing {

class RawConnection {
  public:
    // From `sourceAddress` (any 127.x.y.z works on Linux), so that one test can play several
    // clients.
    explicit RawConnection(const HostProcess& host, const std::string& sourceAddress = "127.0.0.1")
        : _socket(Poco::Net::SocketAddress::IPv4) {
        _socket.impl()->bind(Poco::Net::SocketAddress(sourceAddress, 0), false);
        _socket.connect(
            Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(host.port())));
    }

    void send(const std::string& bytes) {
        _socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }
    void finishSending() { _socket.shutdownSend(); }

    // Everything the host sends until it closes the connection, waiting at most `seconds`;
    // nullopt if it is still open by then.
    std::optional<std::string> readUntilClosed(int seconds) {
        _socket.setReceiveTimeout(Poco::Timespan(seconds, 0));
        std::string received;
        char buffer[4096];
        try {
            for (;;) {
                const int n = _socket.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) {
                    return received;
                }
                received.append(buffer, static_cast<std::size_t>(n));
            }
        } catch (const Poco::TimeoutException&) {
            return std::nullopt;
        } catch (const Poco::Net::ConnectionResetException&) {
            return received;
        }
    }

    // True when the host has sent something or closed (a read would not block).
    bool readable() { return _socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ); }

    // What the host sent within `seconds`, without waiting for the connection to close.
    std::string readAvailable(int seconds) {
        std::string received;
        if (_socket.poll(Poco::Timespan(seconds, 0), Poco::Net::Socket::SELECT_READ)) {
            char buffer[4096];
            const int n = _socket.receiveBytes(buffer, sizeof buffer);
            received.assign(buffer, static_cast<std::size_t>(n > 0 ? n : 0));
        }
        return received;
    }

  private:
    Poco::Net::StreamSocket _socket;
};

inline std::string statusLineOf(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

}  // namespace testing
