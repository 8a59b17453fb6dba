"""Which language an article is in, and which original it translates: the rules of both,
in one place, for the newsroom's editor, the importers and the admin alike.

An original has translations, one per language, and never an original of its own, so a
group is one original and its translations, never a chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from knowhow import languages
from knowhow.articles.models import Article, published_q

UNKNOWN_LANGUAGE = "unknown_language"
OWN_TRANSLATION = "own_translation"
TRANSLATION_OF_TRANSLATION = "translation_of_translation"
ORIGINAL_WITH_TRANSLATIONS = "original_with_translations"
SAME_LANGUAGE = "same_language"
LANGUAGE_TAKEN = "language_taken"
NO_SUCH_ORIGINAL = "no_such_original"


def validate(*, article_id: int | None, language: str, translation_of: int | None) -> None:
    """Refuse a language Django does not know, or a link that breaks a rule above: a
    ValidationError with one of the codes of this module."""
    if not languages.known(language):
        raise ValidationError(
            f"“{language}” is not a language code the site knows: use one such as en, es, "
            "fr, pt-br or ar.",
            code=UNKNOWN_LANGUAGE,
        )
    if translation_of is None:
        return
    if translation_of == article_id:
        raise ValidationError("An article cannot be a translation of itself.", OWN_TRANSLATION)
    original = (
        Article.objects.filter(pk=translation_of)
        .only("pk", "title", "language", "translation_of_id")
        .first()
    )
    if original is None:
        raise ValidationError(
            "The original article was deleted: choose the original again.", NO_SUCH_ORIGINAL
        )
    if original.translation_of_id is not None:
        raise ValidationError(
            f"“{original.title}” is itself a translation: link this article to the original "
            "it translates.",
            code=TRANSLATION_OF_TRANSLATION,
        )
    if article_id is not None and Article.objects.filter(translation_of_id=article_id).exists():
        raise ValidationError(
            "This article has translations of its own, so it stays an original: link those "
            "translations elsewhere first.",
            code=ORIGINAL_WITH_TRANSLATIONS,
        )
    if original.language == language:
        raise ValidationError(
            f"“{original.title}” is already in {languages.name_english(language)}: a "
            "translation is in another language.",
            code=SAME_LANGUAGE,
        )
    taken = Article.objects.filter(translation_of_id=translation_of, language=language)
    if article_id is not None:
        taken = taken.exclude(pk=article_id)
    other = taken.only("title").first()
    if other is not None:
        raise ValidationError(
            f"“{original.title}” already has a translation in "
            f"{languages.name_english(language)}: “{other.title}”.",
            code=LANGUAGE_TAKEN,
        )


@dataclass(frozen=True)
class Alternate:
    """One language version of an article, as a reader is offered it."""

    language: str
    name: str
    url: str
    article: Article


def published_versions(article: Article) -> list[Alternate]:
    """Every published version of the article's group (its original and translations, the
    article itself included) by language, in one query; [] when it has none but itself."""
    group = article.translation_group
    found = (
        Article.objects.filter(published_q())
        .filter(Q(pk=group) | Q(translation_of_id=group))
        .only("pk", "slug", "title", "language", "translation_of_id")
        .order_by("language")
    )
    versions = [
        Alternate(a.language, languages.name_local(a.language), a.get_absolute_url(), a)
        for a in found
    ]
    return versions if len(versions) > 1 else []


def original_of(versions: list[Alternate]) -> Alternate | None:
    """The original among an article's versions (the x-default a search engine offers)."""
    return next((v for v in versions if v.article.translation_of_id is None), None)
