"""``/api/docs``: the API's reference, rendered on the server from its own OpenAPI document.

Plain HTML (no script, no CDN): it works with JavaScript off and under the strict
Content-Security-Policy every answer carries, and it cannot drift from the API, since
it is the OpenAPI document shown.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape


def _environment() -> Environment:
    return Environment(loader=PackageLoader("trucewatch", "resources/web"), autoescape=select_autoescape(default=True))


def _schema_name(schema: dict[str, Any]) -> str:
    """A short type for a parameter or field: ``string``, ``integer``, ``IncidentPage``..."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    kind = schema.get("type", "object")
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def install(app: FastAPI, path: str = "/api/docs") -> None:
    env = _environment()
    env.filters["schema_name"] = _schema_name

    @app.get(path, include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        spec = app.openapi()
        return HTMLResponse(env.get_template("api_docs.html").render(spec=spec, openapi_url=app.openapi_url))
