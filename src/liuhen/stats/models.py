"""Statistics for the justice bureau and heads: counters maintained by the services, the 统计年报 tables (issue #14)."""

from __future__ import annotations
