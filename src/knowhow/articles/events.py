"""Named events of articles that other apps subscribe to, sent after the write commits."""

from django.dispatch import Signal

# An article's newest revision went live (now, or at its scheduled time). Sent with
# `article`; subscribers tell people (askers of reader questions), never change it back.
published = Signal()

# A workflow step was logged (submitted, commented, changes requested, approved, scheduled,
# published). Sent with `event` (the ArticleEvent); subscribers tell the people concerned.
step_taken = Signal()
