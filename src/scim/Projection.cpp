#include "Projection.h"

#include "Json.h"
#include "Patch.h"
#include "ScimError.h"
#include "filter/Evaluator.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <memory>

namespace scim {
namespace {

using json::isArray;
using json::isObject;
using json::keyOf;
using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Selector = Projection::Selector;

// The list's items: split at commas outside value filters and their quoted strings, trimmed.
std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::string current;
    const auto finishItem = [&] {
        const std::string item = Poco::trim(current);
        if (!item.empty()) {
            items.push_back(item);
        }
        current.clear();
    };
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            current += c;
            if (c == '\\' && i + 1 < text.size()) {
                current += text[++i];
            } else if (c == '"') {
                quoted = false;
            }
            continue;
        }
        if (c == ',' && depth == 0) {
            finishItem();
            continue;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == '[') {
            ++depth;
        } else if (c == ']' && depth > 0) {
            --depth;
        }
        current += c;
    }
    finishItem();
    return items;
}

// A bare extension URN ("urn:...:enterprise:2.0:User") names the whole extension.
bool namesWholeExtension(const std::string& token) {
    const auto colon = token.rfind(':');
    return Poco::icompare(token.substr(0, 4), "urn:") == 0 &&
           token.find('.', colon) == std::string::npos && colon + 1 < token.size() &&
           std::isupper(static_cast<unsigned char>(token[colon + 1]));
}

// `token` with a value filter: the filter is checked against the attribute's sub-attributes
// here, so that applying it later cannot fail.
Selector parseFiltered(const std::string& token, const ResourceSchema& schema) {
    try {
        const PatchPath path = parsePatchPath(token);
        const auto resolved = schema.resolve(path.attribute);
        if (!resolved || !resolved->attribute->multiValued ||
            resolved->attribute->type != AttrType::Complex) {
            throw badRequest("invalidValue", "\"" + token +
                                                 "\": a value filter needs a multi-valued complex "
                                                 "attribute");
        }
        auto whole = std::make_shared<filter::Node>();
        whole->kind = filter::Node::Kind::ValuePath;
        whole->path = path.attribute;
        whole->left = path.valueFilter;
        filter::validate(whole, schema);
        Selector selector{path.attribute, path.valueFilter};
        selector.path.subAttribute = path.subAttribute;
        return selector;
    } catch (const ScimError& e) {
        throw badRequest("invalidValue", e.detail());
    }
}

std::vector<Selector> parseList(const std::string& text, const ResourceSchema& schema) {
    std::vector<Selector> selectors;
    for (const auto& token : splitList(text)) {
        if (namesWholeExtension(token)) {
            Selector whole;
            whole.path.schema = token;
            selectors.push_back(whole);
        } else if (token.find('[') != std::string::npos) {
            selectors.push_back(parseFiltered(token, schema));
        } else {
            selectors.push_back({filter::parseAttrPath(token, "invalidValue"), nullptr});
        }
    }
    return selectors;
}

// Whether an element (or the single value) of the selector's attribute is one it names.
bool selects(const Selector& selector, const Var& element, const ResourceSchema& schema) {
    if (!selector.valueFilter) {
        return true;
    }
    filter::AttrPath attribute = selector.path;
    attribute.subAttribute.clear();
    const auto resolved = schema.resolve(attribute);
    return resolved && isObject(element) &&
           filter::elementMatches(selector.valueFilter, element.extract<Object::Ptr>(), *resolved,
                                  schema);
}

// Where a path's attribute lives: the resource itself (core) or an extension object.
struct Location {
    Object::Ptr container;
    std::string key;  // actual key in container, "" if absent
};

Location locate(const Object::Ptr& resource, const filter::AttrPath& path,
                const ResourceSchema& schema) {
    Location where;
    const auto resolved = schema.resolve(path);
    std::string urn = path.schema;
    std::string attribute = path.attribute;
    if (resolved) {
        urn = resolved->isExtension(schema.core().id) ? resolved->schema->id : "";
        attribute = resolved->attribute->name;
    } else if (!urn.empty() && schema.schema(urn) == schema.schema(schema.core().id)) {
        urn.clear();
    }
    if (urn.empty() || sameName(urn, schema.core().id)) {
        where.container = resource;
    } else {
        const std::string extKey = keyOf(*resource, urn);
        if (extKey.empty() || !isObject(resource->get(extKey))) {
            return where;
        }
        where.container = resource->getObject(extKey);
    }
    where.key = keyOf(*where.container, attribute);
    return where;
}

Object::Ptr shallowCopy(const Object::Ptr& in) {
    Object::Ptr out = new Object;
    for (const auto& member : *in) {
        out->set(member.first, member.second);
    }
    return out;
}

// Builds the response of an `attributes` list. A multi-valued attribute is gathered over all
// paths first (emails.value and emails[type eq "work"] together), then written once.
class Inclusion {
  public:
    Inclusion(const Object::Ptr& from, const ResourceSchema& schema)
        : _from(from), _to(new Object), _schema(schema) {
        for (const char* always : {"schemas", "id"}) {
            if (from->has(always)) {
                _to->set(always, from->get(always));
            }
        }
    }

    void add(const Selector& selector) {
        const filter::AttrPath& path = selector.path;
        if (path.attribute.empty()) {  // a whole extension
            const std::string key = keyOf(*_from, path.schema);
            if (!key.empty()) {
                _to->set(key, _from->get(key));
            }
            return;
        }
        const Location source = locate(_from, path, _schema);
        if (!source.container || source.key.empty()) {
            return;
        }
        Object::Ptr target = targetFor(source.container);
        const Var value = source.container->get(source.key);
        if (isArray(value)) {
            pick(selector, target, source.key, value.extract<Array::Ptr>());
            return;
        }
        if (!selects(selector, value, _schema)) {
            return;
        }
        if (path.subAttribute.empty() || !isObject(value)) {
            target->set(source.key, value);
            return;
        }
        const auto in = value.extract<Object::Ptr>();
        if (!target->has(source.key) || !isObject(target->get(source.key))) {
            target->set(source.key, Object::Ptr(new Object));
        }
        const std::string key = keyOf(*in, path.subAttribute);
        if (!key.empty()) {
            target->getObject(source.key)->set(key, in->get(key));
        }
    }

    // The response, with the elements picked of each multi-valued attribute (none: left out).
    Object::Ptr finish() {
        for (auto& picked : _arrays) {
            Array::Ptr out = new Array;
            for (std::size_t i = 0; i < picked.elements.size(); ++i) {
                const auto& wanted = picked.elements[i];
                const Var element = picked.source->get(static_cast<unsigned>(i));
                if (!wanted.kept) {
                    continue;
                }
                if (wanted.whole || !isObject(element)) {
                    out->add(element);
                    continue;
                }
                const auto in = element.extract<Object::Ptr>();
                Object::Ptr part = new Object;
                for (const auto& sub : wanted.subs) {
                    const std::string key = keyOf(*in, sub);
                    if (!key.empty()) {
                        part->set(key, in->get(key));
                    }
                }
                out->add(part);
            }
            if (out->size() > 0) {
                picked.target->set(picked.key, out);
            }
        }
        return _to;
    }

  private:
    struct Element {
        bool kept = false;
        bool whole = false;
        std::vector<std::string> subs;
    };
    struct Picked {
        Object::Ptr target;
        std::string key;
        Array::Ptr source;
        std::vector<Element> elements;
    };

    // The object that receives what `container` (the resource or an extension) holds.
    Object::Ptr targetFor(const Object::Ptr& container) {
        if (container == _from) {
            return _to;
        }
        std::string extKey;
        for (const auto& member : *_from) {
            if (isObject(member.second) && member.second.extract<Object::Ptr>() == container) {
                extKey = member.first;
            }
        }
        if (!_to->has(extKey)) {
            _to->set(extKey, Object::Ptr(new Object));
        }
        return _to->getObject(extKey);
    }

    void pick(const Selector& selector, const Object::Ptr& target, const std::string& key,
              const Array::Ptr& source) {
        Picked* picked = nullptr;
        for (auto& existing : _arrays) {
            if (existing.target == target && existing.key == key) {
                picked = &existing;
            }
        }
        if (picked == nullptr) {
            _arrays.push_back({target, key, source, std::vector<Element>(source->size())});
            picked = &_arrays.back();
        }
        for (std::size_t i = 0; i < source->size(); ++i) {
            if (!selects(selector, source->get(static_cast<unsigned>(i)), _schema)) {
                continue;
            }
            Element& element = picked->elements[i];
            element.kept = true;
            if (selector.path.subAttribute.empty()) {
                element.whole = true;
            } else {
                element.subs.push_back(selector.path.subAttribute);
            }
        }
    }

    const Object::Ptr _from;
    Object::Ptr _to;
    const ResourceSchema& _schema;
    std::vector<Picked> _arrays;
};

// `path.subAttribute` removed from a copy of `element`.
Var withoutSub(const Var& element, const std::string& sub) {
    if (!isObject(element)) {
        return element;
    }
    Object::Ptr copy = shallowCopy(element.extract<Object::Ptr>());
    const std::string key = keyOf(*copy, sub);
    if (!key.empty()) {
        copy->remove(key);
    }
    return copy;
}

// Removes what `selector` names from `resource`, whose objects are copies of the original's;
// arrays and nested objects are replaced, never changed in place.
void exclude(Object::Ptr resource, const Selector& selector, const ResourceSchema& schema) {
    const filter::AttrPath& path = selector.path;
    if (path.attribute.empty()) {
        const std::string key = keyOf(*resource, path.schema);
        if (!key.empty()) {
            resource->remove(key);
        }
        return;
    }
    Location where = locate(resource, path, schema);
    if (!where.container || where.key.empty()) {
        return;
    }
    const Var value = where.container->get(where.key);
    if (isArray(value) && (selector.valueFilter || !path.subAttribute.empty())) {
        const auto in = value.extract<Array::Ptr>();
        Array::Ptr kept = new Array;
        for (std::size_t i = 0; i < in->size(); ++i) {
            const Var element = in->get(static_cast<unsigned>(i));
            if (!selects(selector, element, schema)) {
                kept->add(element);
            } else if (!path.subAttribute.empty()) {
                kept->add(withoutSub(element, path.subAttribute));
            }
        }
        if (kept->size() == 0) {
            where.container->remove(where.key);
        } else {
            where.container->set(where.key, kept);
        }
        return;
    }
    if (!selects(selector, value, schema)) {
        return;
    }
    if (path.subAttribute.empty()) {
        where.container->remove(where.key);
    } else {
        where.container->set(where.key, withoutSub(value, path.subAttribute));
    }
}

}  // namespace

Projection Projection::parse(const std::string& attributes, const std::string& excluded,
                             const ResourceSchema& schema) {
    Projection projection;
    projection._attributes = parseList(attributes, schema);
    projection._excluded = parseList(excluded, schema);
    return projection;
}

bool Projection::includes(const std::string& attribute) const {
    for (const auto& selector : _excluded) {
        const auto& path = selector.path;
        if (path.schema.empty() && path.subAttribute.empty() && !selector.valueFilter &&
            sameName(path.attribute, attribute)) {
            return false;
        }
    }
    if (_attributes.empty()) {
        return true;
    }
    for (const auto& selector : _attributes) {
        if (selector.path.schema.empty() && sameName(selector.path.attribute, attribute)) {
            return true;
        }
    }
    return false;
}

Object::Ptr Projection::apply(const Object::Ptr& resource, const ResourceSchema& schema) const {
    if (empty()) {
        return resource;
    }
    if (!_attributes.empty()) {
        Inclusion inclusion(resource, schema);
        for (const auto& selector : _attributes) {
            inclusion.add(selector);
        }
        return inclusion.finish();
    }
    Object::Ptr out = shallowCopy(resource);
    for (const auto& member : *out) {
        if (isObject(member.second)) {  // copies, so removing never touches the original
            out->set(member.first, shallowCopy(member.second.extract<Object::Ptr>()));
        }
    }
    for (const auto& selector : _excluded) {
        if (!sameName(selector.path.attribute, "id") &&
            !sameName(selector.path.attribute, "schemas")) {
            exclude(out, selector, schema);
        }
    }
    return out;
}

}  // namespace scim
