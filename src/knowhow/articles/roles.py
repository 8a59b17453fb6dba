"""Who may write, edit, publish and moderate: the site's roles, asked in one place.

Roles are Django groups, each with its permissions (made by newsroom's first migration);
an account may also hold a permission directly, or be a superuser. Every question of who
may do what (the newsroom's steps and pages, the list of people an article or a reader's
question can be given to, the moderators' pages and digest) is answered here, from the
permission, so the answers cannot disagree. It lives in `articles`, the lowest app with
the bylines (Person), so every app that asks may import it.

Writers draft and edit their own articles; editors also edit anyone's, comment, request
changes, approve, publish, unpublish and schedule; moderators keep the discussion; an
administrator holds every role's permissions and manages people and topics.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from knowhow.articles.models import Article, Person

WRITER = "writer"
EDITOR = "editor"
MODERATOR = "moderator"
ADMINISTRATOR = "administrator"

# The permissions the questions below ask, as "app_label.codename".
START = "articles.add_article"
WRITE = "articles.change_article"
PUBLISH = "articles.publish_article"
MODERATE = "discussion.moderate_post"

# Permissions by role.
WRITER_PERMISSIONS = (
    START,
    WRITE,
    "articles.view_article",
    "articles.view_topic",
    "articles.view_person",
    "images.add_image",
    "images.view_image",
)
EDITOR_PERMISSIONS = (
    *WRITER_PERMISSIONS,
    PUBLISH,
    "images.change_image",
)
MODERATOR_PERMISSIONS = (
    MODERATE,
    "discussion.view_post",
)
ADMINISTRATOR_PERMISSIONS = (
    *EDITOR_PERMISSIONS,
    *MODERATOR_PERMISSIONS,
    "articles.delete_article",
    "articles.add_topic",
    "articles.change_topic",
    "articles.add_person",
    "articles.change_person",
    "images.delete_image",
    "auth.view_user",
    "auth.change_user",
)
ROLES = {
    WRITER: WRITER_PERMISSIONS,
    EDITOR: EDITOR_PERMISSIONS,
    MODERATOR: MODERATOR_PERMISSIONS,
    ADMINISTRATOR: ADMINISTRATOR_PERMISSIONS,
}

Actor = User | AnonymousUser | None


def holds(user: Actor, permission: str) -> bool:
    """Whether an active account holds the permission, however held (role, own, superuser)."""
    return bool(user is not None and user.is_active and user.has_perm(permission))


def may_start(user: Actor) -> bool:
    """Whether the account may start articles."""
    return holds(user, START)


def is_writer(user: Actor) -> bool:
    return holds(user, WRITE)


def is_editor(user: Actor) -> bool:
    return holds(user, PUBLISH)


def is_newsroom_staff(user: Actor) -> bool:
    """Whether the account writes or edits: who may open the newsroom."""
    return is_writer(user) or is_editor(user)


def is_moderator(user: Actor) -> bool:
    return holds(user, MODERATE)


# Who may do what to one article --------------------------------------------------------


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
        and article.stage not in (Article.Stage.IN_REVIEW, Article.Stage.APPROVED)
    )


def may_view(user: Actor, article: Article) -> bool:
    """The article's writer and every editor see it in the newsroom, and comment on it."""
    return is_editor(user) or (is_writer(user) and is_author(user, article))


def why_not_edit(user: Actor, article: Article) -> str:
    """Why `may_edit` refuses this person this article, in words they can act on."""
    if not is_newsroom_staff(user):
        return _("Only the newsroom's writers and editors may edit articles.")
    if not is_editor(user) and not is_author(user, article):
        return _("Writers edit their own articles; ask an editor to change this one.")
    return _(
        "This article is %(stage)s: an editor has it. You can edit it again if the editor "
        "requests changes."
    ) % {"stage": article.get_stage_display().lower()}


# Who holds a role, as lists ---------------------------------------------------------------


def _holding(*permissions: str, prefix: str = "") -> Q:
    """The accounts (reached through `prefix`) that hold any of the permissions, however
    held: the same answer as `holds`, as a query."""
    held = Q(**{f"{prefix}is_superuser": True})
    for permission in permissions:
        app_label, codename = permission.split(".")
        for via in ("user_permissions", "groups__permissions"):
            held |= Q(
                **{
                    f"{prefix}{via}__content_type__app_label": app_label,
                    f"{prefix}{via}__codename": codename,
                }
            )
    return Q(**{f"{prefix}is_active": True}) & held


def may_write(person: Person) -> bool:
    """Whether a byline person can be given an article or a question's draft: their
    account is a writer or an editor."""
    return person.user_id is not None and is_newsroom_staff(person.user)


def writers() -> QuerySet[Person]:
    """The people an article or a question's draft can be given to (those `may_write`
    accepts), by name."""
    return (
        Person.objects.filter(_holding(WRITE, PUBLISH, prefix="user__")).distinct().order_by("name")
    )


def editors() -> QuerySet[User]:
    """The active accounts that edit (those `is_editor` accepts)."""
    return User.objects.filter(_holding(PUBLISH)).distinct()


def moderators() -> QuerySet[User]:
    """The active accounts that moderate (those `is_moderator` accepts)."""
    return User.objects.filter(_holding(MODERATE)).distinct()
