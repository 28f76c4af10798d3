"""Finding a person: by any part of the name, the tax number, the birth date (any
together), and at the desk forgiving typos.

The name is matched on ``citizen.search_name`` (the full name, lower-cased when written):
every word typed must occur in it, as ``search_name LIKE '%word%'``. On PostgreSQL a
trigram index (``gin (search_name gin_trgm_ops)``, migration ``core_2026_12_07t15_30``)
serves that pattern, so a surname among a million people reads only the rows that hold
its letters; on SQLite the longest word typed is looked up in an FTS5 trigram table
(``citizen_name_fts``) and the others are checked on its rows. The tax number and the
birth date are equalities on their B-tree indexes. Pages come in the order of the name
(last, first, id), counted up to the bound of :mod:`core.db.paging`, read with its
cursors beyond the first pages, and, since the planner cannot place a name's matches
along the name index, sorted apart from it when few (``paging.read``'s ``loose``).

The desk (``typo_tolerant``) asks again when nothing matches exactly: the names close to
the words typed, closest first. The database makes the coarse cut: each word typed is
compared with the distinct words of the municipality's names (``citizen_name_word``, a
few thousand words however many people share them, kept by triggers on both engines):
on PostgreSQL by their trigram index (``word % typed``), on SQLite by the three-letter
pieces they share with it (FTS5's rank over ``citizen_name_word_fts``). The close words
the fine cut keeps narrow the names, and the names holding the closest of the longest
word's are read first. A SQLite database migrated where the library had no JSON
functions has no words: its candidates are the names sharing most trigrams with the
words typed, or without any trigram table the names with a word that starts as the
longest word typed does (its first two letters, in each spelling a typist confuses).
Python then keeps those close to every word typed (a letter or two wrong, missing or
extra; і/и, е/є, г/ґ and apostrophes alike) and orders them.
"""

from __future__ import annotations

import difflib
import functools
from datetime import date
from typing import Any

from piccolo.columns.combination import WhereRaw

from core.actor import Actor
from core.db import engine as db_engine
from core.db import paging
from core.db.like import ESCAPE, contains, escape_like, like
from core.db.tables import Citizen
from core.schemas import CitizenOut, Page
from core.workflow import audit
from core.workflow.citizens import to_out

#: Citizens in the order of their names; the id makes the order total.
ORDER = paging.Order("citizens", (Citizen.last_name, Citizen.first_name, Citizen.id))
#: Names the close match looks at, at most (on PostgreSQL the closest, then by name).
CANDIDATES = 200
#: Names matching a tier of close words read at most (a surname shared by more people
#: gives that many of them).
SCAN_LIMIT = 10_000
#: SQLite's coarse cut: the names sharing most trigrams with the words typed (FTS5's
#: rank, over the whole table), or without the trigram table those with a word starting
#: as the longest word typed does; it looks at more names.
SQLITE_CANDIDATES = 1000
SQLITE_PREFIX_CANDIDATES = 5000
#: SQLite's coarse cut of the words of the names: those sharing most trigrams with a word
#: typed (FTS5's rank), which the fine cut narrows to :data:`CLOSE_WORDS`.
SQLITE_CLOSE_WORDS = 100
#: The words of the names taken as close to a word typed, at most, the most similar first.
CLOSE_WORDS = 20
#: How similar (pg_trgm's ``similarity`` of the trigram sets) a word of the names must be
#: to a word typed (pg_trgm's default, 0.3: a wrong letter in the middle of a six-letter
#: word leaves 0.4).
SIMILARITY = 0.3


async def search(
    actor: Actor,
    *,
    q: str | None,
    tax_number: str | None,
    birth_date: date | None,
    page: int,
    page_size: int,
    after: str | None = None,
    typo_tolerant: bool = False,
) -> Page[CitizenOut]:
    """Citizens whose name contains every word of ``q`` (and with the tax number and birth
    date given). ``typo_tolerant``: when nothing matches exactly, the names close to the
    words typed, closest first (one list, without cursors)."""
    base: Any = Citizen.municipality == actor.municipality_id
    if tax_number:
        base = base & (Citizen.tax_number == tax_number)
    if birth_date:
        base = base & (Citizen.birth_date == birth_date)
    where = base
    words = [w.lower() for w in (q or "").split()]
    # SQLite: the longest word through the trigram table, the others checked on its rows
    led = max(words, key=len) if words and db_engine.is_sqlite() and await _has_fts() else ""
    for word in words:
        where = where & _holds(word, fts=word is led)
    in_order = None
    if len(words) == 1 and not tax_number and not birth_date and not db_engine.is_sqlite():
        in_order = _entries(actor.municipality_id, words[0])
    found = await paging.read(
        Citizen,
        where,
        ORDER,
        page=page,
        page_size=page_size,
        after=after,
        loose=base if words else None,
        in_order=in_order,
    )
    rows, total = found.rows, found.total
    result: Page[CitizenOut]
    if not total and q and typo_tolerant and after is None:
        close = await similar_names(base, q, actor.municipality_id)
        rows = close[(page - 1) * page_size : page * page_size]
        total = len(close)
        result = Page(items=[to_out(r) for r in rows], total=total, page=page, page_size=page_size)
    else:
        result = found.page([to_out(r) for r in rows], page=page, page_size=page_size)
    await audit.read(
        actor,
        "citizen.search",
        "citizen",
        None,
        {
            "q": q,
            "tax_number": tax_number,
            "birth_date": str(birth_date or ""),
            "found": total,
            "citizen_ids": sorted(r["id"] for r in rows),
        },
    )
    return result


#: What separates the words of a name (``citizen_name_word``, ``citizen_name_entry``).
_SEPARATORS = frozenset(" \t\n\r\f\v-")


def _entries(municipality_id: int, word: str) -> paging.InOrder | None:
    """PostgreSQL: the people whose name holds ``word`` (a fragment of one word of it), in
    the order of the name, read from ``citizen_name_entry``: the municipality's words
    holding the fragment (their trigram index), and for each its first entries after the
    cursor in the order of the name, merged. A person is among the first ``limit`` of the
    whole when among the first ``limit`` of a word they hold, so each word gives no more.
    ``None`` for a fragment spanning words (with a separator), which only the name holds."""
    if any(c in _SEPARATORS for c in word):
        return None

    async def read(after: list[Any] | None, limit: int) -> list[dict[str, Any]]:
        cursor = "AND (e.last_name, e.first_name, e.citizen) > ({}, {}, {})" if after else ""
        rows: list[dict[str, Any]] = await Citizen.raw(
            "SELECT c.* FROM (SELECT DISTINCT e.last_name, e.first_name, e.citizen "
            "FROM citizen_name_word AS w CROSS JOIN LATERAL (SELECT e.last_name, "
            "e.first_name, e.citizen FROM citizen_name_entry AS e WHERE e.municipality = "
            f"w.municipality AND e.word = w.word {cursor} "
            f"ORDER BY e.last_name, e.first_name, e.citizen LIMIT {int(limit)}) AS e "
            f"WHERE w.municipality = {{}} AND w.word LIKE {{}} ESCAPE '{ESCAPE}' "
            f"ORDER BY 1, 2, 3 LIMIT {int(limit)}) AS p "
            "JOIN citizen AS c ON c.id = p.citizen ORDER BY c.last_name, c.first_name, c.id",
            *(after or []),
            municipality_id,
            f"%{escape_like(word)}%",
        )
        return rows

    return read


def _holds(word: str, *, fts: bool) -> Any:
    """Names holding ``word``: with ``fts`` (SQLite's trigram table), a word of three
    letters or more without LIKE's special characters is looked up there (it takes no
    ESCAPE, and finds nothing shorter); every other word is a LIKE on the name itself."""
    if fts and len(word) >= 3 and not any(c in word for c in ("%", "_", ESCAPE)):
        return WhereRaw(
            '"citizen"."id" IN (SELECT rowid FROM citizen_name_fts WHERE search_name LIKE {})',
            f"%{word}%",
        )
    return contains(Citizen.search_name, word)


#: Per SQLite file and table: whether its migrations could make the table.
_MADE: dict[tuple[str, str], bool] = {}


async def _has_fts() -> bool:
    """Whether the names' trigram table was made (SQLite)."""
    return await _has_table("citizen_name_fts")


async def _has_table(name: str) -> bool:
    key = (str(getattr(Citizen._meta.db, "path", "")), name)
    if key not in _MADE:
        rows = await Citizen.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = {}", name)
        _MADE[key] = bool(rows[0]["n"])
    return _MADE[key]


#: Letters a typist (or a registry) confuses; compared as one.
_FOLD = str.maketrans({"и": "і", "ї": "і", "й": "і", "є": "е", "ґ": "г", "ʼ": "", "’": "", "'": ""})
#: Letters that stand for one another when a name is typed.
_ALIKE = ("іиїй", "еє", "гґ")


def _fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def _close(typed: str, words: list[str]) -> float:
    """How well one typed word matches the best of a name's words (0..1)."""
    return max((_word_close(typed, word) for word in words), default=0.0)


@functools.lru_cache(maxsize=65536)
def _word_close(typed: str, word: str) -> float:
    """How well a typed word matches a word of a name, or 0 when it is too far (a pure
    function, kept: the names found share a few words many times over)."""
    allowed = 1 if len(typed) <= 5 else 2
    prefix = word[: len(typed) + allowed]
    ratio = difflib.SequenceMatcher(None, typed, prefix).ratio()
    if _edits(typed, prefix[: len(typed)]) <= allowed or ratio >= 0.8:
        return ratio
    return 0.0


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, for the short words of a name."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _spellings(folded: str) -> list[str]:
    """Every spelling that folds to ``folded`` (і/и/ї/й, е/є, г/ґ)."""
    out = [""]
    for letter in folded:
        group = next((g for g in _ALIKE if letter in g), letter)
        out = [prefix + other for prefix in out for other in group]
    return out


async def similar_names(where: Any, q: str, municipality_id: int) -> list[dict[str, Any]]:
    """The citizens (of ``where``) whose names are close to every word typed, closest
    first: the database's coarse cut, then Python's fine one."""
    typed = [_fold(w) for w in q.split() if len(w) >= 3]
    if not typed:
        return []
    words = [w.lower() for w in q.split() if len(w) >= 3]
    async with db_engine.planned_for_values():
        if not db_engine.is_sqlite() or await _has_table("citizen_name_word_fts"):
            rows = await _dictionary_candidates(where, words, municipality_id)
        elif await _has_fts():
            rows = await _shared_trigrams(where, words)
        else:
            rows = await _sqlite_candidates(where, max(q.split(), key=len).lower())
    scored = []
    for row in rows:
        name = _fold(row["search_name"]).split()
        scores = [_close(t, name) for t in typed]
        if all(score > 0 for score in scores):
            scored.append((-sum(scores), row["last_name"], row["first_name"], row["id"], row))
    scored.sort(key=lambda item: item[:4])
    return [item[4] for item in scored]


async def _dictionary_candidates(
    where: Any, typed: list[str], municipality_id: int
) -> list[dict[str, Any]]:
    """The citizens whose names hold words close to the words typed, closest first.

    Each word typed is looked up among the distinct words of the municipality's names
    (:func:`_close_words`), and the words found are kept if the fine cut keeps them.
    Every word typed that kept some narrows the names to those holding one of them (the
    name's trigram index). The longest word's close words are taken tier by tier, the
    closest first: the names holding a word of the tier, in the order of the name,
    until :data:`CANDIDATES`."""
    close: dict[str, list[tuple[float, str]]] = {}
    for word in typed:
        found_words = await _close_words(word, municipality_id)
        scored = ((_close(_fold(word), [_fold(w)]), w) for w in found_words)
        close[word] = sorted(((s, w) for s, w in scored if s > 0), reverse=True)[:CLOSE_WORDS]
    lead = max(typed, key=len)
    for word, words in close.items():
        if word != lead and words:  # a word like no word of the names: the fine cut's
            where = where & await _any_of([w for _, w in words])
    tiers: dict[float, list[str]] = {}
    for score, word in close[lead]:  # closest first
        tiers.setdefault(round(score, 2), []).append(word)
    if not tiers:
        if all(not words for words in close.values()):
            return []
        return await _first_by_name(where, CANDIDATES)
    found: dict[int, dict[str, Any]] = {}
    for tier in tiers.values():
        for row in await _first_by_name(where & await _any_of(tier), CANDIDATES - len(found)):
            found.setdefault(row["id"], row)
        if len(found) >= CANDIDATES:
            break
    return list(found.values())


async def _close_words(word: str, municipality_id: int) -> list[str]:
    """The words of the municipality's names most like ``word``, most like it first.

    PostgreSQL: ``word % typed`` on the words' trigram index (the similarity threshold
    set for this transaction), by ``similarity``. SQLite: the words sharing most
    three-letter pieces with it (FTS5's rank over the words' trigram table), a wider cut
    that the fine one narrows."""
    if db_engine.is_sqlite():
        rows = await Citizen.raw(
            "SELECT w.word FROM citizen_name_word_fts AS f "
            "JOIN citizen_name_word AS w ON w.rowid = f.rowid "
            "WHERE citizen_name_word_fts MATCH {} AND w.municipality = {} "
            f"ORDER BY f.rank LIMIT {SQLITE_CLOSE_WORDS}",
            _any_piece(word),
            municipality_id,
        )
        return [r["word"] for r in rows]
    async with Citizen._meta.db.transaction():
        await Citizen.raw(
            "SELECT set_config('pg_trgm.similarity_threshold', {}, true)", str(SIMILARITY)
        )
        rows = await Citizen.raw(
            "SELECT word FROM citizen_name_word WHERE municipality = {} AND word % {} "
            f"ORDER BY similarity(word, {{}}) DESC, word LIMIT {CLOSE_WORDS}",
            municipality_id,
            word,
            word,
        )
    return [r["word"] for r in rows]


def _any_piece(word: str) -> str:
    """An FTS5 query for any of the three-letter pieces of ``word`` (each quoted)."""
    pieces = sorted({word[i : i + 3] for i in range(len(word) - 2)})
    return " OR ".join(_phrase(p) for p in pieces)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


async def _any_of(words: list[str]) -> Any:
    """Names holding any of ``words``: on SQLite with the trigram table, the words of
    three letters or more are one FTS5 query (a phrase matches anywhere in a name)."""
    clause: Any = None
    if db_engine.is_sqlite() and await _has_fts():
        long = [w for w in words if len(w) >= 3]
        if long:
            clause = WhereRaw(
                '"citizen"."id" IN (SELECT rowid FROM citizen_name_fts '
                "WHERE citizen_name_fts MATCH {})",
                " OR ".join(_phrase(w) for w in long),
            )
        words = [w for w in words if len(w) < 3]
    for word in words:
        one = contains(Citizen.search_name, word)
        clause = one if clause is None else clause | one
    return clause


async def _first_by_name(where: Any, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` citizens of ``where`` by name, of at most :data:`SCAN_LIMIT`
    read from the trigram index and sorted apart from the name index (see
    :func:`core.db.paging.read`'s ``loose``)."""
    inner = Citizen.select().where(where).limit(SCAN_LIMIT)
    rows: list[dict[str, Any]] = await Citizen.raw(
        "WITH found AS MATERIALIZED ({}) SELECT * FROM found "
        f"ORDER BY last_name, first_name, id LIMIT {int(limit)}",
        inner.querystrings[0],
    )
    return rows


async def _shared_trigrams(where: Any, typed: list[str]) -> list[dict[str, Any]]:
    """SQLite with the names' trigram table but not the words' (a database whose library
    had no JSON functions when migrated): the names sharing most three-letter pieces with
    the words typed (FTS5's rank over any of the pieces), at most
    :data:`SQLITE_CANDIDATES`."""
    pieces = sorted({w[i : i + 3] for w in typed for i in range(len(w) - 2)})
    match = " OR ".join(_phrase(p) for p in pieces)
    ranked = Citizen.select().where(
        where
        & WhereRaw(
            '"citizen"."id" IN (SELECT rowid FROM citizen_name_fts '
            "WHERE citizen_name_fts MATCH {} ORDER BY rank LIMIT {})",
            match,
            SQLITE_CANDIDATES,
        )
    )
    rows: list[dict[str, Any]] = await ranked
    return rows


async def _sqlite_candidates(where: Any, word: str) -> list[dict[str, Any]]:
    """The names with a word starting as ``word`` does (its first two letters, in every
    spelling that folds alike)."""
    cut: Any = None
    for start in _spellings(_fold(word)[:2]):
        clause = like(Citizen.search_name, "", start, "%") | like(
            Citizen.search_name, "% ", start, "%"
        )
        cut = clause if cut is None else cut | clause
    rows: list[dict[str, Any]] = await (
        Citizen.select().where(where & cut).limit(SQLITE_PREFIX_CANDIDATES)
    )
    return rows
