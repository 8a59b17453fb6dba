"""A page's cache tags are the models' own: the tags a page names are those its models' saves
bump, however the page came to know them (an id on the row or the row itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from knowhow.articles.models import Article, Person
from knowhow.images.models import Image
from knowhow.pages import depends

pytestmark = pytest.mark.django_db


def test_an_articles_tags_are_those_of_its_topic_bylines_reviewer_and_picture(
    make_article: Callable[..., Article], writer: Person, editor: Person
) -> None:
    doctor = Person.objects.create(name="Dr Vera Checker", slug="vera")
    image = Image.objects.create(file="a.png", alt="A picture.", width=10, height=10)
    article = make_article(reviewed_by=doctor, reviewed_on=dt.date(2024, 1, 2), lead_image=image)
    related = make_article("What is a Stitch?")
    Article.objects.filter(pk=article.pk).update(related_scores=[[related.pk, 1.0, []]])
    article.refresh_from_db()
    assert depends.of_article(article) == [
        article.cache_tag,
        article.translations_tag,
        article.topic.cache_tag,
        writer.cache_tag,
        editor.cache_tag,
        doctor.cache_tag,
        image.cache_tag,
    ]
    assert depends.of_related(article) == [related.cache_tag]
