"""The HTTP API (`/api/...`), described by the OpenAPI document at `/openapi.json`.

Lists and stored things are answered at once; comparing and ingesting are jobs (202 with the job,
then `GET /api/jobs/{id}` until it is done). A comparison is the JSON of `storydiff compare
--format json`, whose schema (`resources/comparison.schema.json`) is part of the OpenAPI document.
"""

from __future__ import annotations

import json
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from .._exceptions import InvalidArgument, NotEnoughArticles
from ..ingest._decode import human_size
from ..ingest._fetch import web_url_problem
from ..ingest._sources import is_url
from ._app import state_of
from ._guard import from_another_site

router = APIRouter(prefix="/api", tags=["api"])


# -- what the API answers -------------------------------------------------------------------


class Compared(BaseModel):
    """A kept comparison's headline figures: how much the outlets differ."""

    articles: int
    facts: int
    shared: int
    partial: int
    unique: int
    conflicts: int = Field(description="conflicts the tool is sure of")
    possible_conflicts: int
    quotes_told_differently: int
    differ: float | None = Field(description="share of facts that not every outlet reports")


class Story(BaseModel):
    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    articles: int = Field(description="articles in the story, copies included")
    voices: int = Field(description="articles that are no copy of another")
    outlets: int
    outlet_names: list[str]
    spread: float | None = Field(None, description="1 - mean cosine of the articles' title-and-lead vectors (0: they open alike)")
    compared: Compared | None = Field(None, description="set once the story has been compared")


class StoryList(BaseModel):
    stories: list[Story]
    offset: int
    limit: int


class Article(BaseModel):
    id: int
    story: int | None
    outlet: str | None
    title: str | None
    published: str | None
    author: str | None
    url: str | None
    source: str | None
    copy_of: int | None = Field(description="the stored article this one is a copy of")
    words: int
    text: str | None = Field(None, description="the clean text (left out of lists)")


class Reported(BaseModel):
    article: int
    outlet: str | None
    title: str | None
    published: str | None
    after: str | None = Field(description="how long after the first report")
    copy_of: int | None


class ReportingOrder(BaseModel):
    first: list[Reported]
    followers: list[Reported]
    undated: list[Reported]


class StoryDetail(Story):
    members: list[Article]
    reporting: ReportingOrder
    comparison_url: str


class Job(BaseModel):
    id: str
    kind: Literal["compare", "story", "ingest"]
    label: str
    status: Literal["queued", "running", "done", "failed"]
    progress: list[str] = Field(description="the latest progress messages")
    message: str | None = Field(description="why it failed")
    notes: list[str] = Field(description="inputs left out before the job started")
    created: str | None
    started: str | None
    finished: str | None
    story: int | None
    result_url: str | None = Field(None, description="where the result is, once done")
    page_url: str


class TextIn(BaseModel):
    text: str = Field(description="the article: plain text, copied text, HTML or a JSON record")
    outlet: str | None = None
    title: str | None = None


class CompareIn(BaseModel):
    texts: list[TextIn] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list, description="article URLs (http or https; public addresses only)")


class IngestIn(BaseModel):
    sources: list[str] = Field(description="URLs of articles, RSS/Atom feeds or sitemaps (http or https; public addresses only)")


class IngestResult(BaseModel):
    read: int
    stored: int
    already: int
    skipped: list[list[str]]
    skipped_count: int
    copies: int
    clustered: int
    new_stories: int


# -- stories and articles -------------------------------------------------------------------


def story_out(row, spread: dict[int, float]) -> dict:
    return {
        "id": row.id, "title": row.title, "first_published": row.first_published, "last_published": row.last_published,
        "articles": row.articles, "voices": row.voices, "outlets": row.outlets, "outlet_names": row.outlet_names,
        "spread": spread.get(row.id), "compared": row.compared,
    }


def article_out(stored, *, text: bool = False) -> dict:
    a = stored.article
    return {
        "id": stored.id, "story": stored.story, "outlet": a.outlet, "title": a.title, "published": a.published,
        "author": a.author, "url": a.url, "source": a.source, "copy_of": stored.copy_of, "words": len(a.text.split()),
        "text": a.text if text else None,
    }


def list_stories(request: Request, q: str | None, since: str | None, until: str | None, outlet: list[str], min_outlets: int, limit: int, offset: int, order: str):
    corpus = state_of(request).corpus()
    rows = corpus.stories(
        since=since or None, until=until or None, outlets=[o for o in outlet if o], min_outlets=min_outlets,
        search=q or None, limit=limit, offset=offset, order=order,
    )
    return rows, state_of(request).spread(rows)


@router.get("/stories", response_model=StoryList, summary="List stories")
def stories(
    request: Request,
    q: str | None = Query(None, description="words all found in the title or lead of one of its articles"),
    since: str | None = Query(None, description="YYYY-MM-DD: reported on or after"),
    until: str | None = Query(None, description="YYYY-MM-DD: reported on or before"),
    outlet: list[str] = Query([], description="stories each of these outlets reported"),
    min_outlets: int = Query(1, ge=1),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    order: Literal["outlets", "latest"] = "outlets",
):
    rows, spread = list_stories(request, q, since, until, outlet, min_outlets, limit, offset, order)
    return {"stories": [story_out(r, spread) for r in rows], "offset": offset, "limit": limit}


@router.get("/stories/{story}", response_model=StoryDetail, summary="One story, its articles and who reported it first")
def story(request: Request, story: int):
    corpus = state_of(request).corpus()
    row = corpus.story(story)
    members = corpus.articles(story)
    from ..corpus.insights import reporting_order

    order = reporting_order(members)
    return {
        **story_out(row, state_of(request).spread([row])),
        "members": [article_out(m) for m in members],
        "reporting": {k: [vars(r) for r in getattr(order, k)] for k in ("first", "followers", "undated")},
        "comparison_url": f"/api/stories/{story}/comparison",
    }


@router.get(
    "/stories/{story}/comparison",
    summary="A story's comparison (202 and a job while it is being made)",
    responses={
        200: {"description": "the comparison", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Comparison"}}}},
        202: {"description": "being compared: poll the job", "model": Job},
        403: {"description": "asked by another site's page (Sec-Fetch-Site: cross-site), which may not start work"},
        409: {"description": "the story has fewer than two articles that are no copies"},
    },
)
def story_comparison(request: Request, story: int):
    state = state_of(request)
    corpus = state.corpus()
    corpus.story(story)  # 404 for an unknown story
    kept = corpus.kept_json(story)
    if kept is not None:
        return Response(kept, media_type="application/json")
    if from_another_site(request):  # an <img> on another site's page must not queue work here
        return JSONResponse({"error": "a page of another site cannot start a comparison here"}, status_code=403)
    job = start_story_job(request, story)
    return JSONResponse(job_out(job), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


def start_story_job(request: Request, story: int):
    state = state_of(request)
    corpus = state.corpus()
    corpus.comparison_key(story)  # NotEnoughArticles (409) before a job is made for nothing
    return state.board.submit("story", {"db": str(state.settings.db), "story": story}, f"story {story}", story=story)


@router.get("/articles", response_model=list[Article], summary="A story's articles (without their text)")
def articles(request: Request, story: int = Query(..., description="the story id")):
    return [article_out(m) for m in state_of(request).corpus().articles(story)]


@router.get("/articles/{article}", response_model=Article, summary="One stored article, with its text")
def article(request: Request, article: int):
    found = state_of(request).corpus().articles(ids=[article])
    if not found:
        from .._exceptions import NotFound

        raise NotFound(f"no article {article} in the store")
    return article_out(found[0], text=True)


# -- jobs -----------------------------------------------------------------------------------


def job_out(job) -> dict:
    out = job.public()
    out["page_url"] = f"/jobs/{job.id}" if job.kind != "story" else f"/stories/{job.story}"
    if job.status == "done":
        out["result_url"] = {"compare": f"/api/jobs/{job.id}/result", "story": f"/api/stories/{job.story}/comparison", "ingest": f"/api/jobs/{job.id}/result"}[job.kind]
    return out


def check_urls(urls: list[str]) -> list[str]:
    """The URLs, stripped; InvalidArgument (400) for one that is no http(s) URL: a web user may
    name pages on the web, never a file on this server."""
    out = []
    for url in urls:
        url = url.strip()
        if not url:
            continue
        # The test the fetching code itself makes (`is_url`), on the raw text: urlsplit alone drops
        # control characters and line breaks, so "ht\ntp://..." would pass here and be read as a path there.
        # Then the fetcher's own rule for a web address (`web_url_problem`: http or https, a host).
        parts = urlsplit(url)
        if not is_url(url) or any(c.isspace() or not c.isprintable() for c in url) or web_url_problem(parts):
            raise InvalidArgument(url[:200], "not an http or https URL (only pages on the web can be fetched)")
        out.append(url)
    return out


def submit_compare(request: Request, texts: list[dict], urls: list[str], notes: list[str] | None = None):
    settings = state_of(request).settings
    urls = check_urls(urls)
    texts = [t for t in texts if t["text"].strip()]
    for n, t in enumerate(texts):
        if len(t["text"].encode("utf-8")) > settings.max_file:  # a pasted text is held to a file's cap
            raise InvalidArgument(t.get("source") or f"text {n + 1}", f"over the size cap of {human_size(settings.max_file)}")
    given = len(texts) + len(urls)
    if given + len(notes or []) < 2:
        raise NotEnoughArticles("give at least two articles to compare (texts, URLs or files)", None)
    if given > settings.max_articles:
        raise InvalidArgument("articles", f"{given} given; at most {settings.max_articles} are compared at once")
    spec = {"texts": texts, "urls": urls, "timeout": settings.fetch_timeout, "max_bytes": settings.fetch_max_bytes}
    label = ", ".join([t.get("outlet") or t.get("source") or f"text {n + 1}" for n, t in enumerate(texts)] + urls)
    return state_of(request).board.submit("compare", spec, label[:200], notes=notes)


@router.post("/compare", status_code=202, response_model=Job, summary="Compare articles (a job)")
def compare(request: Request, body: CompareIn):
    texts = [{"text": t.text, "outlet": t.outlet, "title": t.title, "source": f"text {n + 1}"} for n, t in enumerate(body.texts)]
    job = submit_compare(request, texts, body.urls)
    return JSONResponse(job_out(job), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.post("/ingest", status_code=202, response_model=Job, summary="Add articles, feeds or sitemaps to the store (a job)")
def ingest(request: Request, body: IngestIn):
    state = state_of(request)
    sources = check_urls(body.sources)
    if not sources:
        raise InvalidArgument("sources", "give at least one URL to ingest")
    if len(sources) > state.settings.max_sources:
        raise InvalidArgument("sources", f"{len(sources)} given; at most {state.settings.max_sources} in one job")
    spec = {"db": str(state.settings.db), "sources": sources, "timeout": state.settings.fetch_timeout, "max_bytes": state.settings.fetch_max_bytes}
    job = state.board.submit("ingest", spec, ", ".join(sources)[:200])
    return JSONResponse(job_out(job), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.get("/jobs/{job_id}", response_model=Job, summary="A job's status and progress")
def job(request: Request, job_id: str):
    return job_out(state_of(request).board.get(job_id))


@router.get(
    "/jobs/{job_id}/result",
    summary="What a finished job made: a comparison, or an ingest report",
    responses={
        200: {"description": "a comparison (compare jobs) or an ingest report (ingest jobs)", "content": {"application/json": {"schema": {
            "oneOf": [{"$ref": "#/components/schemas/Comparison"}, {"$ref": "#/components/schemas/IngestResult"}]}}}},
        409: {"description": "the job has not finished, or failed"},
    },
)
def job_result(request: Request, job_id: str):
    job = state_of(request).board.get(job_id)
    if job.status != "done":
        return JSONResponse({"error": f"job {job_id} is {job.status}" + (f": {job.message}" if job.message else "")}, status_code=409)
    if job.kind == "compare":
        return Response(job.result, media_type="application/json")
    if job.kind == "ingest":
        return JSONResponse(job.result)
    return JSONResponse({"story": job.result, "comparison_url": f"/api/stories/{job.result}/comparison"})


# -- the OpenAPI document -------------------------------------------------------------------


def add_comparison_schema(app) -> None:
    """Put storydiff's comparison JSON schema into the OpenAPI document as `Comparison` (its
    `$defs` become `Comparison_*` components, so the references resolve there)."""
    from fastapi.openapi.utils import get_openapi

    from ..resources import resource_path

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema = json.loads(resource_path("comparison.schema.json").read_text(encoding="utf-8"))
        defs = schema.pop("$defs", {})
        for key in ("$schema", "$id"):
            schema.pop(key, None)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components["Comparison"] = _rewrite_refs(schema)
        for name, definition in defs.items():
            components[f"Comparison_{name}"] = _rewrite_refs(definition)
        components.setdefault("IngestResult", IngestResult.model_json_schema())
        app.openapi_schema = document
        return document

    app.openapi = openapi


def _rewrite_refs(node):
    if isinstance(node, dict):
        return {k: ("#/components/schemas/Comparison_" + v.split("/")[-1] if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/") else _rewrite_refs(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node
