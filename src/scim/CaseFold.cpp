#include "CaseFold.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace scim {

namespace {

bool isValidUtf8(const std::string& text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string foldCase(const std::string& utf8) {
    if (!isValidUtf8(utf8)) {
        return utf8;
    }
    // ICU's full case folding (CaseFolding.txt C + F): "Straße" and "STRASSE" fold alike.
    std::string folded;
    icu::UnicodeString::fromUTF8(utf8).foldCase(U_FOLD_CASE_DEFAULT).toUTF8String(folded);
    return folded;
}

}  // namespace scim
