// scim::json::compactText writes what Poco::JSON::Stringifier::condense writes, byte for byte:
// stored documents, audit rows and responses keep the form they had.
#include "scim/Json.h"

#include <Poco/DateTime.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <limits>
#include <sstream>

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string pocoText(const Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

void assertAsPoco(const Var& value) {
    CPPUNIT_ASSERT_EQUAL(pocoText(value), scim::json::compactText(value));
}

class JsonTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonTextTest);
    CPPUNIT_TEST(everyByteInValuesAndNamesIsWrittenAsPocoWritesIt);
    CPPUNIT_TEST(utf8TextStaysAsItIs);
    CPPUNIT_TEST(parsedDocumentsOfEveryKindMatch);
    CPPUNIT_TEST(valuesSetInCodeMatch);
    CPPUNIT_TEST_SUITE_END();

  public:
    void everyByteInValuesAndNamesIsWrittenAsPocoWritesIt() {
        for (int c = 0; c < 256; ++c) {
            const std::string one(1, static_cast<char>(c));
            const std::string inside = "ab" + one + "cd" + one + one;
            assertAsPoco(Var(one));
            assertAsPoco(Var(inside));
            Object::Ptr object = new Object;
            object->set(inside, inside);
            object->set(one, one);
            assertAsPoco(object);
        }
        assertAsPoco(Var(std::string()));
        CPPUNIT_ASSERT_EQUAL(std::string("\"\\\"\\\\\\n\\u001F/\""),
                             scim::json::compactText(Var(std::string("\"\\\n\x1f/"))));
    }

    void utf8TextStaysAsItIs() {
        const std::string text = "Zo\xc3\xab \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80";
        assertAsPoco(Var(text));
        CPPUNIT_ASSERT_EQUAL("\"" + text + "\"", scim::json::compactText(Var(text)));
    }

    void parsedDocumentsOfEveryKindMatch() {
        const std::string text =
            R"({"b":[1,-2,3.5,1e300,18446744073709551615,-9223372036854775808,true,false,null,)"
            R"("x",[],{}],"a":{"nested":{"deeper":[{"k":"v"},[["z"]]]},"empty":""},"c":null,)"
            R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"d":0.1})";
        const Var parsed = Poco::JSON::Parser().parse(text);
        assertAsPoco(parsed);
        assertAsPoco(Poco::JSON::Parser().parse("[]"));
        assertAsPoco(Poco::JSON::Parser().parse(R"(["only"])"));
    }

    void valuesSetInCodeMatch() {
        Object::Ptr object = new Object;
        object->set("int", 42);
        object->set("int64", std::numeric_limits<Poco::Int64>::min());
        object->set("uint64", std::numeric_limits<Poco::UInt64>::max());
        object->set("double", 2.25);
        object->set("float", 0.5f);
        object->set("bool", true);
        object->set("char", 'q');
        object->set("null", Var());
        object->set("date", Poco::DateTime(2026, 12, 6, 7, 30, 0));
        Array array;
        array.add("by value");
        array.add(Var());
        object->set("array", array);
        Object inner;
        inner.set("k", "v");
        object->set("object", inner);
        Array::Ptr list = new Array;
        list->add(object);
        list->add(false);
        assertAsPoco(object);
        assertAsPoco(list);
        assertAsPoco(Var(7));
        assertAsPoco(Var());
    }
};

CPPUNIT_TEST_SUITE_NAMED_REGISTRATION(JsonTextTest, "JsonTextTest");

}  // namespace
