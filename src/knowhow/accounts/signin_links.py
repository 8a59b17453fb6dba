"""One-time sign-in links by email: the way in for an owner whose account strangers have
locked against their network by guessing its password.

A link is asked for by account name; the page answers the same whether or not the account
exists or has an address, and the email is sent by the task worker (retried while the mail
server is down). The link signs in once: signing in changes the account's last sign-in,
which the token is made from, and it expires with password-reset links.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from knowhow.accounts import throttle
from knowhow.antiabuse import ratelimit
from knowhow.links import absolute
from knowhow.notifications.emails import in_language
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)

# Links asked for one account: at most this many an hour and a day.
LINK_RATES = [(3, 3600), (6, 86400)]


class SignInLinkTokens(PasswordResetTokenGenerator):
    key_salt = "knowhow.accounts.signin_links"


tokens = SignInLinkTokens()


def link_for(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("signin-link", args=[uid, tokens.make_token(user)]))


def user_for(uidb64: str, token: str) -> User | None:
    """The account a link signs in to, while the link is good; None otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    return user if user is not None and tokens.check_token(user, token) else None


def ask_for_link(username: str) -> None:
    """Queue the email for this account name, within the per-account limit; silent always."""
    key = "signin-link:" + hashlib.sha256(throttle.account_key(username).encode()).hexdigest()
    if ratelimit.hit(key, LINK_RATES):
        return
    try:
        send_signin_link.enqueue(username, translation.get_language() or "")
    except Exception:  # a queue outage must not turn the page into an error
        logger.exception("Could not queue a sign-in link")


@retrying_task
def send_signin_link(username: str, language: str = "") -> int:
    """Email the account of this name (in any case) a sign-in link, in the language of the
    page that asked for it; 0 if it has no address."""
    user = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if user is None or not user.email:
        return 0
    context = {"site_name": settings.SITE_NAME, "user": user, "link": link_for(user)}
    with in_language(language):
        subject = render_to_string("registration/signin_link_subject.txt", context).strip()
        body = render_to_string("registration/signin_link_email.txt", context)
    return send_mail(subject, body, None, [user.email])
