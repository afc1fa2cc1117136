#include "FilterParser.h"

#include "scim/ScimError.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/UTF8Encoding.h>

#include <cctype>
#include <vector>

namespace scim::filter {
namespace {

struct Token {
    enum class Kind { Word, String, LParen, RParen, LBracket, RBracket, End };
    Kind kind = Kind::End;
    std::string text;
    std::size_t position = 0;
};

ScimError invalid(const std::string& detail, std::size_t position) {
    return badRequest("invalidFilter", "Invalid filter at character " +
                                           std::to_string(position + 1) + ": " + detail);
}

void appendUtf8(std::string& out, unsigned codePoint) {
    Poco::UTF8Encoding utf8;
    unsigned char bytes[4];
    const int n = utf8.convert(static_cast<int>(codePoint), bytes, sizeof bytes);
    out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(n));
}

class Lexer {
  public:
    explicit Lexer(const std::string& text) : _text(text) {}

    std::vector<Token> tokens() {
        std::vector<Token> result;
        for (;;) {
            skipSpace();
            Token token;
            token.position = _pos;
            if (_pos >= _text.size()) {
                result.push_back(token);
                return result;
            }
            const char c = _text[_pos];
            if (c == '(' || c == ')' || c == '[' || c == ']') {
                token.kind = c == '('   ? Token::Kind::LParen
                             : c == ')' ? Token::Kind::RParen
                             : c == '[' ? Token::Kind::LBracket
                                        : Token::Kind::RBracket;
                ++_pos;
            } else if (c == '"') {
                token.kind = Token::Kind::String;
                token.text = quoted();
            } else {
                token.kind = Token::Kind::Word;
                while (_pos < _text.size() && !isDelimiter(_text[_pos])) {
                    token.text += _text[_pos++];
                }
            }
            result.push_back(std::move(token));
        }
    }

  private:
    static bool isDelimiter(char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == '[' ||
               c == ']' || c == '"';
    }

    void skipSpace() {
        while (_pos < _text.size() && std::isspace(static_cast<unsigned char>(_text[_pos]))) {
            ++_pos;
        }
    }

    // A JSON string (RFC 8259 §7), the opening quote at _pos.
    std::string quoted() {
        const std::size_t start = _pos++;
        std::string value;
        while (_pos < _text.size()) {
            const char c = _text[_pos++];
            if (c == '"') {
                return value;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                throw invalid("control character in a string", _pos - 1);
            }
            if (c != '\\') {
                value += c;
                continue;
            }
            if (_pos >= _text.size()) {
                break;
            }
            const char e = _text[_pos++];
            switch (e) {
                case '"':
                    value += '"';
                    break;
                case '\\':
                    value += '\\';
                    break;
                case '/':
                    value += '/';
                    break;
                case 'b':
                    value += '\b';
                    break;
                case 'f':
                    value += '\f';
                    break;
                case 'n':
                    value += '\n';
                    break;
                case 'r':
                    value += '\r';
                    break;
                case 't':
                    value += '\t';
                    break;
                case 'u':
                    appendUtf8(value, hex4());
                    break;
                default:
                    throw invalid(std::string("unknown escape \\") + e, _pos - 2);
            }
        }
        throw invalid("unterminated string", start);
    }

    unsigned hex4() {
        if (_pos + 4 > _text.size()) {
            throw invalid("short \\u escape", _pos);
        }
        unsigned value = 0;
        if (!Poco::NumberParser::tryParseHex(_text.substr(_pos, 4), value)) {
            throw invalid("bad \\u escape", _pos);
        }
        _pos += 4;
        return value;
    }

    const std::string& _text;
    std::size_t _pos = 0;
};

bool isKeyword(const Token& token, const char* word) {
    return token.kind == Token::Kind::Word && Poco::icompare(token.text, word) == 0;
}

bool parseOperator(const std::string& text, CompareOp& op) {
    static const std::pair<const char*, CompareOp> ops[] = {
        {"eq", CompareOp::Eq}, {"ne", CompareOp::Ne}, {"co", CompareOp::Co}, {"sw", CompareOp::Sw},
        {"ew", CompareOp::Ew}, {"gt", CompareOp::Gt}, {"ge", CompareOp::Ge}, {"lt", CompareOp::Lt},
        {"le", CompareOp::Le}, {"pr", CompareOp::Pr},
    };
    for (const auto& entry : ops) {
        if (Poco::icompare(text, entry.first) == 0) {
            op = entry.second;
            return true;
        }
    }
    return false;
}

bool isJsonNumber(const std::string& text) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        return i > start;
    };
    if (i < text.size() && text[i] == '-') {
        ++i;
    }
    if (!digits()) {
        return false;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (!digits()) {
            return false;
        }
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            ++i;
        }
        if (!digits()) {
            return false;
        }
    }
    return i == text.size();
}

class Parser {
  public:
    Parser(std::vector<Token> tokens, const ParseLimits& limits)
        : _tokens(std::move(tokens)), _limits(limits) {}

    NodePtr parse() {
        NodePtr node = parseOr();
        if (peek().kind != Token::Kind::End) {
            throw invalid("unexpected \"" + describe(peek()) + "\"", peek().position);
        }
        return node;
    }

  private:
    const Token& peek() const { return _tokens[_index]; }
    const Token& next() { return _tokens[_index < _tokens.size() - 1 ? _index++ : _index]; }

    static std::string describe(const Token& token) {
        switch (token.kind) {
            case Token::Kind::LParen:
                return "(";
            case Token::Kind::RParen:
                return ")";
            case Token::Kind::LBracket:
                return "[";
            case Token::Kind::RBracket:
                return "]";
            case Token::Kind::End:
                return "end of filter";
            default:
                return token.text;
        }
    }

    void expect(Token::Kind kind, const char* what) {
        if (peek().kind != kind) {
            throw invalid(std::string("expected ") + what + ", found \"" + describe(peek()) + "\"",
                          peek().position);
        }
        next();
    }

    struct DepthGuard {
        DepthGuard(Parser& parser, std::size_t position) : _parser(parser) {
            if (++_parser._depth > _parser._limits.maxDepth) {
                throw invalid(
                    "nested deeper than " + std::to_string(_parser._limits.maxDepth) + " levels",
                    position);
            }
        }
        ~DepthGuard() { --_parser._depth; }
        Parser& _parser;
    };

    static NodePtr binary(Node::Kind kind, NodePtr left, NodePtr right) {
        auto node = std::make_shared<Node>();
        node->kind = kind;
        node->left = std::move(left);
        node->right = std::move(right);
        return node;
    }

    NodePtr parseOr() {
        NodePtr left = parseAnd();
        while (isKeyword(peek(), "or")) {
            next();
            left = binary(Node::Kind::Or, left, parseAnd());
        }
        return left;
    }

    NodePtr parseAnd() {
        NodePtr left = parseUnary();
        while (isKeyword(peek(), "and")) {
            next();
            left = binary(Node::Kind::And, left, parseUnary());
        }
        return left;
    }

    NodePtr parseUnary() {
        const Token& token = peek();
        if (isKeyword(token, "not") && _tokens[_index + 1].kind == Token::Kind::LParen) {
            next();
            return binary(Node::Kind::Not, parseGroup(), nullptr);
        }
        if (token.kind == Token::Kind::LParen) {
            return parseGroup();
        }
        return parseAttributeExpression();
    }

    NodePtr parseGroup() {
        DepthGuard guard(*this, peek().position);
        expect(Token::Kind::LParen, "(");
        NodePtr inner = parseOr();
        expect(Token::Kind::RParen, ")");
        return inner;
    }

    NodePtr parseAttributeExpression() {
        const Token& pathToken = next();
        if (pathToken.kind != Token::Kind::Word) {
            throw invalid("expected an attribute path, found \"" + describe(pathToken) + "\"",
                          pathToken.position);
        }
        const AttrPath path = pathAt(pathToken);
        if (peek().kind == Token::Kind::LBracket) {
            return parseValuePath(path, pathToken.position);
        }
        return parseComparison(path);
    }

    static AttrPath pathAt(const Token& token) {
        try {
            return parseAttrPath(token.text);
        } catch (const ScimError&) {
            throw invalid("\"" + token.text + "\" is not an attribute path", token.position);
        }
    }

    NodePtr parseValuePath(const AttrPath& path, std::size_t position) {
        if (!path.subAttribute.empty()) {
            throw invalid("a value path filters a multi-valued attribute, not a sub-attribute",
                          position);
        }
        DepthGuard guard(*this, position);
        expect(Token::Kind::LBracket, "[");
        NodePtr inner = parseOr();
        expect(Token::Kind::RBracket, "]");
        // Entra's `emails[type eq "work"].value eq "x"`.
        if (peek().kind == Token::Kind::Word && !peek().text.empty() && peek().text[0] == '.') {
            const Token& subToken = next();
            AttrPath sub;
            sub.attribute = subToken.text.substr(1);
            if (!isAttrName(sub.attribute)) {
                throw invalid("\"" + subToken.text + "\" is not a sub-attribute",
                              subToken.position);
            }
            inner = binary(Node::Kind::And, inner, parseComparison(sub));
        }
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::ValuePath;
        node->path = path;
        node->left = std::move(inner);
        return node;
    }

    NodePtr parseComparison(const AttrPath& path) {
        const Token& opToken = next();
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::Compare;
        node->path = path;
        if (opToken.kind != Token::Kind::Word || !parseOperator(opToken.text, node->op)) {
            throw invalid(
                "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr), found \"" +
                    describe(opToken) + "\"",
                opToken.position);
        }
        if (node->op != CompareOp::Pr) {
            node->value = parseLiteral();
        }
        return node;
    }

    Literal parseLiteral() {
        const Token& token = next();
        Literal literal;
        if (token.kind == Token::Kind::String) {
            literal.kind = Literal::Kind::String;
            literal.text = token.text;
            return literal;
        }
        if (token.kind != Token::Kind::Word) {
            throw invalid("expected a value, found \"" + describe(token) + "\"", token.position);
        }
        if (Poco::icompare(token.text, "true") == 0 || Poco::icompare(token.text, "false") == 0) {
            literal.kind = Literal::Kind::Boolean;
            literal.boolean = Poco::icompare(token.text, "true") == 0;
        } else if (Poco::icompare(token.text, "null") == 0) {
            literal.kind = Literal::Kind::Null;
        } else if (isJsonNumber(token.text) &&
                   Poco::NumberParser::tryParseFloat(token.text, literal.number)) {
            literal.kind = Literal::Kind::Number;
            literal.text = token.text;
        } else {
            literal.kind = Literal::Kind::String;  // a bare value: Entra's `externalId eq jyoung`
            literal.text = token.text;
        }
        return literal;
    }

    std::vector<Token> _tokens;
    const ParseLimits& _limits;
    std::size_t _index = 0;
    std::size_t _depth = 0;
};

}  // namespace

NodePtr parseFilter(const std::string& text, const ParseLimits& limits) {
    if (text.size() > limits.maxLength) {
        throw badRequest("invalidFilter", "The filter is longer than " +
                                              std::to_string(limits.maxLength) + " characters");
    }
    if (Poco::trim(text).empty()) {
        throw badRequest("invalidFilter", "The filter is empty");
    }
    return Parser(Lexer(text).tokens(), limits).parse();
}

}  // namespace scim::filter
