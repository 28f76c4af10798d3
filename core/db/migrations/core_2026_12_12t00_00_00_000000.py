"""SQLite: the words of the citizens' names, each once per municipality, for the desk's
close match (PostgreSQL has had them since ``core_2026_12_07t15_30``).

``citizen_name_word`` holds the distinct words of ``citizen.search_name`` per
municipality, kept by triggers on ``citizen`` (insert, and update of the name): the name
is split on spaces and hyphens through ``json_each`` (SQLite's triggers allow no common
table expression to split a string), the name quoted as a JSON string by ``json_quote``
first so that no name can make the split fail. ``citizen_name_word_fts`` is an FTS5
table with the trigram tokenizer over the words (external content kept by a trigger):
the close match ranks the few thousand words of a hromada's names by the three-letter
pieces they share with a word typed, instead of every person's name. Made only where
the name trigram table of ``core_2026_12_07t15_30`` was made and the library has JSON;
elsewhere the close match keeps its older ways.

Figures: docs/performance.md, "Search and lists at a city's scale".
"""

import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-12T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "name words on SQLite"

#: The words of a row's ``search_name`` as a JSON array (``{name}``: the row's column);
#: spaces, tabs, line breaks and hyphens part words, as ``[[:space:]-]+`` does on
#: PostgreSQL; the empty strings of repeated separators are left out by the reader.
WORDS = (
    "'[' || replace(json_quote(replace(replace(replace(replace({name}, '-', ' '), "
    "char(9), ' '), char(10), ' '), char(13), ' ')), ' ', '\",\"') || ']'"
)
SQLITE = [
    "CREATE TABLE IF NOT EXISTS citizen_name_word ("
    "municipality INTEGER NOT NULL, word TEXT NOT NULL, PRIMARY KEY (municipality, word))",
    "CREATE VIRTUAL TABLE IF NOT EXISTS citizen_name_word_fts USING fts5("
    "word, content='citizen_name_word', tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS citizen_name_word_fts_insert
AFTER INSERT ON citizen_name_word BEGIN
    INSERT INTO citizen_name_word_fts (rowid, word) VALUES (new.rowid, new.word);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS citizen_name_words_insert AFTER INSERT ON citizen BEGIN
    INSERT OR IGNORE INTO citizen_name_word (municipality, word)
    SELECT new.municipality, value FROM json_each({WORDS.format(name="new.search_name")})
    WHERE value <> '';
END""",
    f"""CREATE TRIGGER IF NOT EXISTS citizen_name_words_update
AFTER UPDATE OF search_name ON citizen BEGIN
    INSERT OR IGNORE INTO citizen_name_word (municipality, word)
    SELECT new.municipality, value FROM json_each({WORDS.format(name="new.search_name")})
    WHERE value <> '';
END""",
    f"""INSERT OR IGNORE INTO citizen_name_word (municipality, word)
SELECT c.municipality, w.value
FROM citizen AS c, json_each({WORDS.format(name="c.search_name")}) AS w
WHERE w.value <> ''""",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from piccolo.engine.postgres import PostgresEngine

        from core.db.tables import Citizen

        db = Citizen._meta.db
        if isinstance(db, PostgresEngine):
            return
        made = await db.run_ddl(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'citizen_name_fts'"
        )
        if not made or not made[0]["n"]:  # no FTS5 trigram tokenizer here
            return
        try:
            await db.run_ddl("SELECT value FROM json_each(json_quote('a'))")
        except sqlite3.OperationalError:  # no JSON functions
            return
        for statement in SQLITE:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
