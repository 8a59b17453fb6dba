"""A reader's page for moderators, and what it does: notes on the reader, a message by
email, a ban (account, address and network in one form, confirmed first). An anonymous
poster has a page keyed by one of their posts. Each view parses, calls a service or a
selector (moderation.readers), and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowhow.moderation import readers, selectors, services
from knowhow.moderation.forms import MessageReaderForm, ReaderBanForm, ReaderNoteForm
from knowhow.moderation.views import (
    _ban_or_confirm,
    _moderator,
    _page,
    _pressed,
    _status,
    moderator_required,
)

SECTION = "reader"


def _reader_or_404(username: str) -> User:
    return get_object_or_404(User, username=username)


def _ban_form(user: User, data: Any = None) -> ReaderBanForm:
    return ReaderBanForm(
        data,
        prefix="reader",
        initial={"username": user.username, "kinds": ["account", "address", "network"]},
    )


def _reader_page(
    request: HttpRequest,
    user: User,
    *,
    status: int = 200,
    note_form: ReaderNoteForm | None = None,
    message_form: MessageReaderForm | None = None,
    ban_form: ReaderBanForm | None = None,
) -> HttpResponse:
    story = readers.reader_story(user, request.GET.get("page"))
    return _page(
        request,
        SECTION,
        "moderation/reader.html",
        status,
        reader=user,
        story=story,
        ban_undo=readers.ban_entries(story.bans),
        here=reverse("moderation-reader", args=[user.username]),
        note_form=note_form or ReaderNoteForm(),
        message_form=message_form or MessageReaderForm(),
        ban_form=ban_form or _ban_form(user),
    )


@moderator_required
@require_GET
def reader(request: HttpRequest, username: str) -> HttpResponse:
    return _reader_page(request, _reader_or_404(username))


@moderator_required
@require_GET
def poster(request: HttpRequest, post_id: int) -> HttpResponse:
    """An anonymous poster's page, keyed by one of their posts; an account's post leads to
    the account's page."""
    post = get_object_or_404(selectors.moderated_posts(), pk=post_id)
    if post.author is not None:
        return redirect("moderation-reader", post.author.username)
    story = readers.poster_story(post, request.GET.get("page"))
    return _page(
        request,
        SECTION,
        "moderation/poster.html",
        post=post,
        story=story,
        ban_undo=readers.ban_entries(story.bans),
        here=reverse("moderation-poster", args=[post.pk]),
    )


@moderator_required
@require_POST
def add_note(request: HttpRequest, username: str) -> HttpResponse:
    user = _reader_or_404(username)
    form = ReaderNoteForm(request.POST)
    if not _pressed(request, "add"):
        messages.info(request, _("Nothing is saved yet: press “Add the note” when it is ready."))
        return _reader_page(request, user, note_form=form)
    if form.is_valid():
        try:
            services.add_reader_note(
                reader=user, moderator=_moderator(request), body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Added a note on %(name)s.") % {"name": user.username})
            return redirect(reverse("moderation-reader", args=[user.username]) + "#notes")
    return _reader_page(request, user, status=400, note_form=form)


@moderator_required
@require_http_methods(["GET", "POST"])
def message(request: HttpRequest, username: str) -> HttpResponse:
    user = _reader_or_404(username)
    form = MessageReaderForm(request.POST or None)
    if request.method == "POST" and not _pressed(request, "send"):
        messages.info(request, _("Nothing is sent yet: press “Send the message” when it is ready."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.message_reader(
                reader=user,
                moderator=_moderator(request),
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your message to %(name)s is on its way.") % {"name": user.username}
            )
            return redirect(reverse("moderation-reader", args=[user.username]) + "#notes")
    return _page(
        request,
        SECTION,
        "moderation/message_reader.html",
        400 if request.method == "POST" and form.errors else 200,
        reader=user,
        form=form,
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def ban(request: HttpRequest, username: str) -> HttpResponse:
    """The reader page's ban: what it will do is confirmed first (the ban-by-name steps)."""
    user = _reader_or_404(username)
    back = reverse("moderation-reader", args=[user.username])
    form = _ban_form(user, request.POST or None)
    if request.method == "POST" and not _pressed(request, "change") and form.is_valid():
        if form.cleaned_data["username"] != user:
            form.add_error(None, _("That form was for another reader; nothing was changed."))
        else:
            terms: dict[str, Any] = {
                "kinds": form.cleaned_data["kinds"],
                "expires_at": form.cleaned_data["expires"],
                "user": user,
                "remove_posts": form.cleaned_data["remove_posts"],
            }
            answer = _ban_or_confirm(request, form, terms, back, SECTION)
            if answer is not None:
                return answer
    return _page(
        request,
        SECTION,
        "moderation/ban_reader.html",
        _status(form),
        reader=user,
        form=form,
        back=back,
    )
