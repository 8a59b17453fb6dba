from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, summary, topic, body, tokenize='porter unicode61', prefix='2 3')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES = [
    "CREATE TABLE search_document ("
    # No foreign key: the entry is removed by the app when its article goes, and needs
    # to be read once more then (which words leave the vocabulary).
    " article_id bigint PRIMARY KEY,"
    " title text NOT NULL, summary text NOT NULL, topic text NOT NULL, body text NOT NULL,"
    " document tsvector NOT NULL, title_document tsvector NOT NULL)",
    "CREATE INDEX search_document_gin ON search_document USING gin (document)",
    # Broad queries rank their first pages among title matches: a small index of titles.
    "CREATE INDEX search_document_title_gin ON search_document USING gin (title_document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_document"]


def create(apps, schema_editor):
    """The index is a table of the database's own kind: made only where it exists."""
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)
    # The articles already there are indexed by 0003, once every table is as the code expects.


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True
    dependencies = [("articles", "0002_related_scores")]

    operations = [
        migrations.CreateModel(
            name="Word",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
                ("length", models.PositiveSmallIntegerField()),
                ("documents", models.PositiveIntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["length", "word"], name="search_word_length_31e961_idx")
                ]
            },
        ),
        migrations.RunPython(create, drop),
    ]
