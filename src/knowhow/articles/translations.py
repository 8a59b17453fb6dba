"""Which language an article is in, and which original it translates: the rules of both,
in one place, for the newsroom's editor, the importers and the admin alike.

An original has translations, one per language, and never an original of its own, so a
group is one original and its translations, never a chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
            _(
                "“%(code)s” is not a language code the site knows: use one such as en, es, "
                "fr, pt-br or ar."
            )
            % {"code": language},
            code=UNKNOWN_LANGUAGE,
        )
    if translation_of is None:
        return
    if translation_of == article_id:
        raise ValidationError(_("An article cannot be a translation of itself."), OWN_TRANSLATION)
    original = (
        Article.objects.filter(pk=translation_of)
        .only("pk", "title", "language", "translation_of_id")
        .first()
    )
    if original is None:
        raise ValidationError(
            _("The original article was deleted: choose the original again."), NO_SUCH_ORIGINAL
        )
    if original.translation_of_id is not None:
        raise ValidationError(
            _(
                "“%(title)s” is itself a translation: link this article to the original "
                "it translates."
            )
            % {"title": original.title},
            code=TRANSLATION_OF_TRANSLATION,
        )
    if article_id is not None and Article.objects.filter(translation_of_id=article_id).exists():
        raise ValidationError(
            _(
                "This article has translations of its own, so it stays an original: link those "
                "translations elsewhere first."
            ),
            code=ORIGINAL_WITH_TRANSLATIONS,
        )
    if original.language == language:
        raise ValidationError(
            _("“%(title)s” is already in %(language)s: a translation is in another language.")
            % {"title": original.title, "language": languages.name_in_interface(language)},
            code=SAME_LANGUAGE,
        )
    taken = Article.objects.filter(translation_of_id=translation_of, language=language)
    if article_id is not None:
        taken = taken.exclude(pk=article_id)
    other = taken.only("title").first()
    if other is not None:
        raise ValidationError(
            _("“%(title)s” already has a translation in %(language)s: “%(other)s”.")
            % {
                "title": original.title,
                "language": languages.name_in_interface(language),
                "other": other.title,
            },
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


# The newsroom's list of translations to write or bring up to date -------------------------

MISSING, DRAFT, OLDER, UP_TO_DATE = "missing", "draft", "older", "up_to_date"
STATE_LABELS = {
    MISSING: gettext_lazy("Missing"),
    DRAFT: gettext_lazy("Not published yet"),
    OLDER: gettext_lazy("Older than the original"),
    UP_TO_DATE: gettext_lazy("Up to date"),
}


@dataclass(frozen=True)
class TranslationState:
    language: str
    name: str
    state: str
    translation: Article | None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class TranslationRow:
    original: Article
    states: list[TranslationState]


def wanted_languages() -> list[str]:
    """The languages the site offers its readers (KNOWHOW_LANGUAGES)."""
    from django.conf import settings

    return [code for code, _ in settings.LANGUAGES]


def needing_work() -> QuerySet[Article]:
    """Published originals with a translation missing in a language the site offers, or
    with a translation older than they are (its "Last Modified Date" before theirs),
    the most recently changed first."""
    wanted = wanted_languages()
    found = (
        Article.objects.filter(published_q(), translation_of__isnull=True)
        .annotate(
            present=Count("translations", filter=Q(translations__language__in=wanted)),
            older=Count(
                "translations", filter=Q(translations__last_modified__lt=F("last_modified"))
            ),
            needed=Case(
                When(language__in=wanted, then=Value(len(wanted) - 1)),
                default=Value(len(wanted)),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(older__gt=0) | Q(present__lt=F("needed")))
        .order_by("-last_modified", "-pk")
    )
    return found


def rows_for(originals: list[Article]) -> list[TranslationRow]:
    """Each original with the state of its translation in every language wanted (the
    site's and those it has), in one query for all of them."""
    wanted = wanted_languages()
    translations: dict[int, list[Article]] = {}
    for t in (
        Article.objects.filter(translation_of__in=[o.pk for o in originals])
        .only(
            "pk",
            "title",
            "slug",
            "language",
            "status",
            "published_at",
            "last_modified",
            "translation_of_id",
        )  # fmt: skip
        .order_by("language")
    ):
        translations.setdefault(t.translation_of_id or 0, []).append(t)
    rows = []
    for original in originals:
        theirs = {t.language: t for t in translations.get(original.pk, [])}
        codes = [c for c in dict.fromkeys([*wanted, *theirs]) if c != original.language]
        states = []
        for code in codes:
            version = theirs.get(code)
            if version is None:
                state = MISSING
            elif not version.is_published:
                state = DRAFT
            elif version.last_modified < original.last_modified:
                state = OLDER
            else:
                state = UP_TO_DATE
            states.append(TranslationState(code, languages.name_local(code), state, version))
        rows.append(TranslationRow(original, states))
    return rows
