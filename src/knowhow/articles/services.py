"""The article write layer: the newsroom's writes to articles (drafting, review,
publishing, revisions, addresses, who writes it), the revision an import leaves, and the
bylines and topics importers name (person_named, topic_named).

Every newsroom change of an article goes through one function here; each checks who may do
it (knowhow.articles.roles) and, for a workflow step, that it fits now (the table in
knowhow.articles.steps), records a revision or a log entry, and refuses with a reason a
person can act on and a code. The article's row holds what readers see once it is
published (its live revision); the newest revision is what the editor page edits. Pages,
importers and the demo call these.

These are not the only writers of an article's row. The others, each of a part that is not
the newsroom's: the Markdown importer (knowhow.exchange.markdown.save_article, which then
records the import here with record_import), the discussion's post counter
(discussion.services), the related lists (search.services), the demo's removal
(demo.loader) and the synthetic-site generator's bulk inserts into an empty site
(demo.synthetic); tests/articles/test_article_writers_are_known.py fails when another appears.
Topics and people are also written by the export importer (exchange.importing, their
descriptions and bios) and by the newsroom's role changes (newsroom.services).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from knowhow.articles import events, steps, translations
from knowhow.articles.models import (
    Article,
    ArticleEvent,
    OldAddress,
    Person,
    Revision,
    Topic,
    free_slug,
    site_language,
    slug_taken,
    validate_review,
)
from knowhow.articles.revisions import (
    FieldDiff,
    apply_content,
    content_of,
    diff_contents,
    normalised,
    same_content,
    text_changed,
)
from knowhow.articles.roles import Actor, is_editor, may_edit, may_start, may_write, why_not_edit
from knowhow.dates import clock_time
from knowhow.images.models import Image

logger = logging.getLogger(__name__)

Action = ArticleEvent.Action
Stage = Article.Stage
Status = Article.Status


class NotAllowed(Exception):
    """A step the person may not take, or not now; the message says why, the code (one of
    steps' refusal codes, or "" for a reason of its own) what kind of refusal it is."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class StaleEdit(Exception):
    """A save made from a form older than the article's newest revision.

    Carries what changed meanwhile (`theirs`: from the form's revision to the newest) and
    how the refused save differs from the newest (`yours`), so nothing typed is lost.
    """

    def __init__(self, *, latest: Revision, base: int, theirs: list[FieldDiff],
                 yours: list[FieldDiff]) -> None:  # fmt: skip
        super().__init__(
            _(
                "Someone saved revision %(latest)s of this article after you opened "
                "revision %(base)s. Your changes were not saved: compare them with the newest "
                "revision below, then save again."
            )
            % {"latest": latest.number, "base": base}
        )
        self.latest, self.base, self.theirs, self.yours = latest, base, theirs, yours


def _require(allowed: bool, message: str, code: str = "") -> None:
    if not allowed:
        raise NotAllowed(message, code)


def _check_edit(by: Actor, article: Article) -> None:
    if not may_edit(by, article):
        raise NotAllowed(why_not_edit(by, article), steps.FORBIDDEN)


def _check(action: str, by: Actor, article: Article, note: str = "") -> None:
    """Refuse the step unless steps' table lets this person take it on the article as it
    is now, with the note it needs."""
    step = steps.STEPS[action]
    if not step.allows(by, article):  # the reason is worked out only for a refusal
        raise NotAllowed(step.why_forbidden(by, article), steps.FORBIDDEN)
    _require(step.fits_now(article), str(step.not_now), steps.NOT_NOW)
    if step.note == steps.REQUIRED:
        _require(bool(note.strip()), str(step.note_missing), steps.NOTE_MISSING)


def person_for(user: Actor) -> Person:
    """The byline person a staff account writes as; made from the account's name if the
    account has none yet."""
    assert user is not None and user.is_authenticated
    person = Person.objects.filter(user_id=user.pk).first()
    if person is not None:
        return person
    name = (user.get_full_name() if isinstance(user, User) else "") or user.get_username()
    person = Person.objects.filter(name=name, user__isnull=True).first()
    if person is None:
        person = Person(name=name, slug=free_slug(Person, name))
    person.user_id = user.pk
    person.save()
    return person


def person_named(name: str) -> Person:
    """The person with this byline name, made if there is none yet (importers and the demo
    name people by their names)."""
    person = Person.objects.filter(name=name).first()
    if person is None:
        person = Person.objects.create(name=name, slug=free_slug(Person, name))
    return person


def topic_named(name: str) -> Topic:
    """The topic with this name in any case, made if there is none yet."""
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is None:
        topic = Topic.objects.create(name=name, slug=free_slug(Topic, name))
    return topic


# Revisions -----------------------------------------------------------------------------


# The logged steps people are told of (events.step_taken, once the step is committed).
TOLD_OF = frozenset({Action.SUBMITTED, Action.COMMENTED, Action.CHANGES_REQUESTED,
                     Action.APPROVED, Action.SCHEDULED, Action.PUBLISHED})  # fmt: skip


def _log(article: Article, action: str, user: Actor, note: str = "",
         revision: Revision | None = None) -> ArticleEvent:  # fmt: skip
    actor = user if isinstance(user, User) else None
    event = ArticleEvent.objects.create(
        article=article, action=action, actor=actor, note=note, revision=revision
    )
    if action in TOLD_OF:
        transaction.on_commit(
            lambda: events.step_taken.send(sender=Article, event=event), robust=True
        )
    return event


def _new_revision(article: Article, content: dict[str, Any], user: Actor, *, note: str = "",
                  minor: bool = False, restored_from: int | None = None) -> Revision:  # fmt: skip
    number = (
        Revision.objects.filter(article=article)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        content=normalised(content),
        note=note.strip()[:300],
        minor=minor,
        restored_from=restored_from,
        created_by=user if isinstance(user, User) else None,
    )
    article.latest_revision = revision
    return revision


def _check_content(content: dict[str, Any], article_id: int | None = None) -> None:
    if not str(content.get("title") or "").strip():
        raise NotAllowed(_("The article needs a title."))
    if not content.get("topic") or not Topic.objects.filter(pk=content["topic"]).exists():
        raise NotAllowed(_("Choose the article's topic."))
    reviewed_on = content.get("reviewed_on")
    try:
        validate_review(
            content.get("reviewed_by"),
            dt.date.fromisoformat(str(reviewed_on)) if reviewed_on else None,
        )
    except ValidationError as refused:
        raise NotAllowed(refused.messages[0], str(refused.code)) from None
    _check_translation(content, article_id)


def _check_translation(content: dict[str, Any], article_id: int | None) -> None:
    """The article's language and the original it translates (articles.translations);
    a revision from before articles had a language keeps the article's."""
    if "language" not in content and "translation_of" not in content:
        return
    try:
        translations.validate(
            article_id=article_id,
            language=str(content.get("language") or site_language()),
            translation_of=content.get("translation_of"),
        )
    except ValidationError as refused:
        raise NotAllowed(refused.messages[0], str(refused.code)) from None


def _usable(content: dict[str, Any], number: int) -> dict[str, Any]:
    """A revision's content as it can be put on the article today. A lead picture deleted
    since is left out (as it was from the article when it was deleted); a topic or reviewer
    deleted since cannot be guessed, so the step is refused, saying what to choose again."""
    usable = dict(content)
    image = usable.get("lead_image")
    if image and not Image.objects.filter(pk=image).exists():
        usable["lead_image"] = None
    topic = usable.get("topic")
    if topic and not Topic.objects.filter(pk=topic).exists():
        raise NotAllowed(
            _(
                "The topic of revision %(number)s was deleted since: choose a topic in the "
                "editor and save, then try again."
            )
            % {"number": number}
        )
    if (
        usable.get("translation_of")
        and not Article.objects.filter(pk=usable["translation_of"]).exists()
    ):
        usable["translation_of"] = None  # its original was deleted: an original itself now
    reviewer = usable.get("reviewed_by")
    if reviewer and not Person.objects.filter(pk=reviewer).exists():
        raise NotAllowed(
            _(
                "The reviewer named in revision %(number)s was deleted since: choose the "
                "reviewer again (or none) in the editor and save, then try again."
            )
            % {"number": number}
        )
    return usable


def _locked(article: Article) -> Article:
    """The article again, its row locked for this transaction (PostgreSQL), so two saves
    of one article take turns."""
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def create_article(*, by: Actor, title: str, topic: Topic, body: str = "",
                   written_by: Person | None = None, note: str = "",
                   **fields: Any) -> Article:  # fmt: skip
    """A new draft with its first revision; its writer is the creator unless an editor
    names another."""
    _require(may_start(by), _("Only the newsroom's writers and editors may start articles."))
    if written_by is not None and not is_editor(by):
        _require(
            by is not None and written_by.user_id == by.pk,
            _("Only editors may start an article in someone else's name."),
        )
    article = Article(
        title=title.strip(),
        slug=free_slug(Article, title, fallback="article"),
        topic=topic,
        written_by=written_by or person_for(by),
        body=body,
        status=Status.DRAFT,
        stage=Stage.WRITING,
    )
    for name, value in fields.items():
        setattr(article, name, value)
    content = content_of(article)
    _check_content(content)
    article.save()
    revision = _new_revision(article, content, by, note=note or "Started the article.")
    article.save(update_fields=["latest_revision"])
    _log(article, Action.CREATED, by, note, revision)
    return article


@transaction.atomic
def save_edits(*, article: Article, by: Actor, content: dict[str, Any], base: int,
               note: str = "", minor: bool = False,
               address: str | None = None) -> tuple[Revision | None, bool]:  # fmt: skip
    """The editor form's Save: its address (change_address) and its text (save_revision),
    all or nothing. Returns the revision saved (None when only the address changed) and
    whether the address changed."""
    moved = address is not None and change_address(article=article, by=by, address=address)
    try:
        return save_revision(article=article, by=by, content=content, base=base, note=note,
                             minor=minor), moved  # fmt: skip
    except NotAllowed as refused:
        if refused.code == "unchanged" and moved:
            return None, True
        raise


@transaction.atomic
def save_revision(*, article: Article, by: Actor, content: dict[str, Any], base: int,
                  note: str = "", minor: bool = False) -> Revision:  # fmt: skip
    """Save the editor form as a new revision. `base` is the revision number the form was
    opened at: if another save came since, raise StaleEdit and save nothing."""
    article = _locked(article)
    _check_edit(by, article)
    latest = article.latest_revision
    merged = normalised({**(latest.content if latest else content_of(article)), **content})
    if latest is not None and latest.number != base:
        old = Revision.objects.filter(article=article, number=base).first()
        raise StaleEdit(
            latest=latest,
            base=base,
            theirs=diff_contents(old.content if old else {}, latest.content),
            yours=diff_contents(latest.content, merged),
        )
    _check_content(merged, article.pk)
    if latest is not None and same_content(latest.content, merged):
        # Line endings, trailing spaces or a Unicode form alone are no new revision.
        raise NotAllowed(
            _("Nothing changed since the last revision, so there is nothing to save."),
            code="unchanged",
        )
    revision = _new_revision(article, merged, by, note=note, minor=minor)
    _after_edit(article, by)
    _log(article, Action.SAVED, by, note, revision)
    return revision


def _after_edit(article: Article, by: Actor) -> None:
    """After a new revision: a draft's row follows it; a live article keeps its live text
    until the change is published; a scheduled article comes off the schedule."""
    fields = ["latest_revision", "stage"]
    if article.stage in (Stage.DONE, Stage.APPROVED):
        article.stage = Stage.WRITING
    if article.status == Status.SCHEDULED:
        article.status = Status.DRAFT
        article.published_at = None
        fields += ["status", "published_at"]
    if article.status != Status.PUBLISHED:
        assert article.latest_revision is not None
        apply_content(article, article.latest_revision.content)
        article.save()
    else:
        article.save(update_fields=fields)


@transaction.atomic
def restore_revision(*, article: Article, by: Actor, number: int, note: str = "") -> Revision:
    """Make an old revision's content the newest again, as a new revision."""
    article = _locked(article)
    _check_edit(by, article)
    old = Revision.objects.filter(article=article, number=number).first()
    _require(old is not None, _("This article has no revision %(number)s.") % {"number": number})
    assert old is not None
    revision = _new_revision(
        article,
        _usable(old.content, number),
        by,
        note=note or f"Restored revision {number}.",
        restored_from=number,
    )
    _after_edit(article, by)
    _log(article, Action.RESTORED, by, note, revision)
    return revision


# Review --------------------------------------------------------------------------------


@transaction.atomic
def submit_for_review(*, article: Article, by: Actor, note: str = "") -> None:
    article = _locked(article)
    _check(steps.SUBMIT, by, article)
    article.stage = Stage.IN_REVIEW
    article.save(update_fields=["stage"])
    _log(article, Action.SUBMITTED, by, note, article.latest_revision)


@transaction.atomic
def comment(*, article: Article, by: Actor, note: str) -> ArticleEvent:
    _check(steps.COMMENT, by, article, note)
    return _log(article, Action.COMMENTED, by, note.strip(), article.latest_revision)


@transaction.atomic
def request_changes(*, article: Article, by: Actor, note: str) -> None:
    article = _locked(article)
    _check(steps.REQUEST_CHANGES, by, article, note)
    article.stage = Stage.CHANGES_REQUESTED
    article.save(update_fields=["stage"])
    _log(article, Action.CHANGES_REQUESTED, by, note.strip(), article.latest_revision)


def _as_seen(article: Article, revision: int | None, doing: str) -> None:
    """Refuse a step taken on a page that showed an older revision than the newest: an
    editor approves and publishes exactly the words they read, never a save made since."""
    latest = article.latest_revision
    if revision is None or latest is None or latest.number == revision:
        return
    refusal = {
        "approved": _(
            "Revision %(latest)s was saved after you opened revision %(revision)s, so "
            "nothing was approved: read the newest revision, then try again."
        ),
        "published": _(
            "Revision %(latest)s was saved after you opened revision %(revision)s, so "
            "nothing was published: read the newest revision, then try again."
        ),
    }[doing]
    raise NotAllowed(refusal % {"latest": latest.number, "revision": revision})


@transaction.atomic
def approve(*, article: Article, by: Actor, note: str = "", revision: int | None = None) -> None:
    """An editor approves the newest revision and becomes the article's "Edited By".

    `revision`: the number the editor's page showed; a newer save since is refused."""
    article = _locked(article)
    _check(steps.APPROVE, by, article)
    _as_seen(article, revision, "approved")
    _approve(article, by, note)


def _approve(article: Article, by: Actor, note: str) -> None:
    person_for(by)  # the byline this editor will be shown under
    article.stage = Stage.APPROVED
    article.save(update_fields=["stage"])
    _log(article, Action.APPROVED, by, note, article.latest_revision)


# Publishing ----------------------------------------------------------------------------


@transaction.atomic
def publish(*, article: Article, by: Actor, at: dt.datetime | None = None, note: str = "",
            revision: int | None = None) -> None:  # fmt: skip
    """Publish the newest revision now, or schedule a new article for `at`.

    An editor publishing an article in review approves it too. Readers' "Last Modified
    Date" moves only when the words changed and the change was not marked minor.
    `revision`: the number the editor's page showed; if a save came since (which also
    drops an approval), nothing is published.
    """
    article = _locked(article)
    _check(steps.PUBLISH, by, article)
    _require(
        at is None or timezone.is_aware(at),
        _("Give the publication time with its time zone."),
    )
    now = timezone.now()
    later = at is not None and at > now
    if later:
        _check(steps.SCHEDULE, by, article)
    _as_seen(article, revision, "published")
    if article.stage != Stage.APPROVED:
        _approve(article, by, "")
    if at is not None and later:
        article.status = Status.SCHEDULED
        article.published_at = at
        article.stage = Stage.DONE
        article.save(update_fields=["status", "published_at", "stage"])
        _log(article, Action.SCHEDULED, by, note or f"For {clock_time(at, with_date=True)}")
        transaction.on_commit(lambda: _queue_publication(article.pk, at))
        return
    _go_live(article, by, note, now)


def _last_live(article: Article) -> Revision | None:
    event = (
        ArticleEvent.objects.filter(article=article, action=Action.PUBLISHED)
        .exclude(revision=None)
        .select_related("revision")
        .first()
    )
    return event.revision if event is not None else None


def _go_live(article: Article, by: Actor, note: str, now: dt.datetime) -> None:
    latest = article.latest_revision
    assert latest is not None
    # What readers last saw: the live revision, or the one live before an unpublish.
    live = article.live_revision or _last_live(article)
    since = Revision.objects.filter(article=article, number__gt=live.number if live else 0)
    minor = live is not None and not since.filter(minor=False).exists()
    # Readers are told of new words only: a minor fix, a review record or a change of
    # picture keeps both the "Last Modified Date" and the "Edited By" they were shown.
    new_words = live is None or (text_changed(live.content, latest.content) and not minor)
    if new_words:
        article.last_modified = timezone.localdate()
    usable = _usable(latest.content, latest.number)
    # Another translation may have taken the language since this one was approved.
    _check_translation(usable, article.pk)
    apply_content(article, usable)
    # "Edited By" is the editor who approved the words that go live; shown only from now.
    approval = (
        ArticleEvent.objects.filter(article=article, action=Action.APPROVED, actor__isnull=False)
        .select_related("actor")
        .first()
    )
    if approval is not None and (new_words or article.edited_by_id is None):
        article.edited_by = person_for(approval.actor)
    # A republished article keeps its date; one published before its scheduled time (or
    # with a date still ahead) takes the moment it really went live.
    if article.published_at is None or article.published_at > now:
        article.published_at = now
    article.status = Status.PUBLISHED
    article.stage = Stage.DONE
    article.live_revision = latest
    article.save()
    _log(article, Action.PUBLISHED, by, note, latest)
    transaction.on_commit(lambda: events.published.send(sender=Article, article=article))


@transaction.atomic
def unpublish(*, article: Article, by: Actor, note: str = "") -> None:
    """Take an article off the site (or off the schedule); its revisions are all kept."""
    article = _locked(article)
    _check(steps.UNPUBLISH, by, article)
    was = article.status
    article.status = Status.DRAFT
    article.stage = Stage.WRITING
    article.live_revision = None
    if was == Status.SCHEDULED:
        article.published_at = None
    article.save()
    _log(article, Action.UNPUBLISHED, by, note)


def take_step(*, action: str, article: Article, by: Actor, note: str = "",
              revision: int | None = None, at: dt.datetime | None = None) -> None:  # fmt: skip
    """Take one of the editor page's workflow buttons (steps.STEPS) by its code: `revision`
    is the number the page showed, `at` the time chosen for scheduling."""
    if action == steps.SCHEDULE:
        _require(at is not None, _("Choose a time."))
        publish(article=article, by=by, at=at, note=note, revision=revision)
    elif action == steps.PUBLISH:
        publish(article=article, by=by, note=note, revision=revision)
    elif action == steps.APPROVE:
        approve(article=article, by=by, note=note, revision=revision)
    elif action == steps.SUBMIT:
        submit_for_review(article=article, by=by, note=note)
    elif action == steps.COMMENT:
        comment(article=article, by=by, note=note)
    elif action == steps.REQUEST_CHANGES:
        request_changes(article=article, by=by, note=note)
    elif action == steps.UNPUBLISH:
        unpublish(article=article, by=by, note=note)
    else:
        raise NotAllowed(_("The newsroom has no such step."), steps.FORBIDDEN)


@transaction.atomic
def save_and_take_step(*, action: str, article: Article, by: Actor,
                       content: dict[str, Any] | None, base: int | None, note: str = "",
                       minor: bool = False, step_note: str = "", at: dt.datetime | None = None,
                       writer: Person | None = None,
                       address: str | None = None) -> Revision | None:  # fmt: skip
    """A workflow step pressed on the editor page, with the text on screen: the text is
    saved first as a new revision (if it changed), then the step is taken on it. All or
    nothing: a stale save (StaleEdit) or a refused step saves nothing, so the page gives
    the text back with the reason. `content` None: the page showed no text to save (the
    person may not edit it now); `base` is then the revision the page showed.
    `address`: the address typed on the page, changed first (change_address).
    Returns the revision saved, if any."""
    if address is not None:
        change_address(article=article, by=by, address=address)
    saved = None
    seen = base
    latest = Article.objects.select_related("latest_revision").get(pk=article.pk).latest_revision
    if (content is not None and latest is not None and latest.number == base
            and same_content(latest.content, {**latest.content, **content})):  # fmt: skip
        content = None  # nothing to save, so no right to edit is needed: a comment goes through
    if content is not None:
        try:
            saved = save_revision(article=article, by=by, content=content, base=base or 0,
                                  note=note, minor=minor)  # fmt: skip
            seen = saved.number  # the words approved or published are the ones just saved
        except NotAllowed as refused:
            if refused.code != "unchanged":
                raise
    if action == steps.REASSIGN:
        _require(writer is not None, _("Choose the writer to give the article to."))
        assert writer is not None
        reassign_writer(article=article, by=by, writer=writer, note=step_note)
    else:
        take_step(action=action, article=article, by=by, note=step_note, revision=seen, at=at)
    return saved


# Addresses --------------------------------------------------------------------------------

ADDRESS_TAKEN = "address_taken"
ADDRESS_EMPTY = "address_empty"


def _was_public(article: Article) -> bool:
    """Whether readers may have been given the article's address: it is published, or was."""
    return (
        article.status == Status.PUBLISHED
        or ArticleEvent.objects.filter(article=article, action=Action.PUBLISHED).exists()
    )


@transaction.atomic
def change_address(*, article: Article, by: Actor, address: str) -> bool:
    """Give the article a new address (slug), made from what was typed. Once readers may
    have seen it, the address it leaves is kept as a permanent redirect, as every earlier
    one is; each points at the article itself, so none leads to another redirect, and
    going back to an old address takes it off the list. An address another article has,
    or kept as an old one, is refused. Returns whether the address changed."""
    article = _locked(article)
    if address.strip() == article.slug:  # as it is, even an address older than these rules
        return False
    slug = slugify(address)[: Article._meta.get_field("slug").max_length or 200]
    if slug == article.slug:
        return False
    _check(steps.MOVE, by, article)
    _require(
        bool(slug),
        _("Give the address some letters or digits (a-z, 0-9 and hyphens)."),
        ADDRESS_EMPTY,
    )
    taken = _(
        "The address “%(slug)s” belongs to another article, so it stays theirs: choose another."
    ) % {"slug": slug}
    _require(not slug_taken(slug, but=article.pk), taken, ADDRESS_TAKEN)
    old = article.slug
    OldAddress.objects.filter(article=article, slug=slug).delete()  # going back to it
    if _was_public(article):
        OldAddress.objects.create(article=article, slug=old)
    article.slug = slug
    try:
        with transaction.atomic():
            article.save(update_fields=["slug"])
    except IntegrityError:  # another article took it meanwhile
        raise NotAllowed(taken, ADDRESS_TAKEN) from None
    _log(article, Action.MOVED, by, f"From /{old}/ to /{slug}/.")
    return True


@task()
def publish_scheduled(article_id: int) -> bool:
    """Publish one scheduled article if its time has come (queued for that time)."""
    return bool(publish_due(now=timezone.now(), only=article_id))


def _queue_publication(article_id: int, at: dt.datetime) -> None:
    try:
        publish_scheduled.using(run_after=at).enqueue(article_id)
    except Exception:  # housekeeping's publish_due publishes it all the same
        logger.exception("Could not queue the publication of article %s", article_id)


def publish_due(*, now: dt.datetime, only: int | None = None) -> int:
    """Publish every scheduled article whose time has come; a housekeeping job too, so a
    lost or early task still publishes on the next round. Returns how many."""
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    if only is not None:
        due = due.filter(pk=only)
    count = 0
    for pk in due.values_list("pk", flat=True)[:100]:
        try:
            with transaction.atomic():
                article = Article.objects.select_for_update().get(pk=pk)
                if article.status != Status.SCHEDULED or article.published_at is None:
                    continue
                if article.published_at > now:
                    continue
                _go_live(article, None, "Published at its scheduled time.", now)
                count += 1
        except NotAllowed:
            # It stays scheduled, on the editors' desk; the others still go out.
            logger.exception("Scheduled article %s cannot be published", pk)
    return count


# Records from elsewhere ------------------------------------------------------------------


def record_import(article: Article, *, by: Actor = None, note: str = "") -> Revision | None:
    """After an importer or the demo wrote an article's row directly: keep what it now
    holds as a revision (none if it is unchanged), live if the article is published."""
    article.refresh_from_db()
    content = content_of(article)
    latest = article.latest_revision
    if latest is not None and same_content(latest.content, content):
        return None
    revision = _new_revision(article, content, by, note=note or "Imported.")
    fields = ["latest_revision"]
    if article.status == Status.PUBLISHED:
        article.live_revision = revision
        article.stage = Stage.DONE
        fields += ["live_revision", "stage"]
    elif article.stage in (Stage.IN_REVIEW, Stage.APPROVED) and latest is not None:
        # New words from a file: a review or an approval was of the words before them.
        article.stage = Stage.WRITING
        fields += ["stage"]
    Article.objects.filter(pk=article.pk).update(**{f: getattr(article, f) for f in fields})
    _log(article, Action.IMPORTED, by, note, revision)
    return revision


# Who writes it ----------------------------------------------------------------------------


@transaction.atomic
def reassign_writer(*, article: Article, by: Actor, writer: Person, note: str = "") -> None:
    """An editor gives an unpublished article to another writer, who then edits it and is
    its "Written By"; logged with both names."""
    article = _locked(article)
    _check(steps.REASSIGN, by, article)
    _require(
        may_write(writer),
        f"{writer.name} has no writer or editor account, so cannot write this article.",
    )
    before = article.written_by
    _require(before.pk != writer.pk, f"{writer.name} already writes this article.")
    article.written_by = writer
    article.save(update_fields=["written_by"])
    told = f"From {before.name} to {writer.name}."
    _log(article, Action.REASSIGNED, by, f"{told} {note.strip()}".strip())


# The home page's featured article -------------------------------------------------------


@transaction.atomic
def feature_article(*, article: Article, by: Actor, featured: bool = True) -> None:
    """An editor puts a published article at the top of the home page (the last one featured
    is shown), or takes it off. The save names the lists' tag, so the kept home page is
    purged when the transaction commits."""
    article = _locked(article)
    _require(is_editor(by), _("Only editors choose the home page's featured article."), "editor")
    if featured:
        _require(
            article.status == Status.PUBLISHED,
            _("Only a published article can be featured on the home page."),
            "unpublished",
        )
    article.featured_at = timezone.now() if featured else None
    article.save(update_fields=["featured_at"])
