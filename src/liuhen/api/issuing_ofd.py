"""Issued documents as OFD (GB/T 33190): the PDF's twin for systems that take OFD only (版式文档)."""

from __future__ import annotations

from ninja import Query, Router, Schema

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_READ
from liuhen.core.responses import file_response
from liuhen.issuing.ofd_service import document_ofd

router = Router(tags=["documents 文书"])

OFD_TYPE = "application/ofd"
OFD_RESPONSE = {"content": {OFD_TYPE: {"schema": {"type": "string", "format": "binary"}}}}


class OfdQuery(Schema):
    version: int | None = None  # amendments applied: 0 the original, default the current version


@router.get(
    "/documents/{document_id}/ofd",
    response={200: None, **ERRORS_READ},
    summary="文书 OFD（版式文档，未签章）",
    openapi_extra={
        "responses": {200: {"description": "OFD（GB/T 33190），存档联或阅览件，不含电子签章", **OFD_RESPONSE}}
    },
)
def get_document_ofd(request: AuthedRequest, document_id: Id, query: Query[OfdQuery]):
    """The document as OFD, laid out like its PDF but unsigned: the sealed PDF stays the issued
    document. A reader not cleared for personal data gets a viewing copy."""
    content, filename = document_ofd(user=request.user, document_id=document_id, version=query.version)
    return file_response(content, OFD_TYPE, filename)
