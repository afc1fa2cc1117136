// A request body in the chunked transfer coding, decoded strictly (RFC 9112 §7.1). Poco's
// decoder ends the body quietly when the connection closes part-way, so a body without its
// last chunk, or with a chunk shorter than it declared, would be acted on. This one reads the
// whole framing (sizes, CRLFs, the last chunk, the trailer section) and fails the stream
// (badbit) on anything else; bounded line lengths keep a client from holding memory.
#pragma once

#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>

namespace timhost {

class ChunkedBodyBuf : public std::streambuf {
  public:
    // `wire` gives the raw bytes after the request head.
    explicit ChunkedBodyBuf(std::istream& wire) : _wire(wire) {}

    // True once the last chunk and the trailer section were read.
    bool complete() const { return _complete; }

  protected:
    int_type underflow() override;

  private:
    std::string readLine();  // up to CRLF (excluded); throws on EOF, a bare LF or a long line
    void expectCrlf();
    void readChunkSize();
    void readTrailerSection();

    std::istream& _wire;
    std::uint64_t _left = 0;  // data bytes left in the current chunk
    bool _inChunk = false;
    bool _complete = false;
    char _buffer[8192];
};

class ChunkedBodyStream : public std::istream {
  public:
    explicit ChunkedBodyStream(std::istream& wire) : std::istream(&_buf), _buf(wire) {}
    bool complete() const { return _buf.complete(); }

  private:
    ChunkedBodyBuf _buf;
};

}  // namespace timhost
