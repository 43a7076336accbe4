"""Checking a loaded document against the schema, fast when it is valid.

jsonschema takes seconds on ten thousand topics. The schema is therefore
also compiled into plain predicates that answer "certainly valid" in a small
fraction of that; jsonschema only looks at the parts they reject, and gives
the errors.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from reconciler.declarations.schema import validation_schema

if TYPE_CHECKING:
    import jsonschema

Check = Callable[[Any], bool]

# The loader only makes these exact types, so ``type(v) in ...`` is exact for
# what it loads (bool is not int here, as in JSON Schema), and anything more
# exotic is simply left to jsonschema.
_TYPES: Mapping[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "deprecated"})
_OBJECT_KEYWORDS = frozenset({"properties", "additionalProperties", "propertyNames"})


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def compile_check(
    schema: Any, defs: Mapping[str, Any], _compiling: frozenset[str] = frozenset()
) -> Check:
    """A predicate that is True when a value certainly satisfies ``schema``.

    It covers the keywords ktr's own schema uses and only has to be exact
    for "valid": a keyword it does not know makes it answer False, and
    jsonschema decides. It runs once per topic, so each schema becomes as
    few calls as it can: references are inlined, an object's keys are
    checked as one set, and a whole number in range is told in one test.
    """
    if schema is True:
        return _always
    if schema is False or not isinstance(schema, dict):
        return _never
    checks: list[Check] = []
    typed_object = schema.get("type") == "object"
    if _OBJECT_KEYWORDS.intersection(schema):
        checks.append(_compile_object(schema, defs, _compiling, typed=typed_object))
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS or keyword in _OBJECT_KEYWORDS:
            continue
        if keyword == "type" and typed_object and len(checks) == 1:
            continue  # the object check tests the type itself
        check = _compile_keyword(keyword, argument, defs, _compiling)
        if check is None:
            return _never
        checks.append(check)
    combined = _all_of(checks)
    if schema.get("type") == "integer" and set(schema) - _ANNOTATIONS <= _INTEGER_KEYWORDS:
        return _whole_number(schema.get("minimum"), schema.get("maximum"), combined)
    return combined


_INTEGER_KEYWORDS = frozenset({"type", "minimum", "maximum"})


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a loop: all() over a generator costs more
            if not check(value):
                return False
        return True

    return every


def _whole_number(low: Any, high: Any, otherwise: Check) -> Check:
    """An integer within bounds: a plain int in one test, anything else the long way."""
    low = -math.inf if low is None else low
    high = math.inf if high is None else high

    def check(value: Any) -> bool:
        if type(value) is int:
            return bool(low <= value <= high)
        return otherwise(value)

    return check


def _compile_keyword(
    keyword: str, argument: Any, defs: Mapping[str, Any], compiling: frozenset[str]
) -> Check | None:
    if keyword == "$ref":
        return _compile_ref(argument, defs, compiling)
    if keyword == "type":
        kinds = argument if isinstance(argument, list) else [argument]
        types = frozenset(t for kind in kinds for t in _TYPES[kind])
        if "integer" in kinds and float not in types:
            return lambda value: (
                type(value) in types or (type(value) is float and value.is_integer())
            )
        return lambda value: type(value) in types
    if keyword == "required":
        names = tuple(argument)
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)
    if keyword == "minimum":
        return lambda value: not _is_number(value) or value >= argument
    if keyword == "maximum":
        return lambda value: not _is_number(value) or value <= argument
    if keyword == "pattern":
        pattern = re.compile(argument)
        return lambda value: not isinstance(value, str) or pattern.search(value) is not None
    if keyword == "enum":
        # Exact types: JSON Schema tells true from 1, which Python's == does not.
        choices = tuple(argument)
        return lambda value: any(type(value) is type(c) and value == c for c in choices)
    if keyword == "minItems":
        return lambda value: not isinstance(value, list) or len(value) >= argument
    if keyword == "minLength":
        return lambda value: not isinstance(value, str) or len(value) >= argument
    if keyword == "uniqueItems":
        if not argument:
            return _always
        # Strings only are told apart here; any other list is left to jsonschema.
        return lambda value: (
            not isinstance(value, list)
            or (all(type(item) is str for item in value) and len(set(value)) == len(value))
        )
    if keyword == "items":
        item = compile_check(argument, defs, compiling)
        return lambda value: not isinstance(value, list) or all(item(v) for v in value)
    return None


def _compile_ref(ref: str, defs: Mapping[str, Any], compiling: frozenset[str]) -> Check:
    prefix = "#/$defs/"
    name = ref[len(prefix) :]
    if not ref.startswith(prefix) or name not in defs:
        return _never
    if name not in compiling:  # inlined: one call less for every value it checks
        return compile_check(defs[name], defs, compiling | {name})
    compiled: list[Check] = []

    def check(value: Any) -> bool:
        if not compiled:  # lazily, as a definition refers to itself
            compiled.append(compile_check(defs[name], defs, compiling))
        return compiled[0](value)

    return check


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compile_object(
    schema: Mapping[str, Any], defs: Mapping[str, Any], compiling: frozenset[str], *, typed: bool
) -> Check:
    """The object keywords (and, when ``typed``, ``type: object``) as one predicate."""
    properties = {
        k: compile_check(v, defs, compiling) for k, v in schema.get("properties", {}).items()
    }
    additional = compile_check(schema.get("additionalProperties", True), defs, compiling)
    names = compile_check(schema.get("propertyNames", True), defs, compiling)
    # With no other keys allowed, one set comparison replaces a look-up per key,
    # and only the properties that can be wrong are looked at.
    closed = frozenset(properties) if additional is _never else None
    checked = {k: check for k, check in properties.items() if check is not _always}

    def check(value: Any) -> bool:
        if type(value) is not dict:
            return not typed
        if closed is not None and not value.keys() <= closed:
            return False
        if names is not _always:
            for key in value:
                if not names(key):
                    return False
        if closed is not None:
            for key, item in value.items():
                known = checked.get(key)
                if known is not None and not known(item):
                    return False
            return True
        for key, item in value.items():  # noqa: SIM110 - as above
            if not properties.get(key, additional)(item):
                return False
        return True

    return check


@functools.lru_cache(maxsize=1)
def _parts() -> tuple[dict[str, Any], Check, dict[str, Any], Check]:
    """The document schema without topic bodies, and the schema of one topic.

    Each is self-contained (``$defs`` copied in), so a topic is checked on its own.
    """
    schema = validation_schema()
    defs = schema["$defs"]
    shell = copy.deepcopy(schema)
    shell["properties"]["topics"]["additionalProperties"] = True
    topic = {**copy.deepcopy(defs["topic"]), "$defs": defs}
    return shell, compile_check(schema, defs), topic, compile_check(topic, defs)


def iter_errors(document: object) -> Iterator[jsonschema.ValidationError]:
    """Every schema error of a loaded document, each with its absolute path."""
    shell, document_ok, topic_schema, topic_ok = _parts()
    if document_ok(document):
        return
    import jsonschema  # only for a document with problems: it takes long to import

    yield from jsonschema.Draft202012Validator(shell).iter_errors(document)
    if not isinstance(document, dict) or not isinstance(document.get("topics"), dict):
        return
    topic_validator = jsonschema.Draft202012Validator(topic_schema)
    for name, body in document["topics"].items():
        if topic_ok(body):
            continue
        for error in topic_validator.iter_errors(body):
            error.path.extendleft(reversed(("topics", name)))
            yield error
