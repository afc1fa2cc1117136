#include "ChunkedBody.h"

#include <Poco/Net/NetException.h>

#include <algorithm>
#include <cctype>

namespace timhost {
namespace {

constexpr std::size_t kMaxLine = 4096;          // a chunk-size line with its extensions
constexpr std::size_t kMaxTrailerBytes = 8192;  // the whole trailer section
constexpr std::size_t kMaxSizeDigits = 15;      // below 2^60: no overflow

[[noreturn]] void malformed(const std::string& what) {
    throw Poco::Net::MessageException("chunked body: " + what);
}

}  // namespace

std::string ChunkedBodyBuf::readLine() {
    std::string line;
    for (;;) {
        const int c = _wire.get();
        if (c == std::char_traits<char>::eof()) {
            malformed("the connection ended before the last chunk");
        }
        if (c == '\n') {
            malformed("a line ends without CR");
        }
        if (c == '\r') {
            if (_wire.get() != '\n') {
                malformed("CR without LF");
            }
            return line;
        }
        if (line.size() == kMaxLine) {
            malformed("a line is too long");
        }
        line.push_back(static_cast<char>(c));
    }
}

void ChunkedBodyBuf::expectCrlf() {
    if (!readLine().empty()) {
        malformed("chunk data longer than its size");
    }
}

void ChunkedBodyBuf::readChunkSize() {
    const std::string line = readLine();
    const auto digits = static_cast<std::size_t>(
        std::find_if(line.begin(), line.end(),
                     [](char c) { return !std::isxdigit(static_cast<unsigned char>(c)); }) -
        line.begin());
    if (digits == 0 || digits > kMaxSizeDigits) {
        malformed("a chunk size is missing or too large");
    }
    // Only extensions may follow the size (";name=value"); they are ignored.
    if (digits < line.size() && line[digits] != ';' && line[digits] != ' ' &&
        line[digits] != '\t') {
        malformed("a chunk size is followed by " + std::string(1, line[digits]));
    }
    _left = std::stoull(line.substr(0, digits), nullptr, 16);
}

void ChunkedBodyBuf::readTrailerSection() {
    std::size_t bytes = 0;
    for (std::string field = readLine(); !field.empty(); field = readLine()) {
        bytes += field.size() + 2;
        if (bytes > kMaxTrailerBytes) {
            malformed("the trailer section is too long");
        }
    }
}

ChunkedBodyBuf::int_type ChunkedBodyBuf::underflow() {
    if (gptr() < egptr()) {
        return traits_type::to_int_type(*gptr());
    }
    while (!_complete) {
        if (!_inChunk) {
            readChunkSize();
            if (_left == 0) {
                readTrailerSection();
                _complete = true;
                break;
            }
            _inChunk = true;
        }
        if (_left > 0) {
            const auto wanted =
                static_cast<std::streamsize>(std::min<std::uint64_t>(_left, sizeof _buffer));
            _wire.read(_buffer, wanted);
            const std::streamsize got = _wire.gcount();
            if (got <= 0) {
                malformed("the connection ended inside a chunk");
            }
            _left -= static_cast<std::uint64_t>(got);
            setg(_buffer, _buffer, _buffer + got);
            return traits_type::to_int_type(*gptr());
        }
        expectCrlf();  // after the chunk's data
        _inChunk = false;
    }
    return traits_type::eof();
}

}  // namespace timhost
