"""Sign-up, readers' profile pages, and a reader's own settings, data and account deletion.

Sign-in, password changes and resets are Django's own views, with this app's forms; a
form refused for too many tries answers 429 with Retry-After (see accounts.throttle).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowhow.accounts import api_tokens, services, signin_links, throttle
from knowhow.accounts.data_export import reader_data
from knowhow.accounts.forms import (
    ApiTokenForm,
    CheckedPasswordChangeForm,
    DeleteAccountForm,
    ReaderSettingsForm,
    SignUpForm,
)
from knowhow.accounts.services import SIGNED_IN_NOW
from knowhow.articles.roles import is_moderator, is_newsroom_staff
from knowhow.dates import link_lifetime
from knowhow.discussion.selectors import posts_by
from knowhow.links import absolute_url
from knowhow.moderation.digest import set_held_digest, wants_digest
from knowhow.newsroom import telling
from knowhow.notifications.models import ReaderPreferences
from knowhow.notifications.recipients import is_confirmed
from knowhow.notifications.services import set_reply_emails

USERNAME_CHARS = re.compile(UnicodeUsernameValidator.regex)


def too_many(response: HttpResponse, form: BaseForm | None) -> HttpResponse:
    """A form refused for too many tries: 429, and when to try again."""
    retry_after = getattr(form, "retry_after", None)
    if retry_after is not None:
        response.status_code = 429
        response["Retry-After"] = str(retry_after)
    return response


def refusing_too_many(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Wrap a Django view that renders a form (sign-in, the admin's, password change); a
    browser that signs in through it is trusted for that account from then on."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        _remember_device(request, response)
        if isinstance(response, TemplateResponse) and response.context_data:
            return too_many(response, response.context_data.get("form"))
        return response

    return wrapped


def _remember_device(request: HttpRequest, response: HttpResponseBase) -> None:
    """Mark the browser that just signed in (the mark is set by services.note_sign_in)."""
    username = getattr(request, SIGNED_IN_NOW, "")
    if username:
        throttle.remember_device(request, response, username)


@require_POST
def ask_for_signin_link(request: HttpRequest) -> HttpResponse:
    """Past the limit of wrong passwords: a one-time sign-in link by email instead."""
    username = request.POST.get("username", "").strip()[:150]
    # Only a name an account could have is looked up (the queue stores it: no NUL).
    if username and USERNAME_CHARS.fullmatch(username):
        signin_links.ask_for_link(username)
        messages.info(
            request,
            _(
                "If the account “%(username)s” has an email address, a sign-in link is on its "
                "way to it. It works once, for %(lifetime)s."
            )
            % {"username": username, "lifetime": link_lifetime()},
        )
    return redirect("login")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signin_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Sign in with an emailed link. Opening it only asks: mail scanners open links too."""
    account = signin_links.user_for(uidb64, token)
    if request.method == "POST" and account is not None:
        login(request, account, backend=settings.AUTHENTICATION_BACKENDS[0])
        response = redirect("home")
        _remember_device(request, response)
        return response
    status = 200 if account is not None else 400
    return render(request, "registration/signin_link.html", {"account": account}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = CheckedPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(form=form)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request,
            _(
                "Your account %(username)s is ready, and you are signed in. Your posts now "
                "carry your name."
            )
            % {"username": user.username},
        )
        # A checked relative address such as "x" is a path, not a URL name to reverse.
        response = HttpResponseRedirect(next_url) if next_url else redirect("home")
        _remember_device(request, response)
        return response
    return too_many(render(request, "accounts/signup.html", {"form": form, "next": next_url}), form)


def reader(request: HttpRequest, username: str) -> HttpResponse:
    reader = get_object_or_404(User, username=username, is_active=True)
    page = posts_by(reader.pk, request.GET.get("page"))
    return render(request, "accounts/reader.html", {"reader": reader, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # login_required
    preferences = ReaderPreferences.objects.filter(user=request.user).first()
    moderator = is_moderator(request.user)
    newsroom = is_newsroom_staff(request.user)
    initial = {
        "notify_replies": bool(preferences and preferences.notify_replies),
        "held_digest": moderator and wants_digest(request.user),
        "step_emails": newsroom and telling.wants_emails(request.user),
    }
    # An unticked box sends nothing: an empty POST is still a submission.
    data = request.POST if request.method == "POST" else None
    form = ReaderSettingsForm(data, initial=initial, moderator=moderator, newsroom=newsroom)
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["notify_replies"]
        set_reply_emails(user=request.user, on=on)
        if moderator:
            set_held_digest(user=request.user, on=form.cleaned_data["held_digest"])
        if newsroom:
            telling.set_step_emails(user=request.user, on=form.cleaned_data["step_emails"])
        messages.info(request, _("Your settings were saved."))
        if on and request.user.email and not is_confirmed(request.user.email):
            messages.info(
                request,
                _("We sent a link to confirm %(email)s: reply emails start once you follow it.")
                % {"email": request.user.email},
            )
        return redirect("account-settings")
    return _settings_page(request, form, initial["notify_replies"])


def _settings_page(
    request: HttpRequest,
    form: ReaderSettingsForm | None,
    notify_replies: bool | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: api_tokens.NewToken | None = None,
    status: int = 200,
) -> HttpResponse:
    """The settings page, with the reader's API tokens (and a new one's text, this once)."""
    assert isinstance(request.user, User)  # login_required
    if form is None:
        preferences = ReaderPreferences.objects.filter(user=request.user).first()
        notify_replies = bool(preferences and preferences.notify_replies)
        form = ReaderSettingsForm(
            initial={
                "notify_replies": notify_replies,
                "held_digest": is_moderator(request.user) and wants_digest(request.user),
                "step_emails": is_newsroom_staff(request.user)
                and telling.wants_emails(request.user),
            },
            moderator=is_moderator(request.user),
            newsroom=is_newsroom_staff(request.user),
        )
    allowed = api_tokens.allowed_scopes(request.user)
    context = {
        "form": form,
        "unconfirmed": bool(notify_replies)
        and bool(request.user.email)
        and not is_confirmed(request.user.email),
        "tokens": api_tokens.tokens_of(request.user),
        "token_form": token_form or ApiTokenForm(allowed=allowed),
        "new_token": new_token,
        "api_url": absolute_url(request, "/api/v1/"),
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
@never_cache
@require_POST
def create_api_token(request: HttpRequest) -> HttpResponse:
    """Make a personal API token; the page shows its text this once (kept by no cache)."""
    assert isinstance(request.user, User)  # login_required
    form = ApiTokenForm(request.POST, allowed=api_tokens.allowed_scopes(request.user))
    if form.is_valid():
        try:
            made = api_tokens.create_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            return _settings_page(request, None, new_token=made)
    return _settings_page(request, None, token_form=form, status=400)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the reader's own tokens: programs using it are refused from now on."""
    assert isinstance(request.user, User)  # login_required
    if api_tokens.revoke_token(user=request.user, token_id=token_id):
        messages.info(request, _("The token was revoked: nothing can use it any more."))
    else:
        messages.info(request, _("You have no such token: nothing was revoked."))
    return redirect("account-settings")


@login_required
@never_cache
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # login_required
    data = reader_data(request.user, lambda path: absolute_url(request, path))
    return HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                True, f"knowhow-data-{request.user.username}.json"
            )
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)  # login_required
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, user=request.user, request=request
    )
    if request.method == "POST" and form.is_valid():
        keep = form.keep_posts
        services.delete_account(user=request.user, keep_posts=keep)
        logout(request)
        messages.info(
            request,
            _("Your account was deleted. Your posts stay, shown as anonymous.")
            if keep
            else _("Your account was deleted. Your posts were removed."),
        )
        return redirect("home")
    return too_many(render(request, "accounts/delete.html", {"form": form}), form)
