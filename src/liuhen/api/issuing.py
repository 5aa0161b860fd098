"""Issued documents: a document version as a sealed PDF/A (文书出具)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import errors
from liuhen.core.responses import file_response
from liuhen.issuing.services import document_pdf

router = Router(tags=["documents 文书"])

PDF_RESPONSE = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


class PdfQuery(Schema):
    version: int | None = None  # amendments applied: 0 the original, default the current version
    copy_kind: Literal["file", "party"] = Field("file", alias="copy")  # 存档联 or 当事人联


@router.get(
    "/documents/{document_id}/pdf",
    response={200: None, **errors(401, 403, 404, 422, 503)},
    summary="文书 PDF（盖章、签名）",
    openapi_extra={"responses": {200: {"description": "PDF/A-3b，机关电子签章（PAdES）", **PDF_RESPONSE}}},
)
def get_document_pdf(request: AuthedRequest, document_id: Id, query: Query[PdfQuery]):
    """The document as the PDF the agency issues: rendered and sealed the first time a version is asked
    for, then the same stored bytes. A reader not cleared for personal data gets a viewing copy."""
    issued = document_pdf(
        user=request.user, document_id=document_id, version=query.version, copy=query.copy_kind
    )
    response = file_response(issued.content, "application/pdf", issued.filename)
    if issued.issued is not None:
        response["X-Liuhen-SHA256"] = issued.issued.sha256
        response["X-Liuhen-SM3"] = issued.issued.sm3
    return response
