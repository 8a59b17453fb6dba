"""The newsroom's roles: Django groups and the permissions each holds.

Writers draft and edit their own articles; editors also edit anyone's, comment, request
changes, approve, publish, unpublish and schedule; moderators keep the discussion; an
administrator holds every role's permissions and manages people and topics.
"""

from __future__ import annotations

WRITER = "writer"
EDITOR = "editor"
MODERATOR = "moderator"
ADMINISTRATOR = "administrator"

# Permissions as "app_label.codename", by role.
WRITER_PERMISSIONS = (
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.view_topic",
    "articles.view_person",
    "images.add_image",
    "images.view_image",
)
EDITOR_PERMISSIONS = (
    *WRITER_PERMISSIONS,
    "articles.publish_article",
    "images.change_image",
)
MODERATOR_PERMISSIONS = (
    "discussion.moderate_post",
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
