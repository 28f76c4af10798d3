"""Indexes for search and lists at a city's scale.

- PostgreSQL only: the ``pg_trgm`` extension and a GIN trigram index on
  ``citizen.search_name`` (the lower-cased full name), which serves the citizen search's
  ``search_name LIKE '%word%'`` without reading every citizen; and the words of the
  names, each once per municipality (``citizen_name_word``, kept by statement triggers on
  ``citizen`` that fire for every insert and update, also in a replica session, and
  filled here from the citizens there are), with a trigram index of their own: the
  desk's close match compares what was typed with the few thousand distinct words of a
  city's names rather than with a million people.
- SQLite only: an FTS5 table with the trigram tokenizer over ``citizen.search_name``
  (``citizen_name_fts``, external content kept by triggers), which serves the same
  ``LIKE '%word%'`` for words of three letters or more. Where the library lacks FTS5 or
  its trigram tokenizer (SQLite before 3.34) it is not made, and the search scans.
- Both engines: B-tree indexes in each list's order, so a page (by number near the start,
  or after a cursor further on) is read in order from the index, and the count up to its
  bound from the index alone: citizens by name, requests newest first, deliveries by id
  (of the municipality, of a contract, of a provider), the audit log newest first,
  providers by name.

Figures: docs/performance.md, "Search and lists at a city's scale".
"""

import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T15:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "search and list indexes"

POSTGRES = [
    # trusted since PostgreSQL 13: the database's owner may create it
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_citizen_name_trigram "
    "ON citizen USING gin (search_name gin_trgm_ops)",
    "CREATE TABLE IF NOT EXISTS citizen_name_word ("
    "municipality integer NOT NULL, word text NOT NULL, PRIMARY KEY (municipality, word))",
    "CREATE INDEX IF NOT EXISTS ix_citizen_name_word_trigram "
    "ON citizen_name_word USING gin (word gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION citizen_name_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO citizen_name_word (municipality, word)
    SELECT DISTINCT c.municipality, w
    FROM named AS c, unnest(regexp_split_to_array(c.search_name, '[[:space:]-]+')) AS w
    WHERE w <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$""",
    "DROP TRIGGER IF EXISTS citizen_name_words_insert ON citizen",
    "CREATE TRIGGER citizen_name_words_insert AFTER INSERT ON citizen "
    "REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION citizen_name_words()",
    "DROP TRIGGER IF EXISTS citizen_name_words_update ON citizen",
    "CREATE TRIGGER citizen_name_words_update AFTER UPDATE ON citizen "
    "REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION citizen_name_words()",
    # derived data: kept also where rows arrive with triggers off (a replica, a bulk load)
    "ALTER TABLE citizen ENABLE ALWAYS TRIGGER citizen_name_words_insert",
    "ALTER TABLE citizen ENABLE ALWAYS TRIGGER citizen_name_words_update",
    """INSERT INTO citizen_name_word (municipality, word)
SELECT DISTINCT c.municipality, w
FROM citizen AS c, unnest(regexp_split_to_array(c.search_name, '[[:space:]-]+')) AS w
WHERE w <> ''
ON CONFLICT DO NOTHING""",
]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS citizen_name_fts USING fts5("
    "search_name, content='citizen', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER IF NOT EXISTS citizen_name_fts_insert AFTER INSERT ON citizen BEGIN
    INSERT INTO citizen_name_fts (rowid, search_name) VALUES (new.id, new.search_name);
END""",
    """CREATE TRIGGER IF NOT EXISTS citizen_name_fts_delete AFTER DELETE ON citizen BEGIN
    INSERT INTO citizen_name_fts (citizen_name_fts, rowid, search_name)
    VALUES ('delete', old.id, old.search_name);
END""",
    """CREATE TRIGGER IF NOT EXISTS citizen_name_fts_update AFTER UPDATE OF search_name
ON citizen BEGIN
    INSERT INTO citizen_name_fts (citizen_name_fts, rowid, search_name)
    VALUES ('delete', old.id, old.search_name);
    INSERT INTO citizen_name_fts (rowid, search_name) VALUES (new.id, new.search_name);
END""",
    "INSERT INTO citizen_name_fts (citizen_name_fts) VALUES ('rebuild')",
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_citizen_by_name "
    "ON citizen (municipality, last_name, first_name, id)",
    "CREATE INDEX IF NOT EXISTS ix_request_newest ON request (municipality, id)",
    "CREATE INDEX IF NOT EXISTS ix_delivery_list ON delivery (municipality, id)",
    "CREATE INDEX IF NOT EXISTS ix_delivery_contract ON delivery (municipality, contract, id)",
    "CREATE INDEX IF NOT EXISTS ix_delivery_provider ON delivery (municipality, provider, id)",
    "CREATE INDEX IF NOT EXISTS ix_audit_newest ON audit_log (municipality, id)",
    "CREATE INDEX IF NOT EXISTS ix_provider_by_name ON provider (municipality, name, id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from piccolo.engine.postgres import PostgresEngine

        from core.db.tables import Citizen

        db = Citizen._meta.db
        for statement in INDEXES:
            await db.run_ddl(statement)
        if isinstance(db, PostgresEngine):
            for statement in POSTGRES:
                await db.run_ddl(statement)
            return
        try:
            await db.run_ddl(SQLITE[0])
        except sqlite3.OperationalError:  # no FTS5, or no trigram tokenizer
            return
        for statement in SQLITE[1:]:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
