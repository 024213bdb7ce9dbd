"""The web app's pages: the stories, a story, compare, a job, the API explorer; and their static
files (a fixed list, read from the package: no request names a file on the server).

Every page is rendered by Jinja2 with autoescaping; article content appears only as escaped text
or inside the JSON block the report's script reads (`render/html_report._json_for_script`). The
Content-Security-Policy (`_guard.PAGE_POLICY`) allows scripts and styles from this server only,
so markup that slipped through could still run nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from .._exceptions import InputError, InvalidArgument, NotEnoughArticles
from ._api import check_urls, list_stories, start_story_job, submit_compare
from ._app import state_of
from ..ingest._decode import human_size
from ._guard import DOCS_POLICY, from_another_site
from ._jobs import Busy

router = APIRouter(include_in_schema=False)

_HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=ChoiceLoader([PackageLoader("storydiff", "serve/templates"), PackageLoader("storydiff", "render/templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(name: str, request: Request, status: int = 200, **context) -> HTMLResponse:
    from .._version import __version__

    html = _environment().get_template(name).render(version=__version__, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> str:
    from .._version import __version__

    return _environment().get_template("error.html.j2").render(version=__version__, path=request.url.path, status=status, message=message)


def comparison_html(comparison) -> Markup:
    """The report's body for a comparison, to put inside a page."""
    from ..render.html_report import report_context

    return Markup(_environment().get_template("_report_body.html.j2").render(**report_context(comparison), standalone=False))


# -- stories --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: str = "",
    since: str = "",
    until: str = "",
    outlet: str = "",
    min_outlets: int = Query(2, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    order: str = "outlets",
):
    if order not in ("outlets", "latest"):
        order = "outlets"
    limit = 50
    outlets = [o.strip() for o in outlet.split(",") if o.strip()]
    try:
        rows, spread = list_stories(request, q, since, until, outlets, min_outlets, limit + 1, offset, order)
        problem = None
    except InvalidArgument as error:
        rows, spread, problem = [], {}, str(error)
    summary = state_of(request).summary()
    query = {"q": q, "since": since, "until": until, "outlet": outlet, "min_outlets": min_outlets, "order": order}
    return _page(
        "stories.html.j2", request,
        stories=rows[:limit], spread=spread, more=len(rows) > limit, offset=offset, limit=limit, query=query,
        problem=problem, summary=summary,
    )


@router.get("/stories/{story}", response_class=HTMLResponse)
def story_page(request: Request, story: int):
    from ..corpus.insights import reporting_order

    state = state_of(request)
    corpus = state.corpus()
    row = corpus.story(story)
    members = corpus.articles(story)
    order = reporting_order(members)
    body, job, note = None, None, None
    try:
        key = corpus.comparison_key(story)
    except NotEnoughArticles as error:
        key, note = None, str(error)
    if key is not None:
        # The rendered comparison is cached under its key: a story page that was seen is a store
        # read (its articles, for the key) and a look-up; the kept JSON is parsed once.
        body = state.cached(("story", story, key), lambda: _kept_html(corpus, story))
        if body is None:
            state.forget(("story", story, key))
            job = state.board.story_job(story)
            if from_another_site(request) and (job is None or job.status == "done"):
                job, note = None, "This story has not been compared yet: open it from this app to compare it."
            elif job is None or job.status == "done":  # done, yet nothing kept: the story changed since
                try:
                    job = start_story_job(request, story)
                except Busy as error:
                    note = str(error)
    return _page("story.html.j2", request, story=row, members=members, order=order, body=body, job=job, note=note)


def _kept_html(corpus, story: int) -> Markup | None:
    kept = corpus.kept_comparison(story)
    return comparison_html(kept[1]) if kept is not None else None


@router.post("/stories/{story}/compare")
def story_compare_again(request: Request, story: int):
    state_of(request).corpus().story(story)
    start_story_job(request, story)
    return RedirectResponse(f"/stories/{story}", status_code=303)


# -- compare --------------------------------------------------------------------------------

TEXT_BOXES = 3


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request):
    return _compare_form(request)


def _compare_form(request: Request, status: int = 200, problem: str | None = None, texts=None, outlets=None, urls: str = "") -> HTMLResponse:
    state = state_of(request)
    texts = list(texts or [])
    boxes = max(TEXT_BOXES, len(texts))
    return _page(
        "compare.html.j2", request, status=status, problem=problem,
        texts=texts + [""] * (boxes - len(texts)), outlets=list(outlets or []) + [""] * (boxes - len(outlets or [])), urls=urls,
        jobs=[j for j in state.board.recent() if j.kind == "compare"], settings=state.settings,
    )


@router.post("/compare")
async def compare_submit(request: Request):
    from starlette.concurrency import run_in_threadpool

    settings = state_of(request).settings
    try:
        form = await request.form(max_files=settings.max_articles, max_fields=100, max_part_size=settings.max_file)
    except Exception as error:  # noqa: BLE001 - multipart's errors have no common base; each is the user's
        return _compare_form(request, problem=f"the form could not be read: {error}")
    texts, outlets = [], []
    for n in range(1, 100):
        if f"text{n}" not in form:
            break
        texts.append(str(form.get(f"text{n}") or ""))
        outlets.append(str(form.get(f"outlet{n}") or "").strip())
    urls = str(form.get("urls") or "")
    given = [{"text": t, "outlet": o or None, "title": None, "source": f"text {n + 1}"} for n, (t, o) in enumerate(zip(texts, outlets)) if t.strip()]
    notes = []
    for upload in form.getlist("files"):
        if isinstance(upload, str) or not upload.filename:
            continue
        data = await upload.read(settings.max_file + 1)
        name = Path(upload.filename).name[:120] or "a file"
        if len(data) > settings.max_file:
            notes.append(f"{name}: over the size cap of {human_size(settings.max_file)}")
            continue
        try:
            # in a thread: decompressing and decoding a few MB would hold every other request up
            given.append({"text": await run_in_threadpool(_decoded, data, name, settings.max_file), "outlet": None, "title": None, "source": name})
        except InputError as error:
            notes.append(str(error))
    try:
        job = await run_in_threadpool(submit_compare, request, given, [u for u in urls.splitlines()], notes)
    except (InvalidArgument, NotEnoughArticles, Busy) as error:
        message = str(error) + (f" (left out: {'; '.join(notes)})" if notes else "")
        # The form again, with what was typed and why it was refused. A 200: the page is the answer
        # (a 4xx would have the browser log an error for a mistake the page already explains).
        return _compare_form(request, problem=message, texts=texts, outlets=outlets, urls=urls)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _decoded(data: bytes, name: str, limit: int) -> str:
    """An uploaded file's text, decoded as a file on disk would be (or InputError: binary, empty,
    over `limit` bytes once decompressed)."""
    from ..ingest._decode import decode, html_declared_charset, maybe_gunzip

    data = maybe_gunzip(data, name, limit)
    text, _codec = decode(data, name, declared=html_declared_charset(data))
    return text


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str):
    from .._models import Comparison

    state = state_of(request)
    job = state.board.get(job_id)
    if job.kind == "story" and job.story is not None:
        return RedirectResponse(f"/stories/{job.story}", status_code=303)
    body = None
    report = None
    if job.status == "done" and job.kind == "compare":
        body = state.cached(("job", job.id), lambda: comparison_html(Comparison.from_json(job.result)))
    elif job.status == "done" and job.kind == "ingest":
        report = job.result
    return _page("job.html.j2", request, job=job, body=body, report=report)


# -- the API explorer and static files ----------------------------------------------------------


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request):
    has_swagger = _swagger_folder() is not None
    response = _page("docs.html.j2", request, has_swagger=has_swagger, routes=_api_routes(request))
    if has_swagger:
        response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response


def _api_routes(request: Request) -> list[tuple[str, str, str]]:
    document = request.app.openapi()
    out = []
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            out.append((method.upper(), path, operation.get("summary", "")))
    return out


@lru_cache(maxsize=1)
def _swagger_folder() -> Path | None:
    # fastapi-offline ships Swagger UI 5 (which reads OpenAPI 3.1) as static files; only they are used.
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _static_files() -> dict[str, Path | None]:
    render = _HERE.parent / "render" / "templates"
    swagger = _swagger_folder()
    return {
        "app.css": _HERE / "static" / "app.css",
        "app.js": _HERE / "static" / "app.js",
        "docs.js": _HERE / "static" / "docs.js",
        "report.css": render / "report.css",
        "report.js": render / "report.js",
        "swagger-ui.css": swagger / "swagger-ui.css" if swagger else None,
        "swagger-ui-bundle.js": swagger / "swagger-ui-bundle.js" if swagger else None,
    }


@lru_cache(maxsize=16)
def _static_bytes(name: str) -> bytes | None:
    path = _static_files().get(name)
    return path.read_bytes() if path is not None and path.is_file() else None


@router.get("/static/{name}")
def static(name: str):
    data = _static_bytes(name) if name in _static_files() else None
    if data is None:
        from .._exceptions import NotFound

        raise NotFound(f"no static file {name!r}")
    return Response(data, media_type=_STATIC_TYPES[Path(name).suffix], headers={"Cache-Control": "public, max-age=600"})


@router.get("/favicon.ico")
def favicon():
    return Response(status_code=204)


__all__ = ["router", "error_page", "check_urls"]
