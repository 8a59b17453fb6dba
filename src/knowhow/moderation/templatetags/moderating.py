"""Template filters that name posts and bans in moderators' words (see moderation.describe)."""

from __future__ import annotations

from django import template

from knowhow.moderation import describe

register = template.Library()

register.filter("post_label", describe.post_label)
register.filter("ban_target", describe.ban_target)
register.filter("ban_until", describe.ban_until)
