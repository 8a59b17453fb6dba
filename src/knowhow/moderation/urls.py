"""The moderators' addresses, under /moderation/."""

from django.urls import path

from knowhow.moderation import appeal_pages, reader_pages, reason_pages, views

urlpatterns = [
    path("", views.queue, name="moderation-queue"),
    path("bulk/", views.bulk_action, name="moderation-bulk"),
    path("posts/<int:post_id>/action/", views.post_action, name="moderation-post-action"),
    path("posts/<int:post_id>/edit/", views.edit_post, name="moderation-edit"),
    path("posts/<int:post_id>/ban/", views.ban_from_post, name="moderation-ban-post"),
    path("posts/<int:post_id>/poster/", reader_pages.poster, name="moderation-poster"),
    path("readers/<str:username>/", reader_pages.reader, name="moderation-reader"),
    path("readers/<str:username>/notes/", reader_pages.add_note, name="moderation-reader-note"),
    path("readers/<str:username>/message/", reader_pages.message, name="moderation-message"),
    path("readers/<str:username>/ban/", reader_pages.ban, name="moderation-reader-ban"),
    path("appeals/<int:appeal_id>/decide/", appeal_pages.decide, name="moderation-decide-appeal"),
    path("reasons/", reason_pages.reasons, name="moderation-reasons"),
    path(
        "reasons/<int:reason_id>/remove/",
        reason_pages.remove_reason,
        name="moderation-remove-reason",
    ),
    path("bans/", views.bans, name="moderation-bans"),
    path("bans/<int:ban_id>/lift/", views.lift_ban, name="moderation-lift-ban"),
    path("blocklist/", views.blocklist, name="moderation-blocklist"),
    path("blocklist/<int:term_id>/remove/", views.unblock, name="moderation-unblock"),
    path("posts/<int:post_id>/undo/", views.undo_post, name="moderation-undo-post"),
    path("log/", views.log, name="moderation-log"),
    path("log/<int:entry_id>/undo/", views.undo, name="moderation-undo"),
    path("dashboard/", views.dashboard, name="moderation-dashboard"),
]
