#include "ServerRequest.h"

#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <limits>
#include <sstream>
#include <streambuf>

namespace timhost {
namespace {

// Passes the request head through and keeps its first line (bounded), so that the request
// line is known even when the header fields after it are refused; notes whether the head's
// closing blank line arrived (Poco's parser takes a connection that ends mid-head for the end of
// the head). Reading ahead is safe: the head stream ends with the head.
class HeadRecorder : public std::streambuf {
  public:
    HeadRecorder(std::istream& in, std::string& line) : _in(in), _line(line) {}

    bool blankLineSeen() const { return _blankLineSeen; }

  protected:
    int_type underflow() override {
        // The streambuf, not the istream: a read timeout must leave Poco's header parser as an
        // exception, not look like the end of the head. One line at most per call, so that
        // nothing waits for bytes a complete head does not have.
        std::streamsize got = 0;
        while (got < static_cast<std::streamsize>(sizeof _buffer)) {
            const int_type c = _in.rdbuf()->sbumpc();
            if (c == traits_type::eof()) {
                break;
            }
            _buffer[got++] = static_cast<char>(c);
            if (c == '\n') {
                break;
            }
        }
        if (got == 0) {
            return traits_type::eof();
        }
        if (_atLineStart && (std::string(_buffer, static_cast<std::size_t>(got)) == "\r\n" ||
                             (got == 1 && _buffer[0] == '\n'))) {
            _blankLineSeen = true;
        }
        _atLineStart = _buffer[got - 1] == '\n';
        if (!_lineDone) {
            const auto end = std::find(_buffer, _buffer + got, '\n');
            _lineDone = end != _buffer + got;
            _line.append(_buffer, static_cast<std::size_t>(std::min<std::ptrdiff_t>(
                                      end - _buffer, kMaxLine - _line.size())));
        }
        setg(_buffer, _buffer, _buffer + got);
        return traits_type::to_int_type(_buffer[0]);
    }

  private:
    static constexpr std::ptrdiff_t kMaxLine = 20000;
    std::istream& _in;
    std::string& _line;
    bool _lineDone = false;
    bool _atLineStart = true;
    bool _blankLineSeen = false;
    char _buffer[1024];
};

// Empty: the body of a request that has none, or before openBody.
std::istream& emptyStream() {
    thread_local std::istringstream empty;
    empty.clear();
    return empty;
}

}  // namespace

ServerRequest::ServerRequest(Poco::Net::HTTPServerResponseImpl& response,
                             Poco::Net::HTTPServerSession& session,
                             const Poco::Net::HTTPServerParams::Ptr& params)
    : _response(response), _session(session), _params(params) {}

void ServerRequest::readHead() {
    Poco::Net::HTTPHeaderInputStream head(_session);
    HeadRecorder recorder(head, _requestLine);
    std::istream recorded(&recorder);
    read(recorded);
    if (!recorder.blankLineSeen()) {
        throw Poco::Net::MessageException("the connection ended inside the request head");
    }
    try {
        _clientAddress = _session.clientAddress();
        _serverAddress = _session.serverAddress();
    } catch (const Poco::Exception&) {
        // The client is gone already; the request fails at its first write.
    }
}

std::string ServerRequest::targetPath() const {
    // "METHOD SP target SP version": the target without its query.
    const auto start = _requestLine.find(' ');
    if (start == std::string::npos) {
        return "";
    }
    const auto end = _requestLine.find_first_of(" ?#", start + 1);
    if (end == std::string::npos) {
        return "";
    }
    return _requestLine.substr(start + 1, end - start - 1);
}

void ServerRequest::openBody(const RequestFraming& framing) {
    switch (framing.body) {
        case RequestFraming::Body::None:
            break;
        case RequestFraming::Body::Length:
            _wire =
                std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(_session, framing.length);
            break;
        case RequestFraming::Body::Chunked:
            // The raw bytes, decoded here: read until the connection ends at most.
            _wire = std::make_unique<Poco::Net::HTTPFixedLengthInputStream>(
                _session, std::numeric_limits<Poco::Int64>::max());
            _chunked = std::make_unique<ChunkedBodyStream>(*_wire);
            break;
    }
}

void ServerRequest::bodyEnded() {
    if (_bodyEnded) {
        auto listener = std::move(_bodyEnded);
        _bodyEnded = nullptr;
        listener();
    }
}

void ServerRequest::continueIfExpected() {
    if (!_continued && getExpectContinue() && !_response.sent()) {
        _continued = true;
        _response.sendContinue();
    }
}

std::istream& ServerRequest::stream() {
    if (_chunked) {
        return *_chunked;
    }
    return _wire ? *_wire : emptyStream();
}

void ServerRequest::lingeringClose() {
    constexpr std::size_t kLingerBytes = 256 * 1024;
    const Poco::Timestamp::TimeDiff kLingerMicros = 2 * Poco::Timespan::SECONDS;
    try {
        Poco::Net::StreamSocket& connection = socket();
        connection.shutdownSend();
        const Poco::Timestamp started;
        char buffer[8192];
        std::size_t discarded = 0;
        while (discarded < kLingerBytes && started.elapsed() < kLingerMicros &&
               connection.poll(Poco::Timespan(kLingerMicros - started.elapsed()),
                               Poco::Net::Socket::SELECT_READ)) {
            const int got = connection.receiveBytes(buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            discarded += static_cast<std::size_t>(got);
        }
    } catch (const Poco::Exception&) {
        // The client went away: nothing left to protect.
    }
}

bool ServerRequest::secure() const {
    return _session.socket().secure();
}

}  // namespace timhost
