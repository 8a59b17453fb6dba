"""Readers ask the moderators to think again: a banned reader's appeal, and the author's
second look at a removed post; and the moderator's decision on either, from the queue.
Each view parses, calls a service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from knowhow.antiabuse.addresses import request_address
from knowhow.antiabuse.bans import standing
from knowhow.articles.selectors import published_article_or_404
from knowhow.discussion.models import Post
from knowhow.moderation import services
from knowhow.moderation.forms import AppealForm, DecideAppealForm, SecondLookForm
from knowhow.moderation.models import Appeal
from knowhow.moderation.moderators import back_to
from knowhow.moderation.views import _moderator, _pressed, moderator_required


def _reader(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _limited(request: HttpRequest) -> int | None:
    """Seconds until this reader may send another appeal, or None."""
    return services.appeal_wait(user=_reader(request), address=request_address(request))


@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest) -> HttpResponse:
    """A banned reader's appeal against the ban that bars them now (never another's)."""
    user = _reader(request)
    ban = standing(user, request_address(request)).banned
    form = AppealForm(request.POST or None)
    context = {"form": form, "suspension": ban, "needs_email": user is None or not user.email}
    if ban is None:
        return render(request, "moderation/appeal.html", context, status=403)
    if request.method == "POST" and _pressed(request, "send") and form.is_valid():
        wait = _limited(request)
        if wait is not None:
            form.add_error(
                None,
                ngettext(
                    "Too many appeals from you: try again in %(minutes)d minute.",
                    "Too many appeals from you: try again in %(minutes)d minutes.",
                    wait // 60 + 1,
                )
                % {"minutes": wait // 60 + 1},
            )
            return render(request, "moderation/appeal.html", context, status=429)
        try:
            services.appeal_ban(
                ban_record=ban,
                user=user,
                email=form.cleaned_data["email"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "moderation/appeal.html", context, status=400)
        return render(request, "moderation/appeal_sent.html", {"suspension": ban})
    return render(request, "moderation/appeal.html", context)


@require_http_methods(["GET", "POST"])
def second_look(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The author of a post a moderator removed asks, once, for a second look."""
    article = published_article_or_404(slug)
    post = Post.objects.filter(article=article, number=number).first()
    if post is None:
        raise Http404("No such post")
    user = _reader(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    form = SecondLookForm(request.POST or None)
    context = {"form": form, "post": post, "article": article, "refusal": ""}
    if post.author_id != user.pk:
        context["refusal"] = "Only the post's author may ask for a second look."
        return render(request, "moderation/second_look.html", context, status=403)
    if request.method == "POST" and _pressed(request, "send") and form.is_valid():
        wait = _limited(request)
        if wait is not None:
            form.add_error(
                None,
                ngettext(
                    "Too many requests from you: try again in %(minutes)d minute.",
                    "Too many requests from you: try again in %(minutes)d minutes.",
                    wait // 60 + 1,
                )
                % {"minutes": wait // 60 + 1},
            )
            return render(request, "moderation/second_look.html", context, status=429)
        try:
            services.ask_second_look(post=post, user=user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "moderation/second_look.html", context, status=400)
        messages.info(
            request,
            _("Your request is with the moderators; they will email you about Post %(number)s.")
            % {"number": post.number},
        )
        return redirect(f"{article.get_absolute_url()}#{post.anchor}")
    return render(request, "moderation/second_look.html", context)


@moderator_required
@require_POST
def decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal_record = get_object_or_404(Appeal, pk=appeal_id)
    back = back_to(request, reverse("moderation-queue") + "#appeals")
    form = DecideAppealForm(request.POST)
    if not form.is_valid() or form.cleaned_data["outcome"] == "keep":
        messages.info(request, _("Nothing was decided: press the button of your decision."))
        return redirect(back)
    try:
        services.decide_appeal(
            appeal=appeal_record,
            moderator=_moderator(request),
            outcome=form.cleaned_data["outcome"],
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(outcome)s; the reader is told by email.")
            % {"outcome": Appeal.Outcome(form.cleaned_data["outcome"]).label},
        )
    return redirect(back)
