// The one folding rule behind case-insensitive uniqueness and filters.
#include "scim/CaseFold.h"

#include <cppunit/extensions/HelperMacros.h>

using scim::foldCase;

class CaseFoldTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CaseFoldTest);
    CPPUNIT_TEST(foldsAscii);
    CPPUNIT_TEST(foldsFullUnicode);
    CPPUNIT_TEST(leavesInvalidUtf8Alone);
    CPPUNIT_TEST_SUITE_END();

  public:
    void foldsAscii() {
        CPPUNIT_ASSERT_EQUAL(std::string("bjensen@example.com"), foldCase("BJensen@Example.COM"));
        CPPUNIT_ASSERT_EQUAL(std::string("sys.scim"), foldCase("SYS.SCIM"));
    }

    void foldsFullUnicode() {
        CPPUNIT_ASSERT_EQUAL(foldCase("STRASSE"), foldCase("Stra\xc3\x9f"
                                                           "e"));          // ß -> ss
        CPPUNIT_ASSERT_EQUAL(foldCase("\xc7\x84"), foldCase("\xc7\x85"));  // Ǆ, ǅ
        CPPUNIT_ASSERT_EQUAL(foldCase("\xc7\x84"), foldCase("\xc7\x86"));  // ǆ
        CPPUNIT_ASSERT_EQUAL(foldCase("\xcf\x83"), foldCase("\xcf\x82"));  // σ, ς
        CPPUNIT_ASSERT_EQUAL(foldCase("\xce\xbc"), foldCase("\xc2\xb5"));  // μ, µ
        CPPUNIT_ASSERT_EQUAL(foldCase("\xc3\xa9t\xc3\xa9"), foldCase("\xc3\x89T\xc3\x89"));  // été
        CPPUNIT_ASSERT(foldCase("\xc3\xa9") != foldCase("e"));  // accents still count
    }

    void leavesInvalidUtf8Alone() {
        const std::string invalid = "ABC\xff\xfe";
        CPPUNIT_ASSERT_EQUAL(invalid, foldCase(invalid));
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(CaseFoldTest, "CaseFoldTest");
