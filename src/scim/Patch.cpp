#include "Patch.h"

#include "Json.h"
#include "ScimError.h"
#include "Values.h"
#include "filter/Evaluator.h"
#include "filter/FilterParser.h"

#include <Poco/String.h>

namespace scim {
namespace {

using filter::Node;
using filter::NodePtr;
using json::isArray;
using json::isObject;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string keyOf(const Object::Ptr& object, const std::string& name) {
    return json::keyOf(*object, name);
}

Var deepCopy(const Var& value) {
    if (isObject(value)) {
        Object::Ptr out = new Object;
        for (const auto& m : *value.extract<Object::Ptr>()) {
            out->set(m.first, deepCopy(m.second));
        }
        return out;
    }
    if (isArray(value)) {
        Array::Ptr out = new Array;
        const auto in = value.extract<Array::Ptr>();
        for (std::size_t i = 0; i < in->size(); ++i) {
            out->add(deepCopy(in->get(static_cast<unsigned>(i))));
        }
        return out;
    }
    return value;
}

ScimError invalidPath(const std::string& path, const std::string& why) {
    return badRequest("invalidPath", "Invalid path \"" + path + "\": " + why);
}

// Two elements of a multi-valued attribute are the same when their "value"s are, or (without
// a "value") when they are equal as a whole.
bool sameElement(const Var& a, const Var& b) {
    if (isObject(a) && isObject(b)) {
        const auto oa = a.extract<Object::Ptr>();
        const auto ob = b.extract<Object::Ptr>();
        const std::string ka = keyOf(oa, "value");
        const std::string kb = keyOf(ob, "value");
        if (!ka.empty() && !kb.empty()) {
            return json::compactText(oa->get(ka)) == json::compactText(ob->get(kb));
        }
    }
    return json::compactText(a) == json::compactText(b);
}

Array::Ptr asArray(const Var& value) {
    if (isArray(value)) {
        return value.extract<Array::Ptr>();
    }
    Array::Ptr array = new Array;
    if (!value.isEmpty()) {
        array->add(value);
    }
    return array;
}

// The attribute equalities a value filter states (type eq "work" and primary eq true), from
// which add/replace can create the element it names; false if the filter says more.
bool equalities(const NodePtr& node, Object::Ptr element) {
    if (node->kind == Node::Kind::And) {
        return equalities(node->left, element) && equalities(node->right, element);
    }
    if (node->kind != Node::Kind::Compare || node->op != filter::CompareOp::Eq ||
        !node->path.schema.empty() || !node->path.subAttribute.empty()) {
        return false;
    }
    switch (node->value.kind) {
        case filter::Literal::Kind::String:
            element->set(node->path.attribute, node->value.text);
            return true;
        case filter::Literal::Kind::Boolean:
            element->set(node->path.attribute, node->value.boolean);
            return true;
        case filter::Literal::Kind::Number:
            element->set(node->path.attribute, node->value.number);
            return true;
        case filter::Literal::Kind::Null:
            return false;
    }
    return false;
}

class Patcher {
  public:
    Patcher(Object::Ptr doc, const ResourceSchema& schema, Object::Ptr rendered)
        : _doc(std::move(doc)), _schema(schema), _rendered(std::move(rendered)) {}

    void apply(const PatchOperation& op) {
        if (!op.path) {
            applyPathless(op);
        } else {
            applyPath(op.op, *op.path, op.value, op.path->attribute.text());
        }
    }

  private:
    void applyPathless(const PatchOperation& op) {
        if (op.op == PatchOpKind::Remove) {
            throw badRequest("noTarget", "remove needs a path");
        }
        if (!isObject(op.value)) {
            throw badRequest("invalidValue", "an operation without a path needs an object value");
        }
        for (const auto& member : *op.value.extract<Object::Ptr>()) {
            if (const SchemaDef* whole = _schema.schema(member.first)) {
                applyToSchema(op.op, *whole, member.second, member.first);
                continue;
            }
            // Keys are attribute paths: "displayName", "name.givenName",
            // "urn:...:User:employeeNumber".
            PatchPath path;
            path.attribute = filter::parseAttrPath(member.first, "invalidPath");
            applyPath(op.op, path, member.second, member.first);
        }
    }

    // The object that holds the attribute: the document or an extension's object.
    Object::Ptr container(const std::string& urn, bool create) {
        if (urn.empty()) {
            return _doc;
        }
        const std::string key = keyOf(_doc, urn);
        if (!key.empty() && isObject(_doc->get(key))) {
            return _doc->getObject(key);
        }
        if (!create) {
            return nullptr;
        }
        Object::Ptr ext = new Object;
        _doc->set(urn, ext);
        return ext;
    }

    // A value for a whole schema, core or extension ("urn:...:core:2.0:User": {...}): each
    // member as the path "<urn>:<member>", so the core's password is found under its URN too.
    void applyToSchema(PatchOpKind op, const SchemaDef& schema, const Var& value,
                       const std::string& text) {
        if (op == PatchOpKind::Remove) {
            if (&schema == &_schema.core()) {
                throw invalidPath(text, "the core schema cannot be removed");
            }
            const std::string key = keyOf(_doc, schema.id);
            if (!key.empty()) {
                _doc->remove(key);
            }
            return;
        }
        if (!isObject(value)) {
            throw badRequest("invalidValue", text + " must be an object");
        }
        for (const auto& inner : *value.extract<Object::Ptr>()) {
            PatchPath path;
            path.attribute = filter::parseAttrPath(schema.id + ":" + inner.first, "invalidPath");
            applyPath(op, path, inner.second, path.attribute.text());
        }
    }

    void applyPath(PatchOpKind op, const PatchPath& path, const Var& value,
                   const std::string& text) {
        const filter::AttrPath& a = path.attribute;
        if (!path.valueFilter && a.subAttribute.empty() && !a.schema.empty()) {
            if (const SchemaDef* whole = _schema.schema(a.schema + ":" + a.attribute)) {
                applyToSchema(op, *whole, value, text);
                return;
            }
        }
        if (a.schema.empty() && (sameName(a.attribute, "id") || sameName(a.attribute, "meta") ||
                                 sameName(a.attribute, "schemas"))) {
            if (op != PatchOpKind::Remove && !path.valueFilter && sameAsRendered(a, value)) {
                return;  // RFC 7644 §3.5.2: a readOnly value that changes nothing is ignored
            }
            throw badRequest("mutability", text + " is managed by the server");
        }
        const auto resolved = _schema.resolve(path.attribute);
        if (!resolved) {
            applyUnknown(op, path, value, text);
            return;
        }
        const AttributeDef& attribute = *resolved->attribute;
        const std::string urn =
            resolved->isExtension(_schema.core().id) ? resolved->schema->id : "";
        if (!isWritable(resolved->leaf())) {
            // Allowed only as a replace that changes nothing (RFC 7644 §3.5.2.3).
            if (op == PatchOpKind::Remove || path.valueFilter || !sameAsStored(urn, path, value)) {
                throw badRequest("mutability",
                                 text + " is " + toString(resolved->leaf().mutability));
            }
            return;
        }
        Object::Ptr holder = container(urn, op != PatchOpKind::Remove);
        if (!holder) {
            return;  // removing from an extension the resource does not have
        }
        if (path.valueFilter) {
            applyFiltered(op, holder, attribute, *resolved, path, value, text);
        } else if (resolved->subAttribute) {
            applySub(op, holder, attribute, *resolved->subAttribute, value, text);
        } else {
            applyWhole(op, holder, attribute, value, text);
        }
        if (!urn.empty() && holder->size() == 0) {
            _doc->remove(keyOf(_doc, urn));
        }
    }

    static bool isWritable(const AttributeDef& def) {
        return def.mutability != Mutability::ReadOnly && def.mutability != Mutability::Immutable;
    }

    void checkMutability(const AttributeDef& leaf, const std::string& text) {
        if (!isWritable(leaf)) {
            throw badRequest("mutability", text + " is " + toString(leaf.mutability));
        }
    }

    // Whether `value` equals what the client sees at server-managed `path` (id, meta, a member
    // of meta, schemas): an object when each member it names does, so a client may send back
    // part of meta.
    bool sameAsRendered(const filter::AttrPath& path, const Var& value) const {
        if (!_rendered) {
            return false;
        }
        Var shown = json::memberOf(*_rendered, path.attribute);
        if (!path.subAttribute.empty()) {
            shown = isObject(shown)
                        ? json::memberOf(*shown.extract<Object::Ptr>(), path.subAttribute)
                        : Var();
        }
        if (shown.isEmpty()) {
            return false;
        }
        if (isObject(value) && isObject(shown)) {
            const Object::Ptr sent = value.extract<Object::Ptr>();
            const Object::Ptr held = shown.extract<Object::Ptr>();
            for (const auto& member : *sent) {
                const Var mine = json::memberOf(*held, member.first);
                if (mine.isEmpty() || json::compactText(mine) != json::compactText(member.second)) {
                    return false;
                }
            }
            return true;
        }
        return json::compactText(shown) == json::compactText(value);
    }

    // Whether `value` equals what the document holds at `path` (no value filter).
    bool sameAsStored(const std::string& urn, const PatchPath& path, const Var& value) {
        const Object::Ptr holder = container(urn, false);
        if (!holder) {
            return false;
        }
        Var stored = json::memberOf(*holder, path.attribute.attribute);
        if (!path.attribute.subAttribute.empty()) {
            stored = isObject(stored) ? json::memberOf(*stored.extract<Object::Ptr>(),
                                                       path.attribute.subAttribute)
                                      : Var();
        }
        return !stored.isEmpty() && json::compactText(stored) == json::compactText(value);
    }

    // Paths under an extension this server does not know: stored as sent.
    void applyUnknown(PatchOpKind op, const PatchPath& path, const Var& value,
                      const std::string& text) {
        const bool knownSchema =
            path.attribute.schema.empty() || _schema.schema(path.attribute.schema);
        if (knownSchema || path.valueFilter || !path.attribute.subAttribute.empty()) {
            throw invalidPath(text, "no such attribute");
        }
        Object::Ptr holder = container(path.attribute.schema, op != PatchOpKind::Remove);
        if (!holder) {
            return;
        }
        const std::string key = keyOf(holder, path.attribute.attribute);
        if (op == PatchOpKind::Remove || isClearingValue(value)) {
            if (!key.empty()) {
                holder->remove(key);
            }
        } else {
            holder->set(key.empty() ? path.attribute.attribute : key, deepCopy(value));
        }
    }

    void applyWhole(PatchOpKind op, Object::Ptr holder, const AttributeDef& def, const Var& value,
                    const std::string& text) {
        const std::string key = keyOf(holder, def.name);
        if (op == PatchOpKind::Remove) {
            if (key.empty()) {
                return;
            }
            if (def.multiValued && !value.isEmpty()) {
                removeListed(holder, key, def, value, text);
            } else {
                holder->remove(key);
            }
            return;
        }
        if (isClearingValue(value)) {
            if (!key.empty()) {
                holder->remove(key);
            }
            return;
        }
        const Var normalised = normaliseAttribute(def, value, text);
        if (def.multiValued && op == PatchOpKind::Add && !key.empty()) {
            Array::Ptr existing = asArray(holder->get(key));
            const Array::Ptr added = normalised.extract<Array::Ptr>();
            for (std::size_t i = 0; i < added->size(); ++i) {
                const Var element = added->get(static_cast<unsigned>(i));
                bool present = false;
                for (std::size_t j = 0; j < existing->size() && !present; ++j) {
                    present = sameElement(existing->get(static_cast<unsigned>(j)), element);
                }
                if (!present) {
                    existing->add(element);
                }
            }
            holder->set(key, existing);
            return;
        }
        if (def.type == AttrType::Complex && !def.multiValued && !key.empty() &&
            isObject(holder->get(key))) {
            // Sub-attributes not named stay as they are (RFC 7644 §3.5.2.3).
            Object::Ptr target = holder->getObject(key);
            for (const auto& m : *normalised.extract<Object::Ptr>()) {
                target->set(m.first, m.second);
            }
            return;
        }
        if (!key.empty() && key != def.name) {
            holder->remove(key);
        }
        holder->set(def.name, normalised);
    }

    // Entra's member removal: remove path=members value=[{"value": id}, ...] removes only those.
    void removeListed(Object::Ptr holder, const std::string& key, const AttributeDef& def,
                      const Var& value, const std::string& text) {
        Array::Ptr existing = asArray(holder->get(key));
        const Array::Ptr listed = asArray(value);
        Array::Ptr kept = new Array;
        for (std::size_t i = 0; i < existing->size(); ++i) {
            const Var element = existing->get(static_cast<unsigned>(i));
            bool remove = false;
            for (std::size_t j = 0; j < listed->size() && !remove; ++j) {
                Var candidate = listed->get(static_cast<unsigned>(j));
                if (def.type == AttrType::Complex && candidate.isString()) {
                    Object::Ptr wrapped = new Object;
                    wrapped->set("value", candidate);
                    candidate = wrapped;
                }
                remove = sameElement(element, candidate);
            }
            if (!remove) {
                kept->add(element);
            }
        }
        (void)text;
        if (kept->size() == 0) {
            holder->remove(key);
        } else {
            holder->set(key, kept);
        }
    }

    void applySub(PatchOpKind op, Object::Ptr holder, const AttributeDef& def,
                  const AttributeDef& sub, const Var& value, const std::string& text) {
        const std::string key = keyOf(holder, def.name);
        std::vector<Object::Ptr> targets;
        if (!key.empty()) {
            const Var current = holder->get(key);
            if (isObject(current)) {
                targets.push_back(current.extract<Object::Ptr>());
            } else if (isArray(current)) {
                const auto array = current.extract<Array::Ptr>();
                for (std::size_t i = 0; i < array->size(); ++i) {
                    if (isObject(array->get(static_cast<unsigned>(i)))) {
                        targets.push_back(array->getObject(static_cast<unsigned>(i)));
                    }
                }
            }
        }
        if (op == PatchOpKind::Remove || isClearingValue(value)) {
            for (auto& target : targets) {
                const std::string subKey = keyOf(target, sub.name);
                if (!subKey.empty()) {
                    target->remove(subKey);
                }
            }
            if (!key.empty() && !def.multiValued && isObject(holder->get(key)) &&
                holder->getObject(key)->size() == 0) {
                holder->remove(key);
            }
            return;
        }
        const Var normalised = normaliseValue(sub, value, text);
        if (targets.empty()) {
            if (def.multiValued) {
                throw badRequest("noTarget", text + " matches no value; use a value filter");
            }
            Object::Ptr created = new Object;
            holder->set(def.name, created);
            targets.push_back(created);
        }
        for (auto& target : targets) {
            const std::string subKey = keyOf(target, sub.name);
            if (!subKey.empty() && subKey != sub.name) {
                target->remove(subKey);
            }
            target->set(sub.name, normalised);
        }
    }

    void applyFiltered(PatchOpKind op, Object::Ptr holder, const AttributeDef& def,
                       const ResolvedPath& resolved, const PatchPath& path, const Var& value,
                       const std::string& text) {
        if (!def.multiValued || def.type != AttrType::Complex) {
            throw invalidPath(text, def.name + " is not a multi-valued complex attribute");
        }
        const AttributeDef* sub = nullptr;
        if (!path.subAttribute.empty()) {
            sub = def.subAttribute(path.subAttribute);
            if (sub == nullptr) {
                throw invalidPath(text, "no sub-attribute " + path.subAttribute);
            }
            checkMutability(*sub, text);
        }
        const std::string key = keyOf(holder, def.name);
        Array::Ptr elements = key.empty() ? Array::Ptr(new Array) : asArray(holder->get(key));
        std::vector<std::size_t> matched;
        for (std::size_t i = 0; i < elements->size(); ++i) {
            const Var element = elements->get(static_cast<unsigned>(i));
            if (isObject(element) &&
                filter::elementMatches(path.valueFilter, element.extract<Object::Ptr>(), resolved,
                                       _schema)) {
                matched.push_back(i);
            }
        }
        const bool clears = op == PatchOpKind::Remove || isClearingValue(value);
        if (clears) {
            Array::Ptr kept = new Array;
            for (std::size_t i = 0; i < elements->size(); ++i) {
                const bool hit = std::find(matched.begin(), matched.end(), i) != matched.end();
                Var element = elements->get(static_cast<unsigned>(i));
                // Clearing an element's value removes the element: a value-less email is nothing.
                if (hit && sub != nullptr && !sameName(sub->name, "value")) {
                    auto object = element.extract<Object::Ptr>();
                    const std::string subKey = keyOf(object, sub->name);
                    if (!subKey.empty()) {
                        object->remove(subKey);
                    }
                    kept->add(element);
                } else if (!hit) {
                    kept->add(element);
                }
            }
            if (kept->size() == 0) {
                if (!key.empty()) {
                    holder->remove(key);
                }
            } else {
                holder->set(key.empty() ? def.name : key, kept);
            }
            return;
        }
        if (matched.empty()) {
            // Entra sets a first work phone with replace phoneNumbers[type eq "work"].value.
            Object::Ptr created = new Object;
            if (!equalities(path.valueFilter, created)) {
                throw badRequest("noTarget", text + " matches no value");
            }
            elements->add(created);
            matched.push_back(elements->size() - 1);
        }
        for (std::size_t index : matched) {
            auto element = elements->getObject(static_cast<unsigned>(index));
            if (sub != nullptr) {
                element->set(sub->name, normaliseValue(*sub, value, text));
            } else {
                const Var normalised = normaliseValue(def, value, text);
                for (const auto& m : *normalised.extract<Object::Ptr>()) {
                    element->set(m.first, m.second);
                }
            }
        }
        holder->set(key.empty() ? def.name : key, elements);
    }

    Object::Ptr _doc;
    const ResourceSchema& _schema;
    const Object::Ptr _rendered;  // nullptr when not known
};

PatchOpKind parseOp(const Var& value) {
    const std::string op =
        value.isString() ? Poco::toLower(Poco::trim(value.extract<std::string>())) : "";
    if (op == "add") {
        return PatchOpKind::Add;
    }
    if (op == "replace") {
        return PatchOpKind::Replace;
    }
    if (op == "remove") {
        return PatchOpKind::Remove;
    }
    throw badRequest("invalidSyntax", "op must be add, replace or remove");
}

}  // namespace

PatchPath parsePatchPath(const std::string& text) {
    PatchPath path;
    const std::string trimmed = Poco::trim(text);
    const auto open = trimmed.find('[');
    if (open == std::string::npos) {
        path.attribute = filter::parseAttrPath(trimmed, "invalidPath");
        return path;
    }
    // The matching ']' outside quoted strings.
    std::size_t close = std::string::npos;
    bool quoted = false;
    for (std::size_t i = open + 1; i < trimmed.size(); ++i) {
        const char c = trimmed[i];
        if (c == '\\' && quoted) {
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ']' && !quoted) {
            close = i;
            break;
        }
    }
    if (close == std::string::npos) {
        throw invalidPath(text, "unclosed [");
    }
    path.attribute = filter::parseAttrPath(trimmed.substr(0, open), "invalidPath");
    if (!path.attribute.subAttribute.empty()) {
        throw invalidPath(text, "a value filter follows a multi-valued attribute");
    }
    try {
        path.valueFilter = filter::parseFilter(trimmed.substr(open + 1, close - open - 1));
    } catch (const ScimError& e) {
        throw badRequest("invalidPath", e.detail());
    }
    const std::string rest = trimmed.substr(close + 1);
    if (!rest.empty()) {
        if (rest[0] != '.' || !filter::isAttrName(rest.substr(1))) {
            throw invalidPath(text, "unexpected \"" + rest + "\"");
        }
        path.subAttribute = rest.substr(1);
    }
    return path;
}

std::vector<PatchOperation> parsePatchRequest(const Object::Ptr& body, std::size_t maxOperations) {
    if (!body) {
        throw badRequest("invalidSyntax", "The request body must be a PatchOp object");
    }
    const std::string operationsKey = keyOf(body, "Operations");
    if (operationsKey.empty() || !isArray(body->get(operationsKey))) {
        throw badRequest("invalidSyntax", "A PatchOp needs an Operations array");
    }
    const auto operations = body->getArray(operationsKey);
    if (operations->size() == 0) {
        throw badRequest("invalidSyntax", "The Operations list is empty");
    }
    if (operations->size() > maxOperations) {
        throw badRequest("invalidValue", "A PATCH may carry at most " +
                                             std::to_string(maxOperations) + " operations");
    }
    std::vector<PatchOperation> parsed;
    for (std::size_t i = 0; i < operations->size(); ++i) {
        const Var item = operations->get(static_cast<unsigned>(i));
        if (!isObject(item)) {
            throw badRequest("invalidSyntax", "Every operation must be an object");
        }
        const auto object = item.extract<Object::Ptr>();
        PatchOperation op;
        const std::string opKey = keyOf(object, "op");
        op.op = parseOp(opKey.empty() ? Var() : object->get(opKey));
        const std::string pathKey = keyOf(object, "path");
        if (!pathKey.empty() && !object->get(pathKey).isEmpty()) {
            if (!object->get(pathKey).isString()) {
                throw badRequest("invalidPath", "path must be a string");
            }
            const std::string text = object->getValue<std::string>(pathKey);
            if (!Poco::trim(text).empty()) {
                op.path = parsePatchPath(text);
            }
        }
        const std::string valueKey = keyOf(object, "value");
        if (!valueKey.empty()) {
            op.value = object->get(valueKey);
        }
        if (op.op != PatchOpKind::Remove && valueKey.empty()) {
            throw badRequest("invalidValue", "add and replace need a value");
        }
        parsed.push_back(std::move(op));
    }
    return parsed;
}

NormalisedResource applyPatch(const Object::Ptr& doc, const std::vector<PatchOperation>& operations,
                              const ResourceSchema& schema, const Object::Ptr& rendered) {
    Object::Ptr copy = deepCopy(doc).extract<Object::Ptr>();
    Patcher patcher(copy, schema, rendered);
    for (const auto& op : operations) {
        patcher.apply(op);
    }
    return normaliseResource(copy, schema);
}

}  // namespace scim
