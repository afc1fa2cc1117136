// One HTTP request as timhost reads it: Poco's request head parser, the body framed as
// RequestFraming decided (the chunked coding decoded strictly), "100 Continue" sent only when
// the body is first read (a client refused on its head is never invited to send a body), and
// the request line remembered even when the rest of the head is refused, so that the error can
// take the shape of the route it was for.
#pragma once

#include "ChunkedBody.h"
#include "RequestFraming.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <functional>
#include <memory>
#include <string>

namespace timhost {

class ServerRequest : public Poco::Net::HTTPServerRequest {
  public:
    ServerRequest(Poco::Net::HTTPServerResponseImpl& response,
                  Poco::Net::HTTPServerSession& session,
                  const Poco::Net::HTTPServerParams::Ptr& params);

    // Reads the request line and the header fields. Throws Poco::Net::NoMessageException when
    // the connection ends before a request starts, and Poco::Net::MessageException for a
    // malformed or oversized head.
    void readHead();
    // The path of the request line, once that line was read whole ("" before).
    std::string targetPath() const;

    // Opens the body as `framing` says; before it, the body is empty.
    void openBody(const RequestFraming& framing);
    // True once a chunked body was read to its last chunk; a body in the chunked coding may
    // have been read past (the connection must close after it).
    bool chunked() const { return _chunked != nullptr; }
    // Called once when the body was read to its end or failed (the body deadline is lifted).
    void setBodyEndListener(std::function<void()> listener) { _bodyEnded = std::move(listener); }
    void bodyEnded();
    // Sends "100 Continue" if the client asked for it and nothing was sent yet.
    void continueIfExpected();

    std::istream& stream() override;
    const Poco::Net::SocketAddress& clientAddress() const override { return _clientAddress; }
    const Poco::Net::SocketAddress& serverAddress() const override { return _serverAddress; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return *_params; }
    Poco::Net::HTTPServerResponse& response() const override { return _response; }
    bool secure() const override;

    Poco::Net::StreamSocket& socket() { return _session.socket(); }

    // For a request whose body will not be read (refused, over the limit, left unread, broken)
    // after its answer was sent: closing a socket with unread data resets it, and the reset
    // can destroy the answer before the client reads it. So the write side is shut first and
    // what the client still sends is discarded for a short, bounded time, never buffered or
    // acted on. The connection must close afterwards.
    void lingeringClose();

  private:
    Poco::Net::HTTPServerResponseImpl& _response;
    Poco::Net::HTTPServerSession& _session;
    Poco::Net::HTTPServerParams::Ptr _params;
    Poco::Net::SocketAddress _clientAddress;
    Poco::Net::SocketAddress _serverAddress;
    std::string _requestLine;  // as far as it was read
    std::unique_ptr<std::istream> _wire;
    std::unique_ptr<ChunkedBodyStream> _chunked;
    std::function<void()> _bodyEnded;
    bool _continued = false;
};

}  // namespace timhost
