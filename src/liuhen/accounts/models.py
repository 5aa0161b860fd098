"""Agencies, their units, the people who work in them, and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from liuhen.accounts.roles import ROLE_LABELS, Permission, permissions_for


class Agency(models.Model):
    """An enforcement agency (行政执法机关) or a supervising justice bureau, with its rule profile."""

    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", "行政执法机关"
        SUPERVISION = "supervision", "司法行政（监督）机关"

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=32)
    case_prefix = models.CharField(max_length=32, help_text="案号前缀，如 大高城管罚")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ENFORCEMENT)
    profile_id = models.CharField(max_length=64, blank=True, help_text="rule profile id, e.g. dalian-cg")
    province = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "机关"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrgUnit(models.Model):
    """A unit inside an agency: 中队、科室、法制股、办公室."""

    class Kind(models.TextChoices):
        SQUAD = "squad", "中队"
        SECTION = "section", "科室"
        LEGAL = "legal", "法制股/法制审核机构"
        OFFICE = "office", "办公室"
        LEADERSHIP = "leadership", "局领导"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = "内设机构"
        unique_together = [("agency", "name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using Liuhen. Belongs to exactly one agency; roles decide what they may do."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    full_name = models.CharField(max_length=64, blank=True)
    certificate_no = models.CharField(max_length=32, blank=True, help_text="执法证号")
    roles = models.JSONField(default=list)
    supervised_agencies = models.ManyToManyField(Agency, related_name="supervisors", blank=True)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS.get(r, r) for r in self.roles]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def can(self, permission: Permission | str) -> bool:
        roles = tuple(self.roles)
        cached = self.__dict__.get("_permissions")
        if cached is None or cached[0] != roles:  # asked many times a request; roles rarely change
            cached = self.__dict__["_permissions"] = (roles, permissions_for(roles))
        return Permission(permission) in cached[1]


class ApiToken(models.Model):
    """A bearer token for programs. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
