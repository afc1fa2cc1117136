#include "HttpSession.h"

#include "HostErrors.h"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <limits>
#include <optional>
#include <type_traits>

namespace timhost {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::size_t kHeadLimit = 64 * 1024;                 // the whole head, as Beast reads it
constexpr std::size_t kTargetLimit = 16 * 1024;               // beyond: 414
constexpr std::size_t kFieldValueLimit = 8 * 1024;            // beyond: 431
constexpr std::size_t kFieldNameLimit = 256;                  // beyond: 431
constexpr std::size_t kFieldCountLimit = 100;                 // beyond: 431
constexpr std::size_t kBufferLimit = kHeadLimit + 64 * 1024;  // read ahead of one connection
constexpr std::size_t kMinWriteBytesPerSecond = 64 * 1024;    // slower readers are cut
constexpr std::size_t kLingerBytes = 256 * 1024;
constexpr auto kLinger = std::chrono::seconds(2);
constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

// The status that answers a head Beast's parser refused.
int statusOfRefusedHead(const beast::error_code& ec, bool hadContentLength) {
    if (ec == http::error::header_limit) {
        return 431;
    }
    if (ec == http::error::bad_transfer_encoding && !hadContentLength) {
        return 501;  // a second Transfer-Encoding line
    }
    return 400;
}

// The head's target and fields against the host's limits, checked on Beast's message before
// anything is copied (64 KiB of head can hold 16,000 empty fields): 0, or the status.
template <class Message>
int statusOfOversizedHead(const Message& message) {
    if (message.target().size() > kTargetLimit) {
        return 414;
    }
    std::size_t fields = 0;
    for (const auto& field : message) {
        if (++fields > kFieldCountLimit || field.name_string().size() > kFieldNameLimit ||
            field.value().size() > kFieldValueLimit) {
            return 431;
        }
    }
    return 0;
}

bool isQuietEnd(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
           ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

std::string httpDate() {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT);
}

template <class Stream>
beast::tcp_stream& tcpOf(Stream& stream) {
    return beast::get_lowest_layer(stream);
}

template <class Stream>
class Session : public SessionBase,
                public BodySource,
                public std::enable_shared_from_this<Session<Stream>> {
  public:
    template <class... Args>
    Session(FrontContext& front, std::string peer, Args&&... stream)
        : _front(front), _peer(std::move(peer)), _stream(std::forward<Args>(stream)...) {
        beast::error_code ec;
        const auto local = tcpOf(_stream).socket().local_endpoint(ec);
        if (!ec) {
            const std::string address = local.address().to_string();
            _listener = (local.address().is_v6() ? "[" + address + "]" : address) + ":" +
                        std::to_string(local.port());
        }
        if constexpr (std::is_same_v<Stream, PlainStream>) {
            tcpOf(_stream).socket().non_blocking(true, ec);  // a worker's write never waits
        }
    }

    ~Session() override {
        std::lock_guard<std::mutex> lock(_front.sessionsMutex);
        _front.sessions.erase(this);
        _front.clients.closed(_peer);
        --_front.open;
    }

    void start() {
        {
            std::lock_guard<std::mutex> lock(_front.sessionsMutex);
            _front.sessions[this] = this->shared_from_this();
        }
        _headDeadline = Clock::now() + std::chrono::seconds(_front.settings.headerTimeoutSeconds);
        tcpOf(_stream).expires_at(_headDeadline);
        if constexpr (std::is_same_v<Stream, TlsStream>) {
            _stream.async_handshake(asio::ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec) {
                                            return self->close();  // not a TLS client
                                        }
                                        self->readHead();
                                    });
        } else {
            readHead();  // the first head is due from the accept on
        }
    }

    void stop() override {
        asio::post(_stream.get_executor(), [self = this->shared_from_this()] {
            if (!self->_busy) {
                tcpOf(self->_stream).cancel();  // waiting for, or reading, a head: it ends
            }
        });
    }

    // On the handler's worker thread.
    tim_status read(char* buffer, std::size_t size, std::size_t& got) override {
        std::promise<std::pair<tim_status, std::size_t>> done;
        auto result = done.get_future();
        asio::post(_stream.get_executor(),
                   [this, buffer, size, &done] { readBody(buffer, size, done); });
        const auto [status, n] = result.get();
        got = n;
        return status;
    }

  private:
    using BodyResult = std::promise<std::pair<tim_status, std::size_t>>;

    // Waits for the first byte of a next request (the keep-alive timeout), then reads its head.
    void waitForRequest() {
        if (_front.stopping) {
            return close();
        }
        if (_buffer.size() > 0) {  // pipelined: its head is due now
            _headDeadline =
                Clock::now() + std::chrono::seconds(_front.settings.headerTimeoutSeconds);
            return readHead();
        }
        tcpOf(_stream).expires_after(std::chrono::seconds(_front.settings.keepAliveTimeoutSeconds));
        _stream.async_read_some(_buffer.prepare(4096), [self = this->shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
            if (ec || self->_front.stopping) {
                return self->close();
            }
            self->_buffer.commit(n);
            self->_headDeadline =
                Clock::now() + std::chrono::seconds(self->_front.settings.headerTimeoutSeconds);
            self->readHead();
        });
    }

    void readHead() {
        _parser.emplace();
        _parser->header_limit(static_cast<std::uint32_t>(kHeadLimit));
        _parser->body_limit(std::numeric_limits<std::uint64_t>::max());  // the router's
        _request.reset();
        _continued = false;
        _bodyStarted = false;
        _bodyBroken = false;
        _bodyTimedOut = false;
        parseHead();
    }

    // Feeds the parser what was read; reads more, one read at a time, each bounded by the head's
    // deadline and http.readTimeoutSeconds (a client that stalls is cut sooner).
    void parseHead() {
        while (_buffer.size() > 0 && !_parser->is_header_done()) {
            beast::error_code ec;
            const std::size_t used = _parser->put(_buffer.data(), ec);
            _buffer.consume(used);
            if (ec == http::error::need_more) {
                break;
            }
            if (ec) {
                return onHead(ec);
            }
        }
        if (_parser->is_header_done()) {
            return onHead({});
        }
        const auto now = Clock::now();
        tcpOf(_stream).expires_at(std::min(
            _headDeadline, now + std::chrono::seconds(_front.settings.readTimeoutSeconds)));
        const std::size_t room = std::min<std::size_t>(8192, _buffer.max_size() - _buffer.size());
        _stream.async_read_some(_buffer.prepare(room), [self = this->shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
            self->_buffer.commit(n);
            if (ec == beast::error::timeout) {
                return self->headLate();
            }
            if (ec) {
                // Ended: quietly between requests, a head cut short is refused.
                return self->onHead(self->_buffer.size() > 0 ? http::error::partial_message
                                                             : http::error::end_of_stream);
            }
            self->parseHead();
        });
    }

    void headLate() {
        const bool whole = Clock::now() >= _headDeadline;
        _front.cuts.warning(_peer + ":" + std::to_string(remotePort()) +
                            (whole
                                 ? " sent no complete request head within " +
                                       std::to_string(_front.settings.headerTimeoutSeconds) + " s"
                                 : " stalled in its request head for " +
                                       std::to_string(_front.settings.readTimeoutSeconds) + " s"));
        close();
    }

    // The head as Beast parsed it (as far as it got), in Poco's message class; its fields only
    // when they are within the limits.
    std::unique_ptr<IncomingRequest> requestOfParsedHead(bool withFields) const {
        auto request = std::make_unique<IncomingRequest>();
        const auto& message = _parser->get();
        request->head.setMethod(std::string(message.method_string()));
        request->head.setURI(std::string(message.target()));
        request->head.setVersion(message.version() == 10 ? Poco::Net::HTTPMessage::HTTP_1_0
                                                         : Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto& field : message) {
            if (!withFields) {
                break;
            }
            request->head.add(std::string(field.name_string()), std::string(field.value()));
        }
        request->peer = _peer;
        request->listener = _listener;
        request->secure = std::is_same_v<Stream, TlsStream>;
        return request;
    }

    void onHead(const beast::error_code& ec) {
        if (ec && isQuietEnd(ec)) {
            return close();  // the client closed between requests
        }
        int refusal = statusOfOversizedHead(_parser->get());
        _request = requestOfParsedHead(refusal == 0);
        std::string path;
        std::string query;
        splitTarget(_request->head.getURI(), path, query);
        const std::string mediaType = _front.router.errorMediaTypeFor(path);
        if (refusal == 0 && ec) {
            refusal = statusOfRefusedHead(ec, _request->head.has("Content-Length"));
        }
        if (refusal != 0) {
            return answerAndClose(hostError(refusal, "The request head was refused", mediaType));
        }
        _request->framing = framingOf(_request->head);
        if (_request->framing.refusal != 0) {
            return answerAndClose(
                hostError(_request->framing.refusal, _request->framing.detail, mediaType));
        }
        const bool hasBody = _request->framing.body != RequestFraming::Body::None;
        _request->body = hasBody ? this : nullptr;
        _expectsContinue = hasBody && _parser->get().version() >= 11 &&
                           Poco::icompare(_request->head.get("Expect", ""), "100-continue") == 0;
        ++_served;
        // A chunked body closes the connection after its answer, as a smuggling guard.
        _keepAlive = _parser->keep_alive() && !_parser->chunked() &&
                     _front.settings.keepAliveMaxRequests > 0 &&
                     _served < _front.settings.keepAliveMaxRequests && !_front.stopping;
        if (_front.buffered > _front.settings.maxBufferedBytes) {
            _front.refusals.warning("refused a request from " + _peer +
                                    " with 503: " + std::to_string(_front.buffered.load()) +
                                    " answer bytes unwritten (http.maxBufferedBytes)");
            return answerAndClose(busy(mediaType));
        }
        auto self = this->shared_from_this();
        _busy = true;  // until its answer is written: a stop lets it finish
        const bool queued = _front.workers.tryPost([self, mediaType] {
            auto out = self->answerOf(self->_front.router.serve(*self->_request), mediaType);
            if constexpr (std::is_same_v<Stream, PlainStream>) {
                self->sendWithoutWaiting(*out);
            }
            asio::post(self->_stream.get_executor(), [self, out] { self->send(out); });
        });
        if (!queued) {
            _front.refusals.warning("refused a request from " + _peer +
                                    " with 503: every worker is busy and http.maxQueued "
                                    "requests wait");
            answerAndClose(busy(mediaType));
        }
    }

    static HttpAnswer busy(const std::string& mediaType) {
        HttpAnswer answer = hostError(503, "The server is busy; retry shortly", mediaType);
        answer.headers.emplace_back("Retry-After", "1");
        return answer;
    }

    void answerAndClose(HttpAnswer answer) {
        answer.close = true;
        _keepAlive = false;
        write(std::move(answer));
    }

    // On the loop: reads up to `size` body bytes into the worker's `buffer`.
    void readBody(char* buffer, std::size_t size, BodyResult& done) {
        if (_bodyBroken) {
            return done.set_value({TIM_ERR_IO, 0});
        }
        if (_parser->is_done()) {
            return done.set_value({TIM_OK, 0});
        }
        if (!_bodyStarted) {
            _bodyStarted = true;
            _bodyDeadline = Clock::now() + std::chrono::seconds(_front.settings.bodyTimeoutSeconds);
        }
        if (_expectsContinue && !_continued) {
            _continued = true;  // only a handler that reads invites the body
            tcpOf(_stream).expires_after(std::chrono::seconds(_front.settings.writeTimeoutSeconds));
            return asio::async_write(_stream, asio::buffer(kContinue, sizeof kContinue - 1),
                                     [this, buffer, size, &done, self = this->shared_from_this()](
                                         beast::error_code ec, std::size_t) {
                                         if (ec) {
                                             _bodyBroken = true;
                                             return done.set_value({TIM_ERR_IO, 0});
                                         }
                                         readBodySome(buffer, size, done);
                                     });
        }
        readBodySome(buffer, size, done);
    }

    // One read of body bytes. Its deadline (the body's, or http.readTimeoutSeconds of silence)
    // cancels the read but leaves the connection open: the handler's 400 still goes out.
    void readBodySome(char* buffer, std::size_t size, BodyResult& done) {
        auto& body = _parser->get().body();
        body.data = buffer;
        body.size = size;
        body.more = true;
        tcpOf(_stream).expires_never();
        const auto now = Clock::now();
        const auto stall = now + std::chrono::seconds(_front.settings.readTimeoutSeconds);
        const bool wholeBodyFirst = _bodyDeadline <= stall;
        const unsigned long read = ++_bodyReads;
        _bodyReading = true;
        _timer.expires_at(std::min(_bodyDeadline, stall));
        _timer.async_wait([this, wholeBodyFirst, read,
                           self = this->shared_from_this()](beast::error_code ec) {
            if (ec || !_bodyReading || read != _bodyReads) {
                return;  // its read ended first (a late expiry must not cancel what follows)
            }
            _bodyTimedOut = true;
            _front.cuts.warning(
                _peer + ":" + std::to_string(remotePort()) +
                (wholeBodyFirst ? " did not send its request body within " +
                                      std::to_string(_front.settings.bodyTimeoutSeconds) + " s"
                                : " stalled in its request body for " +
                                      std::to_string(_front.settings.readTimeoutSeconds) + " s"));
            beast::error_code ignored;
            tcpOf(_stream).socket().cancel(ignored);
        });
        http::async_read_some(_stream, _buffer, *_parser,
                              [this, buffer, size, &done, self = this->shared_from_this()](
                                  beast::error_code ec, std::size_t) {
                                  _timer.cancel();
                                  _bodyReading = false;
                                  if (ec == http::error::need_buffer) {
                                      ec = {};
                                  }
                                  if (ec || _bodyTimedOut) {
                                      _bodyBroken = true;
                                      return done.set_value({TIM_ERR_IO, 0});
                                  }
                                  const std::size_t got = size - _parser->get().body().size;
                                  if (got == 0 && !_parser->is_done()) {
                                      return readBodySome(buffer, size,
                                                          done);  // a chunk header, no data yet
                                  }
                                  done.set_value({TIM_OK, got});
                              });
    }

    // An answer on its way out: Beast's message and its serializer, which may have sent part.
    struct Outgoing {
        http::response<http::string_body> response;
        http::response_serializer<http::string_body> serializer{response};
        bool keepAlive = false;
        std::size_t length = 0;
        beast::error_code failed;  // a worker's write found the connection broken
    };

    // On the loop: writes an answer the loop made (a refusal, a 503).
    void write(HttpAnswer answer) { send(prepare(std::move(answer))); }

    // On a worker: Beast's message of the handler's answer. One Beast refuses (a header value
    // over 64 KiB) becomes a 500 that closes the connection, not an exception on a worker.
    std::shared_ptr<Outgoing> answerOf(HttpAnswer answer, const std::string& mediaType) {
        try {
            return prepare(std::move(answer));
        } catch (const std::exception& e) {
            _front.refusals.warning("answered 500 to " + _peer +
                                    ": the handler's answer could not be written (" + e.what() +
                                    ")");
            HttpAnswer failure = hostError(500, "The server could not write its answer", mediaType);
            failure.close = true;
            return prepare(std::move(failure));
        }
    }

    // On a worker, plain TCP only: sends what the socket takes now, without waiting. The loop
    // starts no operation on the socket while a request is with a worker (_busy), so the two
    // never use it at once. The client has its answer one thread hop sooner; the loop writes
    // the rest under the write deadline.
    void sendWithoutWaiting(Outgoing& out) {
        auto& socket = tcpOf(_stream).socket();
        if (!socket.non_blocking()) {
            return;  // a write here could wait: the loop writes it all
        }
        beast::error_code ec;
        while (!out.serializer.is_done()) {
            http::write_some(socket, out.serializer, ec);
            if (ec == asio::error::interrupted) {
                ec = {};
                continue;
            }
            if (ec) {
                break;
            }
        }
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
            out.failed = ec;
        }
    }

    // Beast's answer of `answer`, counted in the front's buffered bytes until it is written.
    std::shared_ptr<Outgoing> prepare(HttpAnswer answer) {
        auto out = std::make_shared<Outgoing>();
        auto& response = out->response;
        const bool head = _request && _request->head.getMethod() == "HEAD";
        response.version(
            _request && _request->head.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0 ? 10 : 11);
        response.result(static_cast<unsigned>(answer.status));
        if (answer.status == 413) {
            response.reason("Request Entity Too Large");  // as clients of this host know it
        }
        for (const auto& [name, value] : answer.headers) {
            response.set(name, value);
        }
        response.set(http::field::date, httpDate());
        response.set(http::field::server, "timhost");
        const bool bodiless = answer.status < 200 || answer.status == 204 || answer.status == 304;
        if (bodiless) {
            answer.body.clear();  // RFC 9110 §6.4.1: no content, no framing
        }
        out->length = answer.body.size();
        if (!bodiless) {
            response.content_length(out->length);
        }
        if (!head) {
            response.body() = std::move(answer.body);
        }
        const bool bodyUnread = _request && _request->body != nullptr &&
                                (_bodyBroken || !_parser || !_parser->is_done());
        out->keepAlive = _keepAlive && !answer.close && !bodyUnread;
        response.keep_alive(out->keepAlive);
        _front.buffered += out->length;
        return out;
    }

    // On the loop: writes what is left of `out`, under the write deadline.
    void send(std::shared_ptr<Outgoing> out) {
        _busy = true;  // a stop lets the answer go out
        if (out->failed || out->serializer.is_done()) {
            return sent(*out, out->failed);
        }
        tcpOf(_stream).expires_after(std::chrono::seconds(_front.settings.writeTimeoutSeconds) +
                                     std::chrono::seconds(out->length / kMinWriteBytesPerSecond));
        http::async_write(_stream, out->serializer,
                          [self = this->shared_from_this(), out](
                              beast::error_code ec, std::size_t) { self->sent(*out, ec); });
    }

    void sent(const Outgoing& out, const beast::error_code& ec) {
        _front.buffered -= out.length;
        _busy = false;
        if (ec) {
            if (ec == beast::error::timeout) {
                _front.cuts.warning("closed a connection from " + _peer +
                                    ": it did not read its answer within " +
                                    std::to_string(_front.settings.writeTimeoutSeconds) + " s");
            }
            return close();
        }
        if (!out.keepAlive) {
            return lingeringClose();
        }
        // An idle connection keeps no head, no parser and no read-ahead room.
        _request.reset();
        _parser.reset();
        if (_buffer.size() == 0) {
            _buffer.shrink_to_fit();
        }
        waitForRequest();
    }

    // After an answer that closes the connection: closing a socket with unread data resets it,
    // and the reset can destroy the answer before the client reads it. So the write side is
    // shut first and what the client still sends is discarded for a short, bounded time.
    void lingeringClose() {
        beast::error_code ignored;
        tcpOf(_stream).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        tcpOf(_stream).expires_after(kLinger);
        discard();
    }

    void discard() {
        _buffer.clear();
        tcpOf(_stream).async_read_some(
            _buffer.prepare(8192),
            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                self->_discarded += n;
                if (ec || self->_discarded >= kLingerBytes) {
                    return self->close();
                }
                self->discard();
            });
    }

    void close() {
        beast::error_code ignored;
        tcpOf(_stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        tcpOf(_stream).close();
    }

    unsigned short remotePort() {
        beast::error_code ec;
        const auto remote = tcpOf(_stream).socket().remote_endpoint(ec);
        return ec ? 0 : remote.port();
    }

    FrontContext& _front;
    const std::string _peer;
    std::string _listener;
    Stream _stream;
    beast::flat_buffer _buffer{kBufferLimit};
    std::optional<http::request_parser<http::buffer_body>> _parser;
    std::unique_ptr<IncomingRequest> _request;
    int _served = 0;
    bool _busy = false;  // a request dispatched, its answer not yet written
    bool _keepAlive = false;
    bool _expectsContinue = false;
    bool _continued = false;
    bool _bodyStarted = false;
    bool _bodyBroken = false;
    bool _bodyTimedOut = false;
    bool _bodyReading = false;     // a body read is pending
    unsigned long _bodyReads = 0;  // which one: the timer acts only on its own
    Clock::time_point _headDeadline;
    Clock::time_point _bodyDeadline;
    asio::steady_timer _timer{_stream.get_executor()};
    std::size_t _discarded = 0;
};

}  // namespace

void startSession(asio::ip::tcp::socket socket, const std::string& peer, FrontContext& front,
                  asio::ssl::context* tls) {
    if (tls != nullptr) {
        std::make_shared<Session<TlsStream>>(front, peer, std::move(socket), *tls)->start();
    } else {
        std::make_shared<Session<PlainStream>>(front, peer, std::move(socket))->start();
    }
}

}  // namespace timhost
