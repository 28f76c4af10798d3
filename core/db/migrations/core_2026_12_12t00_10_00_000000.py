"""PostgreSQL: each citizen under each word of the name, in the order of the name, so that a
search by a fragment with more matches than a page can be counted is read in order.

``citizen_name_entry`` (municipality, word, last name, first name, citizen) holds one row
per word of ``citizen.search_name`` (split as ``citizen_name_word`` splits it), its
primary key in the citizens' list order within each word. A fragment typed is looked
up among the municipality's words (``citizen_name_word``'s trigram index), and the first
page of the people holding any of those words is a merge of each word's first rows in
that key: a few index reads, where reading every match and sorting them took half a
second for a fragment in 86,000 names at the far end of the alphabet.

Kept by statement triggers on ``citizen`` that fire for every insert, delete and change
of a name, also in a replica session (derived data); filled here from the citizens there
are. SQLite's fragments stay on its trigram table (a hromada's matches are few).

Figures: docs/performance.md, "Search and lists at a city's scale".
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-12T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "citizen name entries on PostgreSQL"

#: The words of the names of the rows of ``{rows}``, as ``citizen_name_word`` has them.
SPLIT = (
    "SELECT DISTINCT c.municipality, w, c.last_name, c.first_name, c.id FROM {rows} AS c, "
    "unnest(regexp_split_to_array(c.search_name, '[[:space:]-]+')) AS w WHERE w <> ''"
)
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS citizen_name_entry ("
    "municipality integer NOT NULL, word text NOT NULL, last_name text NOT NULL, "
    "first_name text NOT NULL, citizen integer NOT NULL, "
    "PRIMARY KEY (municipality, word, last_name, first_name, citizen))",
    f"""CREATE OR REPLACE FUNCTION citizen_name_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO citizen_name_entry (municipality, word, last_name, first_name, citizen)
        {SPLIT.format(rows="named")}
        ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM citizen_name_entry AS e
        USING ({SPLIT.format(rows="gone")}) AS o (municipality, word, last_name, first_name, id)
        WHERE (e.municipality, e.word, e.last_name, e.first_name, e.citizen)
            = (o.municipality, o.word, o.last_name, o.first_name, o.id);
    ELSE
        -- only the rows whose name changed (an address changes far more often)
        DELETE FROM citizen_name_entry AS e
        USING (
            {SPLIT.format(rows="gone")}
            AND EXISTS (SELECT 1 FROM named AS n WHERE n.id = c.id
                AND (n.search_name, n.last_name, n.first_name)
                    IS DISTINCT FROM (c.search_name, c.last_name, c.first_name))
        ) AS o (municipality, word, last_name, first_name, id)
        WHERE (e.municipality, e.word, e.last_name, e.first_name, e.citizen)
            = (o.municipality, o.word, o.last_name, o.first_name, o.id);
        INSERT INTO citizen_name_entry (municipality, word, last_name, first_name, citizen)
        {SPLIT.format(rows="named")}
        AND EXISTS (SELECT 1 FROM gone AS o WHERE o.id = c.id
            AND (o.search_name, o.last_name, o.first_name)
                IS DISTINCT FROM (c.search_name, c.last_name, c.first_name))
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$""",
    "DROP TRIGGER IF EXISTS citizen_name_entries_insert ON citizen",
    "CREATE TRIGGER citizen_name_entries_insert AFTER INSERT ON citizen "
    "REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION citizen_name_entries()",
    "DROP TRIGGER IF EXISTS citizen_name_entries_update ON citizen",
    "CREATE TRIGGER citizen_name_entries_update AFTER UPDATE ON citizen "
    "REFERENCING OLD TABLE AS gone NEW TABLE AS named "
    "FOR EACH STATEMENT EXECUTE FUNCTION citizen_name_entries()",
    "DROP TRIGGER IF EXISTS citizen_name_entries_delete ON citizen",
    "CREATE TRIGGER citizen_name_entries_delete AFTER DELETE ON citizen "
    "REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION citizen_name_entries()",
    # derived data: kept also where rows arrive with triggers off (a replica, a bulk load)
    "ALTER TABLE citizen ENABLE ALWAYS TRIGGER citizen_name_entries_insert",
    "ALTER TABLE citizen ENABLE ALWAYS TRIGGER citizen_name_entries_update",
    "ALTER TABLE citizen ENABLE ALWAYS TRIGGER citizen_name_entries_delete",
    "INSERT INTO citizen_name_entry (municipality, word, last_name, first_name, citizen) "
    f"{SPLIT.format(rows='citizen')} ON CONFLICT DO NOTHING",
    "ANALYZE citizen_name_entry",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run() -> None:
        from piccolo.engine.postgres import PostgresEngine

        from core.db.tables import Citizen

        db = Citizen._meta.db
        if not isinstance(db, PostgresEngine):
            return
        for statement in POSTGRES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
