"""Every JSON body the Discord fake receives, checked against Discord's own OpenAPI spec.

Discord publishes its HTTP API as OpenAPI 3.1 (https://github.com/discord/discord-api-spec,
a copy in `../shared/data/platform-specs/discord-openapi.json`). Each route's `requestBody`
schema for `application/json` is JSON Schema 2020-12; its `$ref`s point into the document's
`components`, so the whole document is registered once (jsonschema's `referencing` registry)
and each route's schema is reached through a `$ref` into it. `format` stays an annotation, as
2020-12 says by default: the spec's formats (`snowflake`, `nonce`, `int64`) are Discord's own.

The hand-written limits in validate.py still apply on top: the spec cannot say "content or
embeds", nor that `parse: ["users"]` excludes `users`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.support.core import SHARED_DATA

SPEC_PATH = SHARED_DATA / "platform-specs" / "discord-openapi.json"
SPEC_URI = "urn:discord-openapi"
JSON = "application/json"
METHODS = ("post", "put", "patch")


@cache
def _document() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def available() -> bool:
    return SPEC_PATH.is_file()


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@cache
def _routes() -> list[tuple[re.Pattern[str], str, int]]:
    """(regex, OpenAPI path, literal segments) for every path, most literal first, so
    `/webhooks/{id}/{token}/messages/@original` wins over `…/messages/{message_id}`."""
    out = []
    for path in _document()["paths"]:
        segments = path.strip("/").split("/")
        regex = "/".join("[^/]+" if s.startswith("{") else re.escape(s) for s in segments)
        literal = sum(not s.startswith("{") for s in segments)
        out.append((re.compile(f"^/{regex}$"), path, literal))
    return sorted(out, key=lambda r: -r[2])


def route_of(path: str) -> str | None:
    """The OpenAPI path template a request path (without `/api/v10`) falls under."""
    return next((template for regex, template, _ in _routes() if regex.match(path)), None)


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(_document(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


@cache
def _validator(template: str, method: str) -> Draft202012Validator | None:
    operation = _document()["paths"][template].get(method) or {}
    content = (operation.get("requestBody") or {}).get("content") or {}
    if JSON not in content:
        return None
    ref = f"{SPEC_URI}#/" + _pointer("paths", template, method, "requestBody", "content", JSON)
    return Draft202012Validator({"$ref": ref + "/schema"}, registry=_registry())


def body_problems(method: str, path: str, body: Any) -> list[str]:
    """Where `body` breaks the route's request schema (empty when it conforms, or when the
    route or method has no JSON request body in the spec)."""
    method = method.lower()
    template = route_of(path)
    if method not in METHODS or template is None:
        return []
    validator = _validator(template, method)
    if validator is None:
        return []
    problems = []
    for err in validator.iter_errors(body):
        where = "/".join(str(p) for p in err.absolute_path) or "(body)"
        problems.append(f"{method.upper()} {template}: {where}: {err.message[:300]}")
    return problems
