"""The newsroom's writes to articles: drafting, review, publishing and revisions.

Every change of an article goes through one function here; each checks who may do it,
records a revision or a log entry, and refuses with a reason a person can act on. The
article's row holds what readers see once it is published (its live revision); the
newest revision is what the editor page edits. Pages, importers and the demo call these.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from knowhow.articles import events
from knowhow.articles.models import Article, ArticleEvent, Person, Revision, Topic, free_slug
from knowhow.articles.revisions import (
    FieldDiff,
    apply_content,
    content_of,
    diff_contents,
    normalised,
    same_content,
    text_changed,
)
from knowhow.images.models import Image

logger = logging.getLogger(__name__)

Action = ArticleEvent.Action
Stage = Article.Stage
Status = Article.Status
PUBLISH = "articles.publish_article"
WRITE = "articles.change_article"
CREATE = "articles.add_article"

Actor = User | AnonymousUser | None


class NotAllowed(Exception):
    """A step the person may not take, or not now; the message says why, and `code` says
    which refusal it is for callers that act on one ("unchanged": nothing to save)."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
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
            f"Someone saved revision {latest.number} of this article after you opened "
            f"revision {base}. Your changes were not saved: compare them with the newest "
            "revision below, then save again."
        )
        self.latest, self.base, self.theirs, self.yours = latest, base, theirs, yours


# Who may do what ----------------------------------------------------------------------


def _holds(user: Actor, permission: str) -> bool:
    return bool(user is not None and user.is_active and user.has_perm(permission))


def is_editor(user: Actor) -> bool:
    return _holds(user, PUBLISH)


def is_writer(user: Actor) -> bool:
    return _holds(user, WRITE)


def is_author(user: Actor, article: Article) -> bool:
    """Whether the user writes as the article's "Written By" person."""
    return bool(
        user is not None
        and user.is_authenticated
        and Person.objects.filter(pk=article.written_by_id, user_id=user.pk).exists()
    )


def may_edit(user: Actor, article: Article) -> bool:
    """Editors edit any article; a writer edits their own unless an editor holds it."""
    if is_editor(user):
        return True
    return (
        is_writer(user)
        and is_author(user, article)
        and article.stage not in (Stage.IN_REVIEW, Stage.APPROVED)
    )


def may_view(user: Actor, article: Article) -> bool:
    return is_editor(user) or (is_writer(user) and is_author(user, article))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


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


# Revisions -----------------------------------------------------------------------------


def _log(article: Article, action: str, user: Actor, note: str = "",
         revision: Revision | None = None) -> ArticleEvent:  # fmt: skip
    actor = user if isinstance(user, User) else None
    return ArticleEvent.objects.create(
        article=article, action=action, actor=actor, note=note, revision=revision
    )


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


def _check_content(content: dict[str, Any]) -> None:
    if not str(content.get("title") or "").strip():
        raise NotAllowed("The article needs a title.")
    if not content.get("topic") or not Topic.objects.filter(pk=content["topic"]).exists():
        raise NotAllowed("Choose the article's topic.")
    if bool(content.get("reviewed_by")) != bool(content.get("reviewed_on")):
        raise NotAllowed("An expert review needs both the reviewer and the date of the review.")
    reviewed_on = content.get("reviewed_on")
    if reviewed_on and dt.date.fromisoformat(str(reviewed_on)) > timezone.localdate():
        raise NotAllowed("A review date cannot be in the future: say when it happened.")


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
            f"The topic of revision {number} was deleted since: choose a topic in the editor "
            "and save, then try again."
        )
    reviewer = usable.get("reviewed_by")
    if reviewer and not Person.objects.filter(pk=reviewer).exists():
        raise NotAllowed(
            f"The reviewer named in revision {number} was deleted since: choose the reviewer "
            "again (or none) in the editor and save, then try again."
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
    _require(_holds(by, CREATE), "Only the newsroom's writers and editors may start articles.")
    if written_by is not None and not is_editor(by):
        _require(
            by is not None and written_by.user_id == by.pk,
            "Only editors may start an article in someone else's name.",
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
def save_revision(*, article: Article, by: Actor, content: dict[str, Any], base: int,
                  note: str = "", minor: bool = False) -> Revision:  # fmt: skip
    """Save the editor form as a new revision. `base` is the revision number the form was
    opened at: if another save came since, raise StaleEdit and save nothing."""
    article = _locked(article)
    _require(may_edit(by, article), _why_not_edit(by, article))
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
    _check_content(merged)
    if latest is not None and same_content(latest.content, merged):
        # Line endings, trailing spaces or a Unicode form alone are no new revision.
        raise NotAllowed(
            "Nothing changed since the last revision, so there is nothing to save.",
            code="unchanged",
        )
    revision = _new_revision(article, merged, by, note=note, minor=minor)
    _after_edit(article, by)
    _log(article, Action.SAVED, by, note, revision)
    return revision


def _why_not_edit(user: Actor, article: Article) -> str:
    if not (is_writer(user) or is_editor(user)):
        return "Only the newsroom's writers and editors may edit articles."
    if not is_editor(user) and not is_author(user, article):
        return "Writers edit their own articles; ask an editor to change this one."
    return (
        f"This article is {article.get_stage_display().lower()}: an editor has it. You can "
        "edit it again if the editor requests changes."
    )


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
    _require(may_edit(by, article), _why_not_edit(by, article))
    old = Revision.objects.filter(article=article, number=number).first()
    _require(old is not None, f"This article has no revision {number}.")
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
    _require(may_edit(by, article), _why_not_edit(by, article))
    _require(
        article.stage in (Stage.WRITING, Stage.CHANGES_REQUESTED),
        "There are no changes waiting to be reviewed.",
    )
    article.stage = Stage.IN_REVIEW
    article.save(update_fields=["stage"])
    _log(article, Action.SUBMITTED, by, note, article.latest_revision)


@transaction.atomic
def comment(*, article: Article, by: Actor, note: str) -> ArticleEvent:
    _require(may_view(by, article), "Only the article's writer and editors may comment on it.")
    _require(bool(note.strip()), "Write the comment first.")
    return _log(article, Action.COMMENTED, by, note.strip(), article.latest_revision)


@transaction.atomic
def request_changes(*, article: Article, by: Actor, note: str) -> None:
    article = _locked(article)
    _require(is_editor(by), "Only editors may request changes.")
    _require(bool(note.strip()), "Say what should change, so the writer knows what to fix.")
    _require(
        article.stage in (Stage.IN_REVIEW, Stage.APPROVED),
        "Changes can be requested on an article in review.",
    )
    article.stage = Stage.CHANGES_REQUESTED
    article.save(update_fields=["stage"])
    _log(article, Action.CHANGES_REQUESTED, by, note.strip(), article.latest_revision)


def _as_seen(article: Article, revision: int | None, doing: str) -> None:
    """Refuse a step taken on a page that showed an older revision than the newest: an
    editor approves and publishes exactly the words they read, never a save made since."""
    latest = article.latest_revision
    if revision is None or latest is None or latest.number == revision:
        return
    raise NotAllowed(
        f"Revision {latest.number} was saved after you opened revision {revision}, so "
        f"nothing was {doing}: read the newest revision, then try again."
    )


@transaction.atomic
def approve(*, article: Article, by: Actor, note: str = "", revision: int | None = None) -> None:
    """An editor approves the newest revision and becomes the article's "Edited By".

    `revision`: the number the editor's page showed; a newer save since is refused."""
    article = _locked(article)
    _require(is_editor(by), "Only editors may approve articles.")
    _as_seen(article, revision, "approved")
    _require(article.stage == Stage.IN_REVIEW, "Only an article in review can be approved.")
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
    _require(is_editor(by), "Only editors may publish articles.")
    _require(
        at is None or timezone.is_aware(at),
        "Give the publication time with its time zone.",
    )
    _as_seen(article, revision, "published")
    if article.stage != Stage.APPROVED:
        _require(
            article.stage != Stage.DONE or article.status != Status.PUBLISHED,
            "This article is published and has no changes waiting.",
        )
        _approve(article, by, "")
    now = timezone.now()
    if at is not None and at > now:
        _require(
            article.status != Status.PUBLISHED,
            "This article is already published: publish its changes now instead.",
        )
        article.status = Status.SCHEDULED
        article.published_at = at
        article.stage = Stage.DONE
        article.save(update_fields=["status", "published_at", "stage"])
        _log(article, Action.SCHEDULED, by, note or f"For {timezone.localtime(at):%Y-%m-%d %H:%M}")
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
    apply_content(article, _usable(latest.content, latest.number))
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
    _require(is_editor(by), "Only editors may unpublish articles.")
    _require(
        article.status in (Status.PUBLISHED, Status.SCHEDULED), "This article is not published."
    )
    was = article.status
    article.status = Status.DRAFT
    article.stage = Stage.WRITING
    article.live_revision = None
    if was == Status.SCHEDULED:
        article.published_at = None
    article.save()
    _log(article, Action.UNPUBLISHED, by, note)


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


def may_write(person: Person) -> bool:
    """Whether a byline person can be given articles: their account is a writer or editor."""
    return person.user_id is not None and any(test(person.user) for test in (is_writer, is_editor))


def writers() -> QuerySet[Person]:
    """The people an editor can give an article to: those whose active account holds the
    writer or editor role, by name."""
    return (
        Person.objects.filter(user__is_active=True)
        .filter(
            Q(user__groups__permissions__codename="change_article")
            | Q(user__groups__permissions__codename="publish_article")
            | Q(user__is_superuser=True)
        )
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def reassign_writer(*, article: Article, by: Actor, writer: Person, note: str = "") -> None:
    """An editor gives an unpublished article to another writer, who then edits it and is
    its "Written By"; logged with both names."""
    article = _locked(article)
    _require(is_editor(by), "Only editors may give an article to another writer.")
    _require(
        article.status != Status.PUBLISHED,
        "This article is published: its “Written By” stays what readers were told.",
    )
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
