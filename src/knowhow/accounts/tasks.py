"""Account emails, sent by the task worker: reset links, and the note to an address that
a new account now shares.

The page that asks for one answers before anyone looks the address up, so it takes the
same time whether or not an account has that address, and tells nothing either way.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from knowhow.antiabuse import ratelimit
from knowhow.links import absolute, email_link_options
from knowhow.notifications.emails import in_language
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)

# Notes to one address about accounts made with it: at most this many an hour and a day.
NOTE_RATES = [(3, 3600), (10, 86400)]


class ResetLinkMail(PasswordResetForm):
    """Django's reset email, sent or raising: Django's own logs a mail server's refusal and
    carries on, which would record a reset link that never left as sent."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        message.send()


@retrying_task
def send_reset_links(email: str, language: str = "") -> None:
    """Email a reset link for each active account with this address, in the language of the
    page that asked for it; nothing if none. A retry sends every link again: each is fresh,
    and only the newest password counts."""
    form = ResetLinkMail(data={"email": email})
    if not form.is_valid():
        return
    with in_language(language):
        form.save(
            extra_email_context={"site_name": settings.SITE_NAME},
            **email_link_options(),  # type: ignore[arg-type]
        )


@retrying_task
def tell_of_shared_address(user_id: int) -> int:
    """Tell the other accounts with a new account's address that it was made; 1 if sent."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    others = list(
        User.objects.filter(email__iexact=user.email, is_active=True)
        .exclude(pk=user.pk)
        .order_by("username")
        .values_list("username", "email")
    )
    if not others:
        return 0
    context = {
        "site_name": settings.SITE_NAME,
        "new_name": user.username,
        "names": [name for name, _ in others],
        "reset_url": absolute(reverse("password_reset")),
    }
    # To the address as the older accounts keep it, which their owner is known to read.
    return send_mail(
        render_to_string("accounts/shared_address_subject.txt", context).strip(),
        render_to_string("accounts/shared_address_email.txt", context),
        None,
        sorted({email for _, email in others}),
    )


def queue_reset_links(email: str) -> None:
    try:
        send_reset_links.enqueue(email, translation.get_language() or "")
    except Exception:  # a queue outage must not turn the page into an error
        logger.exception("Could not queue reset links")


def queue_shared_address_note(user: User) -> None:
    # Counted when queued, not when sent, so a retry while the mail server is away is
    # never taken for another note; every sign-up counts, so it takes as long either way.
    if not user.email:
        return
    address = user.email.strip().lower()
    if ratelimit.hit("account-note:" + hashlib.sha256(address.encode()).hexdigest(), NOTE_RATES):
        return
    try:
        tell_of_shared_address.enqueue(user.pk)
    except Exception:  # the account is made; a queue outage must not undo that
        logger.exception("Could not queue the note about account %s", user.pk)
