"""The newsroom's workflow steps: which fits an article in which stage and status, who may
take it, and how the editor page offers it. The one table.

The article write layer (articles.services) checks every step against it before taking it
(services._check), and the editor page's buttons, their notes and what the page says once a
step is taken are built from it (newsroom.editor), so what the page offers and what the
services accept cannot disagree. A new step is a row here and its function in articles.services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from knowhow.articles import roles
from knowhow.articles.models import Article
from knowhow.articles.roles import Actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Stage = Article.Stage
Status = Article.Status

# Who may take a step: the question knowhow.articles.roles answers for each.
EDITOR = "editor"  # any editor
AUTHOR = "author"  # who may edit the article: an editor, or its writer while no editor has it
STAFF = "staff"  # who sees the article in the newsroom: an editor, or its writer
# Who may change what readers see at once: an editor once the article was ever public (or
# is scheduled), else who may edit it.
PUBLIC = "public"

WHO: dict[str, Callable[[Actor, Article], bool]] = {
    EDITOR: lambda user, article: roles.is_editor(user),
    AUTHOR: roles.may_edit,
    STAFF: roles.may_view,
    PUBLIC: lambda user, article: (
        roles.is_editor(user)
        if article.status != Status.DRAFT or article.published_at is not None
        else roles.may_edit(user, article)
    ),
}

# The note a step takes.
NO_NOTE = ""
OPTIONAL = "optional"
REQUIRED = "required"

# The codes of a step's refusals, for callers to branch on.
FORBIDDEN = "forbidden"  # this person may not take it
NOT_NOW = "not_now"  # the article's stage or status does not fit it
NOTE_MISSING = "note_missing"  # its required note was left empty


def where(stages: Iterable[str] = Stage.values, statuses: Iterable[str] = Status.values, *,
          but: Iterable[tuple[str, str]] = ()) -> frozenset[tuple[str, str]]:  # fmt: skip
    """The (stage, status) pairs of every stage and status given, but those named."""
    return frozenset((stage, status) for stage in stages for status in statuses) - set(but)


@dataclass(frozen=True)
class Step:
    action: str  # its code, in the page's address and form
    label: StrOrPromise  # the button's words
    who: str  # EDITOR, AUTHOR, STAFF or PUBLIC
    fits: frozenset[tuple[str, str]]  # the (stage, status) of the articles it can be taken on
    not_now: StrOrPromise  # the refusal on an article it does not fit
    forbidden: (
        StrOrPromise  # the refusal of a person who may not take it; "" for roles.why_not_edit
    )
    done: StrOrPromise  # what the page says once it is taken
    note: str = OPTIONAL  # NO_NOTE, OPTIONAL or REQUIRED
    note_missing: StrOrPromise = ""  # the refusal of a required note left empty
    secondary: bool = False  # shown as a lesser button
    button: bool = True  # one of the page's workflow buttons (reassigning has its own form)

    def allows(self, user: Actor, article: Article) -> bool:
        return WHO[self.who](user, article)

    def fits_now(self, article: Article) -> bool:
        return (article.stage, article.status) in self.fits

    def why_forbidden(self, user: Actor, article: Article) -> str:
        return str(self.forbidden) if self.forbidden else roles.why_not_edit(user, article)


SUBMIT = "submit"
COMMENT = "comment"
REQUEST_CHANGES = "request_changes"
APPROVE = "approve"
PUBLISH = "publish"
SCHEDULE = "schedule"
UNPUBLISH = "unpublish"
REASSIGN = "reassign"
MOVE = "move"

# In the order of the editor page's buttons.
STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        Step(
            SUBMIT,
            gettext_lazy("Submit for review"),
            AUTHOR,
            where(stages=[Stage.WRITING, Stage.CHANGES_REQUESTED]),
            not_now=gettext_lazy("There are no changes waiting to be reviewed."),
            forbidden="",
            done=gettext_lazy("Submitted for review."),
        ),
        Step(
            COMMENT,
            gettext_lazy("Comment"),
            STAFF,
            where(),
            not_now="",
            forbidden=gettext_lazy("Only the article's writer and editors may comment on it."),
            done=gettext_lazy("Comment added to the log."),
            note=REQUIRED,
            note_missing=gettext_lazy("Write the comment first."),
            secondary=True,
        ),
        Step(
            REQUEST_CHANGES,
            gettext_lazy("Request changes"),
            EDITOR,
            where(stages=[Stage.IN_REVIEW, Stage.APPROVED]),
            not_now=gettext_lazy("Changes can be requested on an article in review."),
            forbidden=gettext_lazy("Only editors may request changes."),
            done=gettext_lazy("Asked the writer for changes."),
            note=REQUIRED,
            note_missing=gettext_lazy("Say what should change, so the writer knows what to fix."),
            secondary=True,
        ),
        Step(
            APPROVE,
            gettext_lazy("Approve"),
            EDITOR,
            where(stages=[Stage.IN_REVIEW]),
            not_now=gettext_lazy("Only an article in review can be approved."),
            forbidden=gettext_lazy("Only editors may approve articles."),
            done=gettext_lazy("Approved: you are the article's editor once it is published."),
        ),
        Step(
            PUBLISH,
            gettext_lazy("Publish now"),
            EDITOR,
            # Publishing an article in review approves it too.
            where(but=[(Stage.DONE, Status.PUBLISHED)]),
            not_now=gettext_lazy("This article is published and has no changes waiting."),
            forbidden=gettext_lazy("Only editors may publish articles."),
            done=gettext_lazy("Published: readers see it now."),
        ),
        Step(
            SCHEDULE,
            gettext_lazy("Schedule"),
            EDITOR,
            # Scheduling is publishing at a time: a published article's changes go out now.
            where(statuses=[Status.DRAFT, Status.SCHEDULED]),
            not_now=gettext_lazy(
                "This article is already published: publish its changes now instead."
            ),
            forbidden=gettext_lazy("Only editors may schedule articles."),
            done=gettext_lazy("Scheduled."),
            note=NO_NOTE,
        ),
        Step(
            UNPUBLISH,
            gettext_lazy("Unpublish"),
            EDITOR,
            where(statuses=[Status.PUBLISHED, Status.SCHEDULED]),
            not_now=gettext_lazy("This article is not published."),
            forbidden=gettext_lazy("Only editors may unpublish articles."),
            done=gettext_lazy("Unpublished: readers no longer see it."),
            secondary=True,
        ),
        Step(
            REASSIGN,
            gettext_lazy("Change the writer"),
            EDITOR,
            where(statuses=[Status.DRAFT, Status.SCHEDULED]),
            not_now=gettext_lazy(
                "This article is published: its “Written By” stays what readers were told."
            ),
            forbidden=gettext_lazy("Only editors may give an article to another writer."),
            done=gettext_lazy("{writer} writes “{title}” now."),
            note=NO_NOTE,
            button=False,
        ),
        Step(
            MOVE,
            gettext_lazy("Change the address"),
            PUBLIC,
            where(),
            not_now="",
            forbidden=gettext_lazy(
                "Only editors may change the address of an article readers have seen."
            ),
            done=gettext_lazy("The article's address is {address} now."),
            note=NO_NOTE,
            button=False,  # the editor form's address field takes it
        ),
    )
}


def may_take(action: str, user: Actor, article: Article) -> bool:
    """Whether this person may take the step on the article as it is now."""
    step = STEPS[action]
    return step.fits_now(article) and step.allows(user, article)


def open_to(user: Actor, article: Article) -> list[Step]:
    """The steps this person may take on the article as it is now, in the table's order."""
    return [s for s in STEPS.values() if s.fits_now(article) and s.allows(user, article)]
