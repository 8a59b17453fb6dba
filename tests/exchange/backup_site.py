"""A site worth backing up, and what a visitor would notice of it: used by the backup tests
in-process, and run as `python -m tests.exchange.backup_site fill|describe|check` against
another database (the environment's KNOWHOW_* settings), printing JSON."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from typing import Any

PASSWORD = "old password 1234"
SEARCHED = ("spasms", "What are Involuntary Muscle Spasms?")


def fill() -> None:
    """The demo, an account with a password, an article with three revisions, a lead image
    and posts."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from PIL import Image as Pillow

    from knowhow.articles import services as workflow
    from knowhow.articles.models import Article, Topic
    from knowhow.discussion.services import import_post
    from knowhow.images.services import upload_image
    from tests import people

    call_command("demo", verbosity=0)
    User.objects.create_user(username="rita", email="rita@example.org", password=PASSWORD)
    people.make_writer()
    people.make_editor()
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    picture = io.BytesIO()
    Pillow.new("RGB", (64, 48), (200, 90, 30)).save(picture, "PNG")
    image = upload_image(
        file=SimpleUploadedFile("kiln.png", picture.getvalue(), "image/png"),
        alt="A kiln glowing orange",
        by=writer,
    )
    article = workflow.create_article(
        by=writer,
        title="How Hot does a Kiln Get?",
        topic=Topic.objects.order_by("pk").first(),
        body="A kiln reaches about a thousand degrees.",
        note="first draft",
    )
    for n, body in enumerate(
        ["A kiln reaches over a thousand degrees.", "A kiln reaches 1,300 degrees."], start=1
    ):
        workflow.save_revision(
            article=article, by=writer, content={"body": body}, base=n, note=f"edit {n}"
        )
    article.refresh_from_db()
    workflow.save_revision(
        article=article, by=writer, content={"lead_image": image.pk}, base=3, note="picture"
    )
    workflow.submit_for_review(article=article, by=writer)
    workflow.publish(article=article, by=editor)
    article = Article.objects.get(pk=article.pk)
    rita = User.objects.get(username="rita")
    for n in range(3):
        import_post(
            article=article,
            body=f"Kiln question number {n}.",
            author=rita,
            created_at=article.published_at,
        )


def describe() -> dict[str, Any]:
    """Row counts, every article page's text, and the image files' contents."""
    from django.core.files.storage import default_storage
    from django.test import Client

    from knowhow.articles.models import Article
    from knowhow.exchange.backup import backed_up_models, media_names
    from tests.pages import visible_text

    client = Client()
    pages = {}
    for article in Article.objects.published().order_by("pk"):
        url = article.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = visible_text(response.content)
    files = {}
    for name in media_names("default"):
        with default_storage.open(name, "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    return {
        "counts": {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()},
        "pages": pages,
        "files": files,
    }


def check() -> dict[str, Any]:
    """What the restored site does next: sign in, number new posts, find articles."""
    from django.contrib.auth.models import User
    from django.test import Client

    from knowhow.articles.models import Article
    from knowhow.discussion.models import Post
    from knowhow.discussion.services import import_post
    from tests.pages import visible_text

    article = Article.objects.get(title="How Hot does a Kiln Get?")
    highest = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rita = User.objects.get(username="rita")
    post = import_post(
        article=article,
        body="A new post after the move.",
        author=rita,
        created_at=article.published_at,
    )
    newcomer = User.objects.create_user(username="newcomer", password="another password 987")
    client = Client()
    signed_in = client.login(username="rita", password=PASSWORD)
    wrong = Client().login(username="rita", password="not it")
    found = visible_text(client.get("/search/", {"q": SEARCHED[0]}).content)
    return {
        "signed_in": signed_in,
        "wrong_password_refused": not wrong,
        "post_number": post.number,
        "post_id_after_highest": post.pk == highest + 1,
        "user_ids": [rita.pk, newcomer.pk],
        "highest_user_before": User.objects.exclude(pk=newcomer.pk).order_by("-pk")[0].pk,
        "search_finds": SEARCHED[1] in found,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    action = {"fill": fill, "describe": describe, "check": check}[sys.argv[1]]
    # Pages link static files by name, without the hashed copies `collectstatic` makes.
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        result = action()
    print(json.dumps(result))
