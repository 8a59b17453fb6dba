"""Each article is indexed in its own language: on PostgreSQL with that language's text
search configuration (a `language` and a `config` beside each entry, the head and the
titles following the config); on SQLite, English articles stay in search_fts with the
porter stemmer and the others go to search_fts_other, unstemmed, with their language.
Then every published article is indexed afresh, and the related lists of articles not in
English are worked out again.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts_other USING fts5(title, summary, topic, body,"
    " language UNINDEXED, tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS search_fts_other"]
HEAD = (
    "setweight(to_tsvector(config, title), 'A')"
    " || setweight(to_tsvector(config, summary), 'B')"
    " || setweight(to_tsvector(config, topic), 'C')"
)
POSTGRES = [
    "ALTER TABLE search_document ADD COLUMN language text NOT NULL DEFAULT 'en',"
    " ADD COLUMN config regconfig NOT NULL DEFAULT 'english'",
    "ALTER TABLE search_document DROP COLUMN head",
    f"ALTER TABLE search_document ADD COLUMN head tsvector GENERATED ALWAYS AS ({HEAD}) STORED",
    "CREATE INDEX search_document_head_gin ON search_document USING gin (head)",
    "ALTER TABLE search_title ADD COLUMN language text NOT NULL DEFAULT 'en'",
    """CREATE OR REPLACE FUNCTION search_title_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_title WHERE article_id = OLD.article_id;
        RETURN OLD;
      END IF;
      INSERT INTO search_title VALUES
        (NEW.article_id, to_tsvector(NEW.config, NEW.title), NEW.language)
        ON CONFLICT (article_id) DO UPDATE
        SET title = EXCLUDED.title, language = EXCLUDED.language;
      RETURN NEW;
    END $$""",
]
POSTGRES_BACK = [
    """CREATE OR REPLACE FUNCTION search_title_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM search_title WHERE article_id = OLD.article_id;
        RETURN OLD;
      END IF;
      INSERT INTO search_title VALUES (NEW.article_id, to_tsvector('english', NEW.title))
        ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title;
      RETURN NEW;
    END $$""",
    "ALTER TABLE search_title DROP COLUMN language",
    "ALTER TABLE search_document DROP COLUMN head",
    "ALTER TABLE search_document ADD COLUMN head tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, title), 'A')"
    " || setweight(to_tsvector('english'::regconfig, summary), 'B')"
    " || setweight(to_tsvector('english'::regconfig, topic), 'C')) STORED",
    "CREATE INDEX search_document_head_gin ON search_document USING gin (head)",
    "ALTER TABLE search_document DROP COLUMN language, DROP COLUMN config",
]


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES if postgres else SQLITE:
        schema_editor.execute(sql)
    # Every published article again, each stemmed as its language is.
    from knowhow.search import services
    from knowhow.search.backends import for_connection
    from knowhow.search.text import document

    Article = apps.get_model("articles", "Article")
    Word = apps.get_model("search", "Word")
    published = Article.objects.filter(status="published")
    if not published.exists():
        return
    Word.objects.all().delete()
    index = for_connection()
    index.clear()
    # Read in batches: a big site's bodies do not fit in memory at once.
    rows = published.values_list("pk", "title", "topic__name", "body_html", "language")
    index.build(document(*row) for row in rows.order_by("pk").iterator(chunk_size=2000))
    # Related lists hold articles of one language; English ones were stemmed as English
    # before and are still, so only the others' lists (and those that list them) change.
    others = published.exclude(language="en").order_by("pk").values_list("pk", flat=True)
    for pk in list(others):  # ids alone: small, and no cursor open over rows being written
        services.store_related_lists(article_id=pk, index=index)


def backward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_BACK if postgres else SQLITE_BACK:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_index_articles_already_there"),
        ("articles", "0016_article_language_and_translations"),
    ]

    operations = [migrations.RunPython(forward, backward)]
