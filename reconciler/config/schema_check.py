"""Checking a document against the JSON Schema and saying what is wrong in human terms.

jsonschema finds every error (``iter_errors``); this module places each one at the YAML node
it concerns (an unknown key at the key itself) and rewrites it into a message that names the
path inside the document and a hint of what to do. For ``anyOf`` alternatives (a seat user
is a login *or* a mapping) the alternative that fits the value's type explains the error.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from reconciler.config import names
from reconciler.config.document import Document
from reconciler.config.paths import describe, show_path, show_value
from reconciler.errors import Problem
from reconciler.schemas import load_schema
from reconciler.typing import KeyPath

#: The schema of one desired-state file, in ``schemas/``.
DESIRED_STATE_SCHEMA = "desired-state.schema.json"

# What a message says is expected, by the schema's `title`, else by its `type`.
_EXPECTED_BY_TITLE = {
    "format version": "the number 1",
    "organization name": "an organization name",
    "GitHub login": "a GitHub login",
    "team slug": "a team slug",
    "date": "a date (YYYY-MM-DD)",
    "seat user": "a login, or a mapping with login, expires and reason",
    "repository key": "a repository key",
    "path pattern": "a path pattern",
    "percentage": 'a percentage such as "10%"',
    "maximum cancellations": 'a number of seats or a percentage such as "10%"',
}
_EXPECTED_BY_TYPE = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
}
_HINT_BY_TITLE = {
    "format version": "write `version: 1`",
    "organization name": f"an organization name has {names.ORG_RULE}",
    "GitHub login": f"a login has {names.LOGIN_RULE}",
    "team slug": names.SLUG_RULE,
    "date": "use YYYY-MM-DD",
    "seat user": "write `- alice`, or `- {login: alice, expires: 2027-03-31, reason: ...}`",
    "repository key": names.REPOSITORY_KEY_RULE,
    "path pattern": "write a pattern such as /secrets/** or **/.env",
    "percentage": 'write a percentage from 0% to 100%, such as "10%"',
    "maximum cancellations": 'write a number of seats, or a percentage such as "10%"',
}
_HINT_REQUIRED = {
    "version": "add `version: 1`",
    "org": "add `org: NAME` with the organization's login",
    "login": "add `login: NAME`",
}


@functools.cache
def _validator() -> Any:
    # Imported here: jsonschema is the slowest import of `validate`, and only this needs it.
    from jsonschema import Draft202012Validator

    schema = load_schema(DESIRED_STATE_SCHEMA)
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """A copy of ``node`` with every local ``$ref`` replaced by the definition it names.

    Same meaning, three times faster: resolving a reference costs more than checking the
    value, and a large file checks one per login. The schema has no recursive definitions.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        if set(target) & set(out):  # both constrain the same keyword: keep both, as allOf
            return {**out, "allOf": [*out.get("allOf", []), target]}
        return {**target, **out}
    if ref is not None:
        out["$ref"] = ref
    return out


#: Lists of names under `seats`, and the rule a plain entry must match; the schema's item
#: patterns are the same rules (a test keeps them in step).
_NAME_LISTS = {
    "users": names.LOGIN,
    "keep": names.LOGIN,
    "exempt": names.LOGIN,
    "teams": names.TEAM_SLUG,
}


def _without_plain_names(data: Any) -> tuple[Any, dict[str, list[int]]]:
    """``data`` with the plain, valid names left out of the `seats` lists, and for each list
    the original index of every entry kept.

    Checking a name costs jsonschema ~40 µs and a regular expression ~1 µs: a config that
    declares 60,000 users spent 2.4 s here. Only entries that might be wrong are checked.
    """
    seats = data.get("seats") if isinstance(data, dict) else None
    if not isinstance(seats, dict):
        return data, {}
    kept_at: dict[str, list[int]] = {}
    slim = dict(seats)
    for name, rule in _NAME_LISTS.items():
        entries = seats.get(name)
        if isinstance(entries, list):
            kept_at[name] = [
                i for i, e in enumerate(entries) if not (isinstance(e, str) and rule.match(e))
            ]
            slim[name] = [entries[i] for i in kept_at[name]]
    return {**data, "seats": slim}, kept_at


def _iter_schema_errors(data: Any) -> Iterable[Any]:
    """``iter_errors`` over ``data``, with error paths pointing into the original lists."""
    checked, kept_at = _without_plain_names(data)
    for error in _validator().iter_errors(checked):
        path = error.path  # nested errors derive their paths from this one
        if len(path) > 2 and path[0] == "seats" and path[1] in kept_at:
            path[2] = kept_at[path[1]][path[2]]
        yield error


def schema_problems(doc: Document) -> list[Problem]:
    """Every way ``doc.data`` breaks the desired-state schema, each at its place."""
    problems: list[Problem] = []
    leaves = [leaf for error in _iter_schema_errors(doc.data) for leaf in _leaves(error)]
    # A value of the wrong type says so once, not also that it is not the expected constant.
    mistyped = {tuple(leaf.absolute_path) for leaf in leaves if leaf.validator == "type"}
    for leaf in leaves:
        path = tuple(leaf.absolute_path)
        if leaf.validator != "type" and path in mistyped:
            continue
        # A value under an unsupported tag was already reported as such.
        if not any(path[: len(tagged)] == tagged for tagged in doc.tagged):
            problems.extend(_explain(doc, leaf))
    return problems


def _leaves(error: Any) -> Iterable[Any]:
    """The errors that explain ``error``: inside an anyOf, those of the fitting alternative."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        yield error
        return
    depth = len(error.absolute_path)
    branches: dict[int, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    # An alternative fits when the value has its type: then its own errors are the story.
    fitting = [
        subs
        for subs in branches.values()
        if not any(s.validator == "type" and len(s.absolute_path) == depth for s in subs)
    ]
    if len(fitting) == 1:
        for sub in fitting[0]:
            yield from _leaves(sub)
    else:
        yield error


def _explain(doc: Document, error: Any) -> list[Problem]:
    # Long: one branch per JSON Schema keyword, read top to bottom as the table it is.
    path: KeyPath = tuple(error.absolute_path)
    prefix = f"{show_path(path)}: " if path else ""
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    title = str(schema.get("title", ""))
    kind = error.validator
    value = error.instance

    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        return [
            Problem(
                doc.key_at((*path, key)),
                f"{prefix}unknown key {show_value(key)}",
                _did_you_mean(key, allowed),
            )
            for key in value
            if key not in allowed
        ]
    if kind == "required":
        return [
            Problem(
                doc.at(path),
                f"{prefix}missing required key {show_value(key)}",
                _HINT_REQUIRED.get(key, ""),
            )
            for key in error.validator_value
            if key not in value
        ]
    if "propertyNames" in error.absolute_schema_path:
        # The instance is a key of the mapping at `path`: point at the key.
        return [
            Problem(
                doc.key_at((*path, value)),
                f"{prefix}{show_value(value)} is not a valid {title or 'key'}",
                _HINT_BY_TITLE.get(title, ""),
            )
        ]
    where = doc.at(path)
    shown = _shown(doc, path, value)
    if kind == "type" or kind in ("anyOf", "oneOf"):
        return [
            Problem(
                where,
                f"{prefix}expected {_expected(schema)}, got {_described(doc, path, value)}",
                _type_hint(doc, path, schema, value),
            )
        ]
    if kind == "const":
        return [Problem(where, f"{prefix}{shown} is not a supported version", "write `version: 1`")]
    if kind == "enum":
        return [
            Problem(
                where,
                f"{prefix}{shown} is not allowed",
                _did_you_mean(str(value), error.validator_value),
            )
        ]
    if kind == "minimum":
        return [Problem(where, f"{prefix}{shown} is negative", "use 0 or a positive number")]
    if kind == "pattern" and title == "percentage" and isinstance(value, str):
        either = _either_number_or_percentage(doc, path, error, value)
        if either is not None:
            return [either]
    if kind in ("pattern", "minLength", "maxLength") and isinstance(value, str):
        return [Problem(where, f"{prefix}{_flaw(title, value)}", _HINT_BY_TITLE.get(title, ""))]
    return [Problem(where, f"{prefix}{error.message}", "see docs/configuration.md")]


def _either_number_or_percentage(
    doc: Document, path: KeyPath, error: Any, value: str
) -> Problem | None:
    """For text where a number *or* a percentage may go (``max_cancellations: "ten"``): a
    message that names both, unless the text was meant as a percentage (it ends in ``%``)."""
    parent = error.parent
    schema = parent.schema if parent is not None and isinstance(parent.schema, dict) else {}
    if parent is None or parent.validator != "anyOf" or value.rstrip().endswith("%"):
        return None
    title = str(schema.get("title", ""))
    prefix = f"{show_path(path)}: " if path else ""
    hint = (
        f"write it without quotes: {value.strip()}"
        if value.strip().isdigit()
        else _HINT_BY_TITLE.get(title, "see docs/configuration.md")
    )
    return Problem(
        doc.at(path), f"{prefix}expected {_expected(schema)}, got {describe(value)}", hint
    )


def _flaw(title: str, value: str) -> str:
    shown = show_value(value)
    if title == "GitHub login":
        return f"{shown} is not a valid {title}: {names.login_flaw(value)}"
    if title == "organization name":
        return f"{shown} is not a valid {title}: {names.login_flaw(value, managed_suffix=False)}"
    if title == "team slug":
        return f"{shown} is not a valid team slug: {names.slug_flaw(value)}"
    if title == "path pattern":
        return f"path pattern {shown} is not valid: {names.pattern_flaw(value)}"
    if title == "date":
        return f"{shown} is not a date in the form YYYY-MM-DD"
    if title == "percentage":
        return f"{shown} is not a percentage from 0% to 100%"
    if not value:
        return "must not be empty (write something, or remove the key)"
    return f"{shown} is not a valid {title or 'value'}"


def _expected(schema: dict[str, Any]) -> str:
    title = str(schema.get("title", ""))
    if title in _EXPECTED_BY_TITLE:
        return _EXPECTED_BY_TITLE[title]
    return _EXPECTED_BY_TYPE.get(str(schema.get("type")), "another kind of value")


def _type_hint(doc: Document, path: KeyPath, schema: dict[str, Any], value: Any) -> str:
    raw = doc.raw.get(path)
    takes_text = schema.get("type") == "string" or schema.get("title") == "seat user"
    if takes_text and raw is not None and value is not None:
        return f'quote it: "{raw}"'  # `- 1234` or `- yes` was meant as text
    if value is None:
        return "give it a value, or remove the key"
    if schema.get("type") == "array":
        item = value if isinstance(value, str) else "..."
        return f"write a list, such as [{item}]"
    return _HINT_BY_TITLE.get(str(schema.get("title", "")), "see docs/configuration.md")


def _shown(doc: Document, path: KeyPath, value: Any) -> str:
    if value is None:
        return "an empty value"
    raw = doc.raw.get(path)
    return raw if raw is not None else show_value(value)


def _described(doc: Document, path: KeyPath, value: Any) -> str:
    raw = doc.raw.get(path)
    if raw is not None and value is not None and not isinstance(value, str):
        return f"{describe(value).rsplit(' ', 1)[0]} {raw}"  # `the boolean off`, as written
    return describe(value)


def _did_you_mean(word: str, allowed: Sequence[str]) -> str:
    listing = ", ".join(allowed)
    close = difflib.get_close_matches(word, allowed, n=1)
    if close:
        return f"did you mean {show_value(close[0])}? allowed: {listing}"
    return f"allowed: {listing}"
