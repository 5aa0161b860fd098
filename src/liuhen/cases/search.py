"""Case search by text that stays fast at a million cases, in Chinese: which cases' number or cause,
and which parties' names, contain the words searched.

Chinese has no spaces between words, so the indexes are of trigrams (every run of three characters):

* **SQLite**: FTS5 tables with the ``trigram`` tokenizer (SQLite ≥ 3.34), ``cases_case_fts`` (case
  number and cause) and ``cases_party_fts`` (party name), kept by triggers on insert (the rows never
  change: the columns are guarded, migration 0005; migration 0013 installs the tables and triggers).
* **PostgreSQL**: ``pg_trgm`` GIN indexes on ``UPPER(column)``, the very expression Django's
  ``icontains`` compares, so the same ORM condition uses them.

Three characters are what a trigram index can look up. Shorter words:

* a **party name** of one or two characters (王五) is looked up by its beginning on the plain index of
  names: 王五 finds 王五 and 王五六, not 张王五 (a two-character search is, in practice, a whole name
  or a surname with the first given-name character);
* a **case number or cause** of one or two characters: on SQLite, a second FTS5 table,
  ``cases_case_bigram`` (``unicode61`` tokenizer over the text cut into overlapping pairs of
  characters by its insert trigger, migration 0015), finds the cases holding it; on PostgreSQL the
  words are compared row by row while the list is read in its order.

Where an index finds at most :data:`SPARSE` cases, their ids are read first and the list asks for those
rows alone (a rare name among a million cases costs a few lookups); where it finds more, the word is
compared row by row as the list is read in its order (a common word fills the page from its first
rows). Either way the list's visibility rules apply on top, in the caller.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document, Party

TRIGRAM = 3  # the shortest search a trigram index can answer
FEW = 20  # cases with a document of the number searched, checked one by one against the access layer
SPARSE = 2000  # at most this many ids are read and listed; more and the index is probed row by row
_LAST = "\U0010ffff"  # sorts after every character: the end of a prefix range


def indexed(q: str) -> bool:
    """Whether ``q`` is long enough for the trigram indexes."""
    return len(q) >= TRIGRAM


def _fts() -> bool:
    return connection.vendor == "sqlite"


def _phrase(q: str) -> str:
    """``q`` as one FTS5 phrase: a substring to find, whatever characters it holds."""
    return '"' + q.replace('"', '""') + '"'


def case_ids(column: str, q: str) -> list[int] | None:
    """Ids of the cases whose ``column`` (``case_no`` or ``cause``) may contain ``q``, from an index,
    at most :data:`SPARSE` + 1 of them (more means "many"): the trigram index from three characters;
    on SQLite, the bigram index below three (a superset where ``q`` holds punctuation, which the bigram
    tokenizer splits on). ``None``: no index answers. The FTS tables are read directly, so that the
    limit stops the read (inside ``IN (…)`` SQLite would list every hit first)."""
    if column not in ("case_no", "cause"):
        raise ValueError(column)
    if indexed(q) and not _fts():
        found = Case.objects.filter(**{f"{column}__icontains": q}).values_list("pk", flat=True)
        return list(found[: SPARSE + 1])
    if indexed(q):
        table, match = "cases_case_fts", f"{column} : {_phrase(q)}"
    elif _fts() and q.isalnum():
        table, match = "cases_case_bigram", f"{column} : {_phrase(q)}" + ("*" if len(q) == 1 else "")
    else:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s", [match, SPARSE + 1])  # noqa: S608 - constant table names
        return [row[0] for row in cursor.fetchall()]


def case_text(column: str, q: str) -> Q:
    """Cases whose ``column`` contains ``q``. Where an index finds at most :data:`SPARSE` cases, those
    ids (and the comparison itself, which also drops the bigram index's extra hits); where it finds
    more, or none answers, the comparison alone, made row by row as the list is read in its order: a
    common word fills the page from the first rows."""
    contains = Q(**{f"{column}__icontains": q})
    found = case_ids(column, q)
    if found is None or len(found) > SPARSE:
        return contains
    return Q(pk__in=found) & contains


def party_name(q: str) -> Q:
    """Parties whose name contains ``q`` (three characters or more) or begins with it (fewer)."""
    if not indexed(q):
        return Q(name__gte=q, name__lt=q + _LAST)
    if _fts():
        sql = "SELECT rowid FROM cases_party_fts WHERE cases_party_fts MATCH %s"
        return Q(pk__in=RawSQL(sql, [_phrase(q)]))  # noqa: S611  # the search is a bound parameter
    return Q(name__icontains=q)


def id_number(q: str) -> Q:
    """Parties whose ID number is ``q`` in full (an 18-digit number's final X in either case), on the
    plain index of ID numbers."""
    return Q(id_number__in=sorted({q, q.upper(), q.lower()}))


def cases_of_parties(parties: QuerySet[Party]) -> QuerySet[Any, int]:
    """Ids of the cases ``parties`` are party to."""
    links = Case.parties.through.objects.filter(party_id__in=parties.values("pk"))
    return links.values_list("case_id", flat=True)


def documents_numbered(user: User, q: str, doc_types: tuple[str, ...]) -> Q:
    """Cases with a document of ``doc_types`` numbered ``q`` (its 文号, in full) that ``user`` may see.

    The documents are found first by their number (indexed: the ``number`` column, and the
    ``doc_number`` field through an expression index, migration 0014); then the access layer says which
    of them the user may see, one case at a time (:data:`FEW` at most): asked for all documents at once,
    it would list every case of the agency whose records the user reads before looking at these."""
    if _fts():  # the JSON path as a constant, so SQLite matches the expression index
        by_field = RawSQL(  # noqa: S611 - the number is a bound parameter
            "SELECT id FROM cases_document WHERE json_extract(fields, '$.doc_number') = %s", [q]
        )
        numbered = Q(number=q) | Q(pk__in=by_field)
    else:
        numbered = Q(number=q) | Q(fields__doc_number=q)
    found = Document.objects.filter(numbered, doc_type__in=doc_types).values("pk")
    case_ids = sorted(set(Document.objects.filter(pk__in=found).values_list("case_id", flat=True)[: FEW + 1]))
    if len(case_ids) > FEW:
        return Q(pk__in=scope.documents(user).filter(pk__in=found).values("case_id"))
    seen = [c for c in case_ids if scope.documents(user, case_id=c).filter(pk__in=found).exists()]
    return Q(pk__in=seen)


def ids_q(ids: QuerySet[Any, int], field: str = "pk") -> Q:
    """``field`` in ``ids``: as a short list of ids when there are at most :data:`SPARSE` (read now), or
    as a subquery the database probes row by row while it reads the list in order."""
    found = list(ids[: SPARSE + 1])
    if len(found) <= SPARSE:
        return Q(**{f"{field}__in": found})
    return Q(**{f"{field}__in": ids})
