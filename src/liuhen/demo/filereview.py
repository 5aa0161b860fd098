"""Case-file review in the demo (issue #14): the legal unit has finished reviewing the agency's first
archived case file — the automatic items scored from the records, the rest by the reviewer (one
deduction, with its reason), finalised — so 案卷评查 shows a whole review with its report on first
login. Only agencies with an archived demo case get one (in the shipped demo: one agency)."""

from __future__ import annotations

from decimal import Decimal

from liuhen.accounts.models import Agency, User
from liuhen.cases.models import Case
from liuhen.filereview.models import FileReview
from liuhen.filereview.services import ScoreSpec, review_create, review_finalise, review_score
from liuhen.filereview.tally import latest_scores


def demo_filereview(agency: Agency, people: dict[str, User]) -> None:
    """Called per agency after governed_access, in its transaction; does nothing twice."""
    reviewer = people.get("legal")
    case = Case.objects.filter(agency=agency, archived_at__isnull=False).order_by("pk").first()
    if reviewer is None or case is None or FileReview.objects.filter(case=case).exists():
        return
    review = review_create(by=reviewer, case_id=case.pk)
    scored = latest_scores(review)
    rest = [
        ScoreSpec(item["id"], "pass")
        for item in review.sheet
        if item["id"] not in scored and item["id"] != "document-number"
    ]
    rest.append(ScoreSpec("document-number", "fail", "送达回证未填写送达文书文号", Decimal("0.5")))
    review_score(review=review, by=reviewer, scores=rest)
    review_finalise(
        review=review,
        by=reviewer,
        opinion="案卷材料齐全，程序合法，文书基本规范；个别文书文号填写不全，请在今后办案中注意。",
    )
