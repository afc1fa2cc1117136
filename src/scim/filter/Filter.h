// The filter AST (RFC 7644 §3.4.2.2): what the parser produces and every visitor (schema
// check, in-memory evaluation, SQL) reads.
#pragma once

#include <memory>
#include <string>

namespace scim::filter {

// An attribute path as written: [schema URN ":"] attribute ["." subAttribute].
struct AttrPath {
    std::string schema;  // "" when not URN-qualified
    std::string attribute;
    std::string subAttribute;  // "" when none

    std::string text() const;  // as a client would write it
};

// Parses "userName", "name.givenName", "urn:...:enterprise:2.0:User:manager.value".
// Throws scim::ScimError 400 invalidFilter (or `scimType`) for anything else.
AttrPath parseAttrPath(const std::string& text, const std::string& scimType = "invalidFilter");

// ATTRNAME of RFC 7643 §2.1 (ALPHA *(nameChar)), or "$ref".
bool isAttrName(const std::string& name);

enum class CompareOp { Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le, Pr };

const char* toString(CompareOp op);

struct Literal {
    enum class Kind { String, Number, Boolean, Null };
    Kind kind = Kind::Null;
    std::string text;  // String: the value; Number: as written
    double number = 0;
    bool boolean = false;
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
    enum class Kind {
        Compare,    // path op value (or path pr)
        And,        // left and right
        Or,         // left or right
        Not,        // not (left)
        ValuePath,  // path[left]: some element of multi-valued `path` matches `left`
    };
    Kind kind = Kind::Compare;
    AttrPath path;  // Compare, ValuePath
    CompareOp op = CompareOp::Eq;
    Literal value;
    NodePtr left;
    NodePtr right;
};

// A canonical, fully parenthesised form, for logs and tests: ((a eq "x") and not(b pr)).
std::string describe(const NodePtr& node);

}  // namespace scim::filter
