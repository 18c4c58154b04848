"""The workbench application: pages, JSON API, static files, error answers and security middleware.

Everything is read-only. Templates autoescape every value (stored text is hostile input) and no template
marks stored text safe; links to stored URLs are made only for http and https addresses.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from scraper.web import api, pages
from scraper.web.params import ParamError
from scraper.web.security import SecurityMiddleware

if TYPE_CHECKING:
    from storage.db import Archive

HERE = Path(__file__).resolve().parent
VERSION = "1"


def web_href(url: str | None) -> str | None:
    """url when it is an http(s) address a link may point to, else None (javascript:, data:, ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def show_time(value: datetime | None, with_time: bool = False) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M UTC") if with_time else value.strftime("%Y-%m-%d")


def templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["web_href"] = web_href
    environment.filters["show_time"] = show_time
    return Jinja2Templates(env=environment)


def create_app(archive: Archive, *, token: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The workbench over an opened archive; token and allowed_hosts as in SecurityMiddleware."""
    app = FastAPI(
        title="newsarchive",
        version=VERSION,
        description="Read-only search, counts, articles and export of a newsarchive archive.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.archive = archive
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ParamError, _param_error)
    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema without its 422 answers: a bad parameter here is a 400 `{"error"}`."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


def error_response(request: Request, status: int, message: str) -> Any:
    """JSON `{"error": message}` under /api/, else the error page."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


async def _invalid_request(request: Request, error: Exception) -> Any:
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    if not problems:
        return error_response(request, 400, "bad request")
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return error_response(request, 400, f"{where}: {first.get('msg', 'invalid')}")


async def _http_error(request: Request, error: Exception) -> Any:
    assert isinstance(error, HTTPException)
    return error_response(request, error.status_code, str(error.detail))


async def _param_error(request: Request, error: Exception) -> Any:
    return error_response(request, 400, str(error))
