"""The OpenAPI description is complete and valid: every route under /api/v1/ with each of its
methods, integer ids, the error answers in the {detail, code} shape; and the Swagger UI page loads
nothing from another origin and runs no inline script (the content security policy forbids it)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

API_PREFIX = "api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")
ERROR_SHAPES = {"#/components/schemas/ApiError", "#/components/schemas/ApplicantApiError"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _api_operations():
    """(OpenAPI path, method) for every method each view under /api/v1/ implements."""
    for route, callback in _routes(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}")
        for method in METHODS:
            if hasattr(callback.cls, method):
                yield path, method


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_api_route_is_documented_with_each_of_its_methods(schema):
    routes = set(_api_operations())
    documented = {(path, method) for path, method, _operation in _operations(schema)}
    assert len(routes) > 50
    assert routes - documented == set()
    assert documented - routes == set()


def test_every_id_in_a_path_is_a_documented_integer(schema):
    for path, method, operation in _operations(schema):
        in_path = {parameter["name"]: parameter for parameter in operation.get("parameters", [])}
        for name in re.findall(r"{(\w+)}", path):
            assert in_path[name]["in"] == "path" and in_path[name]["schema"]["type"] == "integer", (method, path)


def _error_shapes(response):
    schema = response["content"]["application/json"]["schema"]
    return {alternative.get("$ref") for alternative in schema.get("oneOf", [schema])}


def test_refusals_are_documented_in_the_detail_and_code_shape(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        if {} not in operation["security"]:
            assert "403" in responses, f"{label}: no 403 for a caller without a session or out of scope"
        if "{" in path:
            assert "404" in responses, f"{label}: no 404 for an unknown id"
        if "requestBody" in operation:
            assert "400" in responses, f"{label}: no 400 for a body that fails validation"
        if method in ("post", "put", "patch", "delete"):
            assert "409" in responses, f"{label}: no 409 for a write a constraint refuses"
        for status, response in responses.items():
            if status.startswith("4"):
                assert _error_shapes(response) & ERROR_SHAPES, f"{label} {status}"
        if "400" in responses:
            # A serializer's field errors are the other shape of a 400.
            assert "#/components/schemas/FieldErrors" in _error_shapes(responses["400"]), label


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/me/assessments/{id}/confirm/" in target.read_text()


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.inline_scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1


def test_the_api_docs_load_their_assets_from_this_site_only(client, db):
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    assets = _Assets()
    assets.feed(page.content.decode())
    assert assets.inline_scripts == 0
    assert len(assets.urls) >= 4  # stylesheet, favicon, two bundles, the page's own script
    for url in assets.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            script = client.get(url)
            assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
            assert reverse("api-schema") in script.content.decode()
