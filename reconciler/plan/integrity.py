"""Reading a saved plan without trusting it: bounded parsing and the document's digest.

A plan file may have been edited, truncated or made up. It is parsed with
limits (nesting depth, integer size, no NaN or Infinity), so that no input
can make ktr recurse, overflow or spin, and it must carry the digest
``ktr plan`` computed over everything else in the document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from reconciler.gcpause import gc_paused
from reconciler.problems import UserError

#: The largest plan file ktr reads. A plan of 100,000 topics with their
#: declarations and configs is well under this.
MAX_PLAN_BYTES = 256 * 1024 * 1024

#: A plan document nests at most 8 levels (refused, reassignment, partitions,
#: replicas); anything much deeper was not written by ktr.
MAX_DEPTH = 16

# Kafka's counts are int32 at most (10 digits); more digits than this are
# refused before Python converts them (which is quadratic in their length).
_MAX_INT_DIGITS = 19

DIGEST_KEY = "digest"


class _Refused(Exception):
    pass


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise _Refused(f"an integer of {len(text)} digits")
    return int(text)


def _parse_constant(text: str) -> float:
    raise _Refused(f"{text} (not a JSON number)")


def loads(text: str, source: str = "the plan") -> object:
    """Parse plan JSON within the limits above. Errors name ``source`` (and line and column)."""
    too_deep = f"{source}: not a ktr plan: nested deeper than {MAX_DEPTH} levels"
    try:
        # A plan of 100,000 topics is millions of objects that live on: the
        # cyclic collector walking them again and again would cost more than parsing.
        with gc_paused():
            doc = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except json.JSONDecodeError as error:
        raise UserError(f"{source}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    except _Refused as refused:
        raise UserError(f"{source}: not a ktr plan: it holds {refused}") from None
    except RecursionError:
        raise UserError(too_deep) from None
    if depth(doc) > MAX_DEPTH:
        raise UserError(too_deep)
    return doc


def depth(doc: object) -> int:
    """How deeply lists and objects nest in ``doc`` (a scalar is 0). Iterative, linear."""
    deepest = 0
    stack: list[tuple[object, int]] = [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, Mapping):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def digest(doc: Mapping[str, Any]) -> str:
    """The digest of every field of ``doc`` but the digest itself.

    Canonical JSON (sorted keys, no spaces), so the value does not depend on
    how the file was indented or its keys ordered.
    """
    content = {k: v for k, v in doc.items() if k != DIGEST_KEY}
    blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def sealed(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its digest added as the last field."""
    return {**{k: v for k, v in doc.items() if k != DIGEST_KEY}, DIGEST_KEY: digest(doc)}


def check_digest(doc: Mapping[str, Any]) -> None:
    """Refuse a document whose digest is missing or does not match its content."""
    recorded = doc.get(DIGEST_KEY)
    if not isinstance(recorded, str):
        raise UserError("not a ktr plan: it has no digest; save the plan again with ktr plan --out")
    if recorded != digest(doc):
        raise UserError(
            "the plan was changed after ktr plan saved it (its digest does not match its "
            "content); nothing was applied. Make the plan again with ktr plan --out"
        )
