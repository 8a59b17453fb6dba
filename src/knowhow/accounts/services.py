"""Writes to readers' accounts that reach beyond the account: making it (and telling an
address it already had an account), and deleting it with its posts."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.forms import ModelForm

from knowhow.accounts.tasks import queue_shared_address_note
from knowhow.discussion.services import withdraw_account_posts


def sign_up(*, form: ModelForm[User]) -> User:
    """Make the account from a valid sign-up form.

    The note to other accounts with the address is queued for every new account, whether
    or not there are any, so signing up takes as long either way.
    """
    user = form.save()
    queue_shared_address_note(user)
    return user


@transaction.atomic
def delete_account(*, user: User, keep_posts: bool) -> None:
    """Delete the reader's account; their posts stay as anonymous, or come down.

    Posts keep their numbers either way: the account's removal sets their author to NULL,
    and removed posts show "removed by its author" in the thread.
    """
    withdraw_account_posts(author=user, keep=keep_posts)
    user.delete()


# Set on a request in which someone signed in, naming the account: its response marks the
# browser as trusted for that account (accounts.throttle's device cookie).
SIGNED_IN_NOW = "knowhow_signed_in_now"


def note_sign_in(sender: object, request: object, user: User, **kwargs: object) -> None:
    """Django's user_logged_in: remember on the request who signed in."""
    if request is not None:
        setattr(request, SIGNED_IN_NOW, user.get_username())
