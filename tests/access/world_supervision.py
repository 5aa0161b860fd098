"""The supervision objects of the isolation world (issue #14), built by
:func:`tests.access.conftest.build_world` after the rest: one spot check and one rectification per agency
(:func:`spot_checks`, rows in :mod:`tests.access.rows_spotchecks`), one case-file review and one campaign
per agency (:func:`file_reviews`, rows in :mod:`tests.access.rows_filereview`)."""

from __future__ import annotations

from datetime import timedelta

from tests.access.conftest import Obj


def spot_checks(objects: dict, principals: dict) -> None:
    from liuhen.accounts.models import Agency, User
    from liuhen.core import clock
    from liuhen.spotchecks import services
    from liuhen.spotchecks.models import Rectification, SpotCheckJudgement, SpotCheckSample
    from tests.factories import make_user

    legal_a = User.objects.get(pk=principals["legal_unit"].user_id)
    legal_b = make_user(Agency.objects.get(code="iso-b"), ["legal_unit"], username="iso_b_spot_legal")
    now = clock.now()
    today = now.astimezone(clock.SHANGHAI).date()
    for tag, legal in (("A", legal_a), ("B", legal_b)):
        check = services.spot_check_announce(
            by=legal,
            announcement=services.Announcement(
                title=f"MK_{tag}_SCHECK_ 抽查",
                period_basis="opened",
                period_from=today - timedelta(days=3650),
                period_to=today + timedelta(days=1),
                sample_size=20,
                what="both",
            ),
        )
        services.spot_check_draw(check=check, by=legal)
        objects[f"scheck-{tag}"] = Obj(
            f"scheck-{tag}", "spot_check", tag, check.pk, markers=(f"MK_{tag}_SCHECK_",)
        )
        sample = SpotCheckSample.objects.get(check_ref=check, case_id=objects[f"case-{tag}"].pk)
        judgement = SpotCheckJudgement.objects.create(
            sample=sample,
            item_id="iso-item",
            item_text="隔离测试检查项",
            verdict="fail",
            remark=f"MK_{tag}_SJUDGE_ 缺签名",
            judged_by=legal,
            judged_at=now,
        )
        rect = Rectification.objects.create(
            check_ref=check,
            sample=sample,
            judgement=judgement,
            number=f"{check.number}整改1",
            addressee_user=sample.case.handler,
            requirement="补签",
            due_on=today + timedelta(days=10),
            basis="测试",
            issued_by=legal,
            issued_at=now,
        )
        objects[f"srect-{tag}"] = Obj(
            f"srect-{tag}", "rectification", tag, rect.pk, markers=(f"MK_{tag}_SJUDGE_",), case=f"case-{tag}"
        )


def file_reviews(objects: dict, principals: dict) -> None:
    from liuhen.accounts.models import Agency, User
    from liuhen.filereview import services
    from tests.factories import make_user

    legal_a = User.objects.get(pk=principals["legal_unit"].user_id)
    legal_b = make_user(Agency.objects.get(code="iso-b"), ["legal_unit"], username="iso_b_legal")
    for tag, legal in (("A", legal_a), ("B", legal_b)):
        case_pk = objects[f"case-{tag}"].pk
        review = services.review_create(by=legal, case_id=case_pk)
        objects[f"freview-{tag}"] = Obj(f"freview-{tag}", "file_review", tag, review.pk, case=f"case-{tag}")
        campaign = services.campaign_create(by=legal, name=f"{tag}年度评查", case_ids=[case_pk])
        objects[f"fcampaign-{tag}"] = Obj(f"fcampaign-{tag}", "review_campaign", tag, campaign.pk)
