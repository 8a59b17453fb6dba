"""PostgreSQL only: a tsvector of adjacent word pairs, so a phrase finds its few articles
through an index instead of re-reading every article that has its words; a tsvector of the
article's head (title, opening paragraph, topic), and the titles in a narrow table of their
own, so a broad query ranks its first pages without reading whole articles. The database
works all three out on every write of the index.
"""

from django.db import migrations

# Each pair of lexemes at neighbouring positions, as one "first second" lexeme. A phrase
# found in the document has all its pairs here, so the pairs only narrow the candidates
# and the document still decides.
PAIRS_FUNCTION = """
CREATE FUNCTION search_pairs(doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH at AS (SELECT u.lexeme, p FROM unnest(doc) AS u, unnest(u.positions) AS p)
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)), '')
  FROM at AS a JOIN at AS b ON b.p = a.p + 1
$$
"""
# The same weights and order as the start of the document, so a match here is a match there.
HEAD = (
    "setweight(to_tsvector('english'::regconfig, title), 'A')"
    " || setweight(to_tsvector('english'::regconfig, summary), 'B')"
    " || setweight(to_tsvector('english'::regconfig, topic), 'C')"
)
FORWARD = [
    PAIRS_FUNCTION,
    "ALTER TABLE search_document"
    " ADD COLUMN pairs tsvector GENERATED ALWAYS AS (search_pairs(document)) STORED,"
    f" ADD COLUMN head tsvector GENERATED ALWAYS AS ({HEAD}) STORED,"
    " DROP COLUMN title_document",
    "CREATE INDEX search_document_pairs_gin ON search_document USING gin (pairs)",
    "CREATE INDEX search_document_head_gin ON search_document USING gin (head)",
    # Small enough to stay in memory: a broad query ranks title matches here first.
    "CREATE TABLE search_title (article_id bigint PRIMARY KEY, title tsvector NOT NULL)",
    "INSERT INTO search_title SELECT article_id, to_tsvector('english', title)"
    " FROM search_document",
    "CREATE INDEX search_title_gin ON search_title USING gin (title)",
    """CREATE FUNCTION search_title_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_title WHERE article_id = OLD.article_id;
        RETURN OLD;
      END IF;
      INSERT INTO search_title VALUES (NEW.article_id, to_tsvector('english', NEW.title))
        ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title;
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER search_title_follows AFTER INSERT OR UPDATE OR DELETE ON search_document"
    " FOR EACH ROW EXECUTE FUNCTION search_title_follows()",
]
BACKWARD = [
    "DROP TRIGGER search_title_follows ON search_document",
    "DROP FUNCTION search_title_follows()",
    "DROP TABLE search_title",
    "ALTER TABLE search_document DROP COLUMN pairs, DROP COLUMN head,"
    " ADD COLUMN title_document tsvector GENERATED ALWAYS AS"
    " (to_tsvector('english'::regconfig, title)) STORED",
    "CREATE INDEX search_document_title_gin ON search_document USING gin (title_document)",
    "DROP FUNCTION search_pairs(tsvector)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
