"""Articles, the staff who write and edit them, and the topics that group them."""

from __future__ import annotations

import calendar
import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from knowhow import languages, markup
from knowhow.articles.normal_form import normal_line, normal_text
from knowhow.articles.reading_time import minutes_for, words_in
from knowhow.images import in_bodies

# Page-cache tags of pages that list published articles, topics, and the staff in bylines.
LISTS_TAG = "articles"
TOPICS_TAG = "topics"
PEOPLE_TAG = "people"


def site_language() -> str:
    """A new article's language: the site's (KNOWHOW_LANGUAGE)."""
    return str(settings.LANGUAGE_CODE)


def translations_tag(group: int) -> str:
    """The page-cache tag of pages that show an original and its translations together
    ("Read in", hreflang alternates): `group` is the original's id."""
    return f"translations-{group}"


def thread_tag(article_id: int) -> str:
    """The page-cache tag of pages that show an article's discussion."""
    return f"thread-{article_id}"


STOPWORDS = frozenset(
    """
    about above after again against all also and any are aren't because been before being
    below between both but can cannot could did does doing don't down during each few for
    from further had has have having her here hers herself him himself his how into its
    itself just let's more most much must myself nor not now off once only other our ours
    out over own same she should some such than that the their theirs them then there these
    they this those through too under until very was were what when where which while who
    whom why will with would you your yours many may might often one two use used using make
    makes made way ways well even like can't get gets without within
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 August
    and six months is the end of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Expert reviews ----------------------------------------------------------------------------


def review_happened(reviewer: object, reviewed_on: dt.date | None) -> bool:
    """Whether an expert review really happened: a reviewer and the date were both recorded.
    A date without a reviewer, or a reviewer without a date, is no review and never claimed."""
    return bool(reviewer) and reviewed_on is not None


# review_happened, as a query of articles.
REVIEW_HAPPENED = Q(reviewed_by__isnull=False, reviewed_on__isnull=False)

REVIEW_INCOMPLETE = "review_incomplete"
REVIEW_IN_FUTURE = "review_in_future"


def validate_review(reviewer: object, reviewed_on: dt.date | None) -> None:
    """Refuse a review recorded by half or dated ahead of today (here): a ValidationError
    with code REVIEW_INCOMPLETE or REVIEW_IN_FUTURE. No review at all is fine."""
    if bool(reviewer) != (reviewed_on is not None):
        raise ValidationError(
            _("An expert review needs both the reviewer and the date of the review."),
            code=REVIEW_INCOMPLETE,
        )
    if reviewed_on is not None and reviewed_on > timezone.localdate():
        raise ValidationError(
            _("A review date cannot be in the future: say when it happened."),
            code=REVIEW_IN_FUTURE,
        )


def review_due_on(reviewer: object, reviewed_on: dt.date | None,
                  months: int | None) -> dt.date | None:  # fmt: skip
    """When the next review is due: `months` (the topic's cadence) after a review that
    happened; None without a cadence or a review to count from."""
    if not months or not review_happened(reviewer, reviewed_on):
        return None
    assert reviewed_on is not None
    return months_after(reviewed_on, months)


def free_slug(model: type[models.Model], name: str, *, fallback: str = "x") -> str:
    """A slug made from a name that no row of the model has yet ("name", "name-2", ...),
    short enough for the model's slug field to take a counter."""
    field = model._meta.get_field("slug")
    limit = (getattr(field, "max_length", None) or 50) - 6
    base = (slugify(name) or fallback)[:limit]
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists() or (
        model is Article and OldAddress.objects.filter(slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


class SlugFromName:
    """Gives a model whose slug is empty a slug made from its name when saved."""

    name: str
    slug: str

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)  # type: ignore[misc]


class Topic(SlugFromName, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    health = models.BooleanField(
        default=False,
        help_text=_("Its articles give health information (schema.org MedicalWebPage)."),
    )
    # Empty: as `health` says, so health topics hold new accounts' first posts by default.
    hold_first_posts = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Hold the first post of each account in this topic's discussions for a "
            "moderator; empty: yes for health topics, no for others."
        ),
    )
    review_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "An article's next expert review is due this many months after its last "
            "one; empty: its articles have no review cadence."
        ),
    )
    # Saving the topic names its tag, which every article page of the topic depends on.
    shows_facts = models.BooleanField(
        _("Show “Did you know” and “On this day”"),
        default=True,
        help_text=_(
            "Show a fact and an event of the day after each of this topic's articles. "
            "Turn off where they would distract from serious reading."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic", args=[self.slug])

    @property
    def holds_first_posts(self) -> bool:
        """Whether an account's first post in this topic's discussions waits for a moderator."""
        return self.health if self.hold_first_posts is None else self.hold_first_posts

    @property
    def cache_tag(self) -> str:
        """The page-cache tag of pages that show this topic's name or description."""
        return self.tag_for(self.pk)

    @staticmethod
    def tag_for(pk: int) -> str:
        """cache_tag of the topic with this id, without loading it."""
        return f"topic-{pk}"


class Person(SlugFromName, models.Model):
    """A member of staff who writes or edits articles; bylines link to their page."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    bio = models.TextField(blank=True)
    # The staff account that writes or edits as this person, when there is one.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person", args=[self.slug])

    @property
    def cache_tag(self) -> str:
        """The page-cache tag of pages that show this person's name or bio."""
        return self.tag_for(self.pk)

    @staticmethod
    def tag_for(pk: int) -> str:
        """cache_tag of the person with this id, without loading them."""
        return f"person-{pk}"


@dataclass(frozen=True)
class Review:
    """A check of an article by a qualified reviewer, on a date."""

    reviewed_by: Person
    reviewed_on: dt.date


def published_q(prefix: str = "", *, now: dt.datetime | None = None) -> Q:
    """What readers see, as a query: articles published whose time has come. A published
    article dated ahead waits for its time like a scheduled one. `prefix` reaches articles
    through a relation ("articles__"); Article.is_published is the same for one article,
    and the search backends' SQL is compiled from this."""
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": now or timezone.now(),
        }
    )


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(published_q())

    def not_yet_live(self) -> ArticleQuerySet:
        """Articles published with a time still ahead: not shown until it comes."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def showing_picture(self, picture_id: int) -> list[Article]:
        """Articles whose body shows this library picture (a text search, then exact)."""
        near = self.filter(body__contains=f"{markup.PICTURE_SCHEME}{picture_id}")
        return [a for a in near.iterator(chunk_size=100) if picture_id in a.body_picture_ids]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    class Stage(models.TextChoices):
        """Where the newest revision is in the newsroom's workflow; `status` is what readers
        see, so a published article can have changes being written or reviewed."""

        WRITING = "writing", _("Being written")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")
        DONE = "done", _("Nothing pending")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles")
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="written")
    edited_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="edited", null=True, blank=True
    )
    copyright_holder = models.CharField(max_length=200, blank=True)
    synopsis = models.TextField(
        "summary", blank=True, help_text=_("One or two sentences for lists, feeds and search.")
    )
    # What search engines and shared links show, when it should differ from the title and
    # summary (empty: those are shown).
    search_title = models.CharField(max_length=200, blank=True)
    search_description = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text=_("Markdown"))
    # The language its words are in (a code Django knows, knowhow.languages).
    language = models.CharField(max_length=12, default=site_language)
    # The article this one translates; an original has translations, never an original of
    # its own (articles.translations checks both, and one translation per language).
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
    )
    body_html = models.TextField(editable=False, default="")
    sources = models.TextField(
        blank=True, help_text=_("One source per line (Markdown); shown as numbered citations.")
    )
    sources_html = models.TextField(editable=False, default="")
    reviewed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reviewed", null=True, blank=True
    )
    reviewed_on = models.DateField(null=True, blank=True)
    lead_image = models.ForeignKey(
        "images.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When an editor put the article at the top of the home page (None: not featured); the
    # home page shows the published one featured last (articles.services.feature_article).
    featured_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The newest revision (what the editor page edits) and the one readers see.
    latest_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    live_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.WRITING)
    published_at = models.DateTimeField(null=True, blank=True)
    last_modified = models.DateField(
        default=dt.date.today, help_text=_("Date of the last published change, shown to readers.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Related articles, best first, as [[id, score, [shared words]], ...]: kept by the
    # search app whenever an article changes, so showing them costs one query, not a scan
    # of every article.
    related_scores = models.JSONField(default=list, editable=False)
    # The highest post number ever given in this article's discussion; numbers are never reused.
    last_post_number = models.PositiveIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    # Fields only the newsroom sees: a save of these alone (a workflow step, a revision of a
    # published article waiting for review) changes no public page, search entry or list.
    NEWSROOM_FIELDS = frozenset({"stage", "latest_revision", "updated_at"})
    # Fields rendered from others, by the fields they are rendered from.
    RENDERED_FROM = {
        "body_html": {"body"},
        "sources_html": {"sources"},
    }

    class Meta:
        ordering = ["-published_at"]
        # Every list of published articles, newest first: the whole site's, a topic's and a
        # writer's pages read only the rows they show, whatever the site's size.
        # The whole site's list holds the id too: a page deep in it skips ids read from
        # the index alone, and its page count is read from the index (pages.paging).
        indexes = [
            models.Index(fields=["status", "-published_at", "id"], name="listed_newest"),
            models.Index(fields=["topic", "status", "-published_at"], name="topic_newest"),
            models.Index(fields=["written_by", "status", "-published_at"], name="writer_newest"),
            # The home page's featured article: the few ever featured, newest first.
            models.Index(
                fields=["status", "-featured_at"],
                condition=Q(featured_at__isnull=False),
                name="featured_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="one_translation_per_language"
            ),
        ]
        permissions = [
            ("publish_article", "Can review, approve, publish and unpublish any article"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.normalise_text()
        if not self.slug:
            self.slug = slugify(self.title)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            # Published with no time given means published now, never a page that 404s.
            self.published_at = timezone.now()
        fields = kwargs.get("update_fields")
        # Rendered again only from a field being saved; saved along with it.
        stale = {
            name
            for name, sources in self.RENDERED_FROM.items()
            if fields is None or sources & set(fields)
        }
        if "body_html" in stale:
            self.body_html = markup.render_article(self.body, pictures=in_bodies.draw)
        if "sources_html" in stale:
            self.sources_html = markup.render_sources(self.sources)
        if fields is not None and stale:
            kwargs["update_fields"] = {*fields, *stale}
        # One transaction for the article and what is kept from it (its search entry,
        # related lists): apps that keep such things do so in post_save, inside it.
        with transaction.atomic():
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.slug])

    @property
    def body_picture_ids(self) -> list[int]:
        """The library pictures the body shows (its page names their cache tags)."""
        return markup.picture_ids(self.body)

    def redraw_body(self) -> None:
        """Draw the body again as it is, after a picture it shows changed or went away."""
        self.body_html = markup.render_article(self.body, pictures=in_bodies.draw)
        self.save(update_fields=["body_html"])

    def normalise_text(self) -> None:
        """Put the article's words in their kept form (see normal_form), as every revision
        keeps them: whoever writes the row (newsroom, importers, the admin), the same words
        are stored the same way."""
        self.title = normal_line(self.title)
        self.search_title = normal_line(self.search_title)
        self.search_description = normal_line(self.search_description)
        self.copyright_holder = normal_line(self.copyright_holder)
        self.synopsis = normal_text(self.synopsis)
        self.body = normal_text(self.body)
        self.sources = normal_text(self.sources)

    def suggested_slug(self, title: str) -> str:
        """The address a (new) title suggests for this article, free for it to take; "" when
        the title gives the address it has. Only a suggestion: the address changes when
        someone chooses to (articles.services.change_address)."""
        base = slugify(title)[:194]
        if not base or base == self.slug:
            return ""
        if not slug_taken(base, but=self.pk):
            return base
        return free_slug(Article, title)

    def get_print_url(self) -> str:
        return reverse("article-print", args=[self.slug])

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
        with transaction.atomic():
            return super().delete(*args, **kwargs)

    @classmethod
    def seen_by_readers(cls, update_fields: Iterable[str] | None) -> bool:
        """Whether a save of these fields (None: all of them) can change what readers see."""
        return update_fields is None or not set(update_fields) <= cls.NEWSROOM_FIELDS

    @property
    def cache_tag(self) -> str:
        """The page-cache tag of pages that show this article (its own, lists, related)."""
        return self.tag_for(self.pk)

    @staticmethod
    def tag_for(pk: int) -> str:
        """cache_tag of the article with this id, without loading it."""
        return f"article-{pk}"

    @property
    def thread_tag(self) -> str:
        return thread_tag(self.pk)

    @property
    def translation_group(self) -> int | None:
        """The id of the original this article shares translations with (its own when it is
        the original); None before it is saved."""
        return self.translation_of_id or self.pk

    @property
    def translations_tag(self) -> str:
        return translations_tag(self.translation_group or 0)

    @property
    def direction(self) -> str:
        """ "rtl" or "ltr": how the article's language is written, for its title in a list."""
        return languages.direction(self.language)

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        article = super().from_db(db, field_names, values)
        # The group it was in when read: a save that moves it names that group's pages too.
        if "translation_of_id" in article.__dict__:  # not when deferred (.only())
            article.loaded_group = article.translation_group
        return article

    def summary(self, words: int = 30) -> str:
        """The summary staff wrote, or else the first words of the body, as plain text, for
        lists, feeds and search engines."""
        if self.synopsis.strip():
            return Truncator(" ".join(self.synopsis.split())).words(words)
        text = html.unescape(strip_tags(self.body_html)).split()
        return Truncator(" ".join(text)).words(words)

    @property
    def title_for_search(self) -> str:
        """The title search results and shared links show: the search title, else the title."""
        return self.search_title.strip() or self.title

    def description_for_search(self, words: int = 30) -> str:
        """The description search results and shared links show: the search description,
        else the summary (or the body's first words)."""
        return self.search_description.strip() or self.summary(words)

    # A body with this many section headings or more is long enough to list them at its top.
    CONTENTS_FROM = 4

    @property
    def contents(self) -> list[tuple[int, str, str]]:
        """The body's section headings as (level, id, words) for its table of contents; none
        for a body with fewer than CONTENTS_FROM of them."""
        headings = markup.contents(self.body_html)
        return headings if len(headings) >= self.CONTENTS_FROM else []

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the body (reading_time), from the words readers see."""
        return minutes_for(words_in(self.body_html))

    @property
    def modified_at(self) -> dt.datetime | None:
        """When the article last changed for readers: its "Last Modified Date" (the start of
        that day here), never before it was published."""
        if self.published_at is None:
            return None
        day = timezone.make_aware(dt.datetime.combine(self.last_modified, dt.time.min))
        return max(self.published_at, day)

    @property
    def review(self) -> Review | None:
        """The article's latest medical or expert review, only when one really happened: a
        reviewer and a date were both recorded."""
        if not self.has_review:
            return None
        assert self.reviewed_by is not None and self.reviewed_on is not None
        return Review(reviewed_by=self.reviewed_by, reviewed_on=self.reviewed_on)

    @property
    def has_review(self) -> bool:
        """Whether an expert review really happened (review_happened), without a query."""
        return review_happened(self.reviewed_by_id, self.reviewed_on)

    @property
    def review_due(self) -> dt.date | None:
        """When the next expert review is due: the topic's cadence in months after the last
        review. None when the topic has no cadence or no review really happened."""
        if not self.has_review:
            return None
        return review_due_on(self.reviewed_by_id, self.reviewed_on, self.topic.review_months)

    @property
    def is_published(self) -> bool:
        """Whether readers see it: published_q, for one article in memory."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class OldAddress(models.Model):
    """An address (slug) an article had while readers could see it: kept as a permanent
    redirect to the article's address now, and never given to another article."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_addresses")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slug} → {self.article}"


def slug_taken(slug: str, *, but: int | None = None) -> bool:
    """Whether an article other than `but` has this address, now or as an old address."""
    articles = Article.objects.filter(slug=slug)
    old = OldAddress.objects.filter(slug=slug)
    if but is not None:
        articles, old = articles.exclude(pk=but), old.exclude(article_id=but)
    return articles.exists() or old.exists()


class Revision(models.Model):
    """One saved state of an article's editable fields: who, when, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    # Counts an article's revisions from 1; the editor form carries the number it started
    # from, so a save made from a stale form is refused rather than overwriting.
    number = models.PositiveIntegerField()
    # The editable fields (REVISED_FIELDS in knowhow.articles.revisions), by name.
    content = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    # A correction readers need not be told of: publishing it keeps "Last Modified Date".
    minor = models.BooleanField(default=False)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.article} · revision {self.number}"


class ArticleEvent(models.Model):
    """The newsroom's log of an article: each step of its workflow and each editor's comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted for review")
        COMMENTED = "commented", _("Commented")
        CHANGES_REQUESTED = "changes", _("Requested changes")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Restored a revision")
        IMPORTED = "imported", _("Imported")
        REASSIGNED = "reassigned", _("Changed the writer")
        MOVED = "moved", _("Changed the address")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    revision = models.ForeignKey(Revision, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article}: {self.get_action_display()}"
