"""Posting documents (behind an API key) and following the job; reading a stored document.

``POST /api/documents`` takes a batch of texts, HTML pages or URLs and answers 202 with a job
id at once; the documents go through the same runner as ``tocsin run`` in the background, and
``GET /api/jobs/{id}`` reports how far it got.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field, model_validator

from tocsin.api.auth import KeyFirstRoute, require_key
from tocsin.api.filters import TEXT
from tocsin.api.jobs import JobItem
from tocsin.api.problems import Problem, problem_responses
from tocsin.api.response_models import Job, StoredDocument
from tocsin.api.state import database_of, jobs_of

router = APIRouter(tags=["documents"], route_class=KeyFirstRoute)

MAX_BATCH = 100
MAX_TEXT = 5_000_000


class DocumentIn(BaseModel):
    """One document: exactly one of text, html or url."""

    text: str | None = Field(None, max_length=MAX_TEXT, pattern=TEXT)
    html: str | None = Field(None, max_length=MAX_TEXT, pattern=TEXT)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://[^\s\x00]+$")
    published: dt.date | None = Field(
        None, description="Publication date, when the input has none."
    )
    source: str | None = Field(None, max_length=200, pattern=TEXT, description="Outlet name.")

    @model_validator(mode="after")
    def _one_body(self) -> DocumentIn:
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


class DocumentsIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_BATCH)


class JobAccepted(BaseModel):
    job: str
    status: str
    url: str


@router.post(
    "/api/documents",
    status_code=202,
    response_model=JobAccepted,
    summary="Queue documents (text, HTML or URLs) for the pipeline; returns a job id",
    responses=problem_responses(400, 401, 413, 422),
)
def post_documents(
    request: Request,
    response: Response,
    body: DocumentsIn,
    key_id: Annotated[str, Depends(require_key)],
) -> JobAccepted:
    items = [
        JobItem(text=d.text, html=d.html, url=d.url, published=d.published, source=d.source)
        for d in body.documents
    ]
    job_id = jobs_of(request).submit(items, api_key_id=key_id)
    url = f"/api/jobs/{job_id}"
    response.headers["Location"] = url
    return JobAccepted(job=job_id, status="queued", url=url)


@router.get("/api/jobs/{job_id}", summary="Progress of a job", response_model=None,
            responses={200: {"model": Job}, **problem_responses(404, 422)})
def get_job(
    request: Request, job_id: Annotated[str, Path(max_length=32, pattern=r"^[0-9a-f]+$")]
) -> dict[str, Any]:
    job = jobs_of(request).get(job_id)
    if job is None:
        raise Problem(404, f"no job {job_id!r}")
    return job


@router.get("/api/documents/{document_id}", summary="A stored document: metadata and text",
            response_model=None,
            responses={200: {"model": StoredDocument}, **problem_responses(404, 422)})
def get_document(
    request: Request, document_id: Annotated[str, Path(max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
) -> dict[str, Any]:
    result = database_of(request).load_result(document_id)
    if result is None:
        raise Problem(404, f"no document {document_id!r}")
    document = result.document.to_dict()
    document["sentences"] = len(result.sentences)
    return document
