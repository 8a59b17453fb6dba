"""The moderators' pages: the queue, editing and banning from a post, bans, the blocklist,
the log and the dashboard; and readers' report of a post. Each view parses, calls a service
or selector, and renders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowhow.antiabuse.addresses import request_address
from knowhow.antiabuse.bans import standing
from knowhow.antiabuse.checks import Refused
from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.articles.models import Article
from knowhow.articles.roles import is_moderator
from knowhow.articles.selectors import published_article_or_404
from knowhow.dates import long_date
from knowhow.discussion.models import Post
from knowhow.moderation import charts, decisions, queue_filter, selectors, services, workload
from knowhow.moderation.actions import ACTIONS
from knowhow.moderation.describe import (
    ban_in_force,
    ban_question,
    ban_target,
    ban_until,
    change_question,
    post_label,
    post_labels,
    removes_question,
    sentence,
    undo_outcome,
)
from knowhow.moderation.forms import (
    BlockTermForm,
    BulkActionForm,
    EditPostForm,
    FlagForm,
    NameBanForm,
    PostActionForm,
    PostBanForm,
    RangeBanForm,
    UndoForm,
)
from knowhow.moderation.models import CANNED_REASONS_TAG, QUEUE_TAG, ModerationAction
from knowhow.moderation.moderators import back_to
from knowhow.moderation.queue_filter import QueueFilter
from knowhow.moderation.readers import open_appeals
from knowhow.moderation.services import AlreadyDecided
from knowhow.pagecache.fragments import kept_part

View = Callable[..., HttpResponse]


def moderator_required(view: View) -> View:
    """Signed-out visitors go to sign in; signed-in readers without the permission get 403."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Only moderators may see this page.")
        return view(request, *args, **kwargs)

    return guarded


def _moderator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "moderator_required lets only signed-in users through"
    return user


def _page(
    request: HttpRequest, section: str, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    """A moderation page; `section` marks where it is in the moderation menu."""
    return render(request, template, {"section": section, **context}, status=status)


def _status(form: Form) -> int:
    """A form sent back with errors is a 400, so tests and tools see the refusal."""
    return 400 if form.is_bound and form.errors else 200


def _queue_page(request: HttpRequest, bulk_form: BulkActionForm, status: int = 200) -> HttpResponse:
    selected = set(request.POST.getlist("post")) if bulk_form.is_bound else set()
    filters = QueueFilter.from_query(request.GET)
    decided = selectors.recent_decisions(_moderator(request).pk)

    def body() -> str:
        context = {
            "held": selectors.held_posts(request.GET.get("page"), decided, filters),
            "reported": selectors.reported_posts(request.GET.get("reported"), decided, filters),
            **_counts(filters),
            "filters": filters,
            "held_param": filters.page_param("page"),
            "reported_param": filters.page_param("reported"),
            "show_choices": queue_filter.SHOW,
            "sort_choices": queue_filter.SORT,
            "reason_choices": queue_filter.reason_choices(),
            "article_choices": selectors.queue_articles(),
            "here": reverse("moderation-queue") + filters.query(),
            "bulk_form": bulk_form,
            "selected": selected,
            "appeals": open_appeals(),
        }
        return render_to_string("moderation/partials/queue_body.html", context, request=request)

    # Every moderator's queue is the same, but for the posts they decided a moment ago (in
    # place, with Undo) and a bulk form sent back to them: otherwise it is kept rendered
    # until anything it shows changes, each moderator's forms' tokens filled in.
    if decided or bulk_form.is_bound:
        queue = body()
    else:
        # One kept copy per interface language: moderators may read the queue in theirs.
        language = translation.get_language() or settings.LANGUAGE_CODE
        key = f"moderation-queue:{language}:" + request.META.get("QUERY_STRING", "")[:1000]
        queue = kept_part(request, key, [QUEUE_TAG, CANNED_REASONS_TAG], None, body)
    return _page(request, "queue", "moderation/queue.html", status, queue_body=mark_safe(queue))  # noqa: S308 - our template's output


def _counts(filters: QueueFilter) -> dict[str, int | None]:
    """The queue's counts: posts held, reported, and (filtered) shown."""
    return {
        "held_count": selectors.held_total(),
        "reported_count": selectors.still_reported(),
        "shown_count": selectors.shown_waiting(filters) if filters.narrowed else None,
    }


@moderator_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, BulkActionForm())


def _pressed(request: HttpRequest, button: str) -> bool:
    """Whether the moderator pressed this form's button. Enter in a field presses the form's
    first button, which on every moderation form is a hidden one that changes nothing."""
    return button in request.POST


def _in_place(request: HttpRequest) -> bool:
    """Whether the queue's script sent the form, to put the answer in place of the post
    rather than load the page again (the same service call either way)."""
    return request.headers.get("Accept", "").startswith("application/json")


def _answer(
    request: HttpRequest,
    back: str,
    said: list[tuple[int, str]],
    post_ids: list[int],
    status: int = 200,
) -> HttpResponse:
    """A decision's answer: without a script, the messages and back to where the moderator
    was; to the script, the same messages and each post's queue item as it is now."""
    if not _in_place(request):
        for level, text in said:
            messages.add_message(request, level, text)
        return redirect(back)
    here = back.split("#")[0]
    context = {"here": here, "selected": set()}
    items = {
        str(post.pk): render_to_string(
            "moderation/partials/queue_item.html", {**context, "post": post}, request=request
        )
        for post in selectors.queue_items(post_ids, _moderator(request).pk)
    }
    filters = QueueFilter.from_query(QueryDict(urlsplit(here).query))
    counts = render_to_string("moderation/partials/queue_counts.html", _counts(filters))
    levels = {messages.SUCCESS: "success", messages.INFO: "info", messages.ERROR: "error"}
    return JsonResponse(
        {
            "messages": [{"level": levels[level], "text": text} for level, text in said],
            "items": items,
            "counts": counts,
        },
        status=status,
    )


def _back_to_queue(request: HttpRequest, post: Post | None = None) -> str:
    """Where a decision goes back to: the page it came from (`next`), with the queue's
    filters it carries, at the post's place when that page is the queue."""
    queue_path = reverse("moderation-queue")
    filters = QueueFilter.from_query(request.GET)
    back = back_to(request, queue_path + filters.query())
    if post is not None and "#" not in back and urlsplit(back).path == queue_path:
        back += f"#queue-post-{post.pk}"  # the post's place, where it stays a while with Undo
    return back


@moderator_required
@require_POST
def post_action(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(selectors.moderated_posts(), pk=post_id)
    back = _back_to_queue(request, post)
    form = PostActionForm(request.POST)
    if not form.is_valid():
        said = "That is not something the queue can do; nothing was changed."
        return _answer(request, back, [(messages.ERROR, said)], [post.pk], 400)
    if form.cleaned_data["action"] == decisions.KEEP:
        said = sentence(f"Nothing was changed on {post_label(post)}")
        return _answer(request, back, [(messages.INFO, said)], [post.pk])
    action = ACTIONS[form.cleaned_data["action"]]
    if not action.applies_to(post):
        said = f"{post_label(post)} is now “{post.get_status_display()}”; nothing was changed."
        return _answer(request, back, [(messages.ERROR, said)], [post.pk], 409)
    try:
        action.service(post=post, moderator=_moderator(request), note=form.cleaned_data["note"])
    except AlreadyDecided as changed:
        return _answer(request, back, [(messages.ERROR, str(changed.message))], [post.pk], 409)
    said = sentence(action.done.format(posts=post_label(post)))
    return _answer(request, back, [(messages.SUCCESS, said)], [post.pk])


@moderator_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST)
    back = _back_to_queue(request)
    if not _pressed(request, "apply"):
        # Enter in the note: the queue comes back as it was, with what was typed and ticked.
        said = "Nothing was changed. Press “Apply to selected” to apply it."
        if _in_place(request):
            return _answer(request, back, [(messages.INFO, said)], [])
        messages.info(request, said)
        return _queue_page(request, form)
    if not form.is_valid():
        if _in_place(request):
            errors = [str(e) for errors in form.errors.values() for e in errors]
            return _answer(request, back, [(messages.ERROR, e) for e in errors], [], 400)
        return _queue_page(request, form, 400)
    action = ACTIONS[form.cleaned_data["action"]]
    posts = list(form.cleaned_data["post"])
    done, skipped = [], []
    for post in posts:
        try:
            if not action.applies_to(post):
                raise AlreadyDecided("")
            action.service(post=post, moderator=_moderator(request), note=form.cleaned_data["note"])
        except AlreadyDecided:
            skipped.append(post)
        else:
            done.append(post)
    outcome: list[tuple[int, str]] = []
    if done:
        outcome.append((messages.SUCCESS, sentence(action.done.format(posts=post_labels(done)))))
    if skipped:
        left = _("Left alone, as “%(action)s” does not apply to them now: %(posts)s") % {
            "action": action.label,
            "posts": post_labels(skipped),
        }
        outcome.append((messages.ERROR, sentence(left)))
    return _answer(request, back, outcome, [post.pk for post in posts])


@moderator_required
@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(selectors.moderated_posts(), pk=post_id)
    back = back_to(request, reverse("moderation-queue"))
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    reports = len(getattr(post, "open_flags", ()))
    if not reports:
        del form.fields["close_reports"]
    else:
        form.fields[
            "close_reports"
        ].label = f"Close its {reports} open report{'s' if reports != 1 else ''}"
    if request.method == "POST" and not _pressed(request, "save"):
        messages.info(request, _("Nothing is saved yet: press “Save the edit” when it is ready."))
    elif request.method == "POST" and form.is_valid():
        redacting = form.cleaned_data["personal_data"]
        edit = services.redact_post if redacting else services.edit_post
        try:
            edit(
                post=post,
                moderator=_moderator(request),
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "Redacted" if redacting else "Edited"
            if reports and form.cleaned_data["close_reports"]:
                services.close_reports(post=post, moderator=_moderator(request))
                done += f" {post_label(post)} and closed its reports"
            else:
                done += f" {post_label(post)}"
            messages.success(request, sentence(done))
            return redirect(back)
    return _page(
        request,
        "queue",
        "moderation/edit_post.html",
        _status(form),
        post=post,
        form=form,
        back=back,
    )


def _confirm_ban(
    request: HttpRequest,
    form: Any,
    plan: services.BanPlan,
    back: str,
    section: str,
    refusal: str = "",
) -> HttpResponse:
    """The step before a ban: what it will do, as a question, with the form's answers kept;
    for a reader banned already, the offer to change that ban instead of adding another."""
    length = form.length()
    new = [record for record, old in plan.pairs if old is None]
    if plan.existing:
        question = change_question(plan.existing, length)
        if new or plan.removes:
            question += " " + (ban_question(new, length, plan.removes) if new else "")
            if not new:
                question += removes_question(plan.removes)
    else:
        question = ban_question(plan.records, length, plan.removes)
    return _page(
        request,
        section,
        "moderation/confirm_ban.html",
        409 if refusal else 200,
        question=question,
        form=form,
        back=back,
        refusal=refusal,
        changes=bool(plan.existing),
        in_force=[ban_in_force(ban) for ban in plan.existing],
    )


def _wants_ban(request: HttpRequest) -> bool:
    """A ban form sent to be checked (not back from the confirmation to change it)."""
    return request.method == "POST" and not _pressed(request, "change")


def _ban_or_confirm(
    request: HttpRequest, form: Any, terms: dict[str, Any], back: str, section: str
) -> HttpResponse | None:
    """Confirm the ban the form describes, or make it once confirmed (a redirect); None when
    the form has an error added to it, to be shown again."""
    try:
        plan = services.plan_ban(**terms)
        if not _pressed(request, "confirm"):
            return _confirm_ban(request, form, plan, back, section)
        records = services.ban_reader(
            moderator=_moderator(request),
            reason=form.cleaned_data["reason"],
            reader_reason=form.cleaned_data["reader_reason"],
            replace=request.POST.get("confirm") == "change",
            **terms,
        )
    except services.AlreadyBanned as refusal:
        # Banned meanwhile, or the same confirmation sent again: offer to change that ban.
        return _confirm_ban(
            request, form, services.plan_ban(**terms), back, section, str(refusal.message)
        )
    except ValidationError as error:
        form.add_error("cidr" if "cidr" in form.fields else None, error)
        return None
    messages.success(request, _banned_message(records))
    return redirect(back)


@moderator_required
@require_http_methods(["GET", "POST"])
def ban_from_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(selectors.moderated_posts(), pk=post_id)
    back = back_to(request, reverse("moderation-queue"))
    form = PostBanForm(request.POST or None, post=post)
    if _wants_ban(request) and form.is_valid():
        terms: dict[str, Any] = {
            "kinds": [form.cleaned_data["kind"]],
            "expires_at": form.cleaned_data["expires"],
            "post": post,
            "remove_posts": form.cleaned_data["remove_posts"],
        }
        answer = _ban_or_confirm(request, form, terms, back, "queue")
        if answer is not None:
            return answer
    return _page(
        request, "queue", "moderation/ban_post.html", _status(form), post=post, form=form, back=back
    )


def _banned_message(records: list[Ban]) -> str:
    done = "; ".join(
        f"{ban_target(record)} ({record.get_kind_display().lower()}) {ban_until(record)}"
        for record in records
    )
    done = f"Banned {done}"
    removed = selectors.taken_down_with(records[0])
    if removed:
        done += f", and took down {removed} of their post{'s' if removed != 1 else ''}"
    return f"{done}."


@moderator_required
@require_http_methods(["GET", "POST"])
def bans(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    # Two forms on one page: the one by name has its fields prefixed, so their ids differ.
    by_name = posted and "reader-username" in request.POST
    name_form = NameBanForm(request.POST if by_name else None, prefix="reader")
    form = RangeBanForm(request.POST if posted and not by_name else None)
    back = reverse("moderation-bans")
    if by_name and _wants_ban(request) and name_form.is_valid():
        terms: dict[str, Any] = {
            "kinds": name_form.cleaned_data["kinds"],
            "expires_at": name_form.cleaned_data["expires"],
            "user": name_form.cleaned_data["username"],
            "remove_posts": name_form.cleaned_data["remove_posts"],
        }
        answer = _ban_or_confirm(request, name_form, terms, back, "bans")
        if answer is not None:
            return answer
    elif posted and not by_name and _wants_ban(request) and form.is_valid():
        terms = {
            "kinds": [Ban.Kind.RANGE],
            "expires_at": form.cleaned_data["expires"],
            "cidr": form.cleaned_data["cidr"],
        }
        answer = _ban_or_confirm(request, form, terms, back, "bans")
        if answer is not None:
            return answer
    page = selectors.active_bans(request.GET.get("page"))
    status = max(_status(form), _status(name_form))
    return _page(
        request, "bans", "moderation/bans.html", status, page=page, form=form, name_form=name_form
    )


@moderator_required
@require_POST
def lift_ban(request: HttpRequest, ban_id: int) -> HttpResponse:
    record = get_object_or_404(
        Ban.objects.active().select_related("user", "source_post__article"), pk=ban_id
    )
    services.lift_ban(ban_record=record, moderator=_moderator(request))
    messages.success(
        request, sentence(_("Lifted the ban on %(who)s") % {"who": ban_target(record)})
    )
    return redirect(back_to(request, reverse("moderation-bans")))


@moderator_required
@require_http_methods(["GET", "POST"])
def blocklist(request: HttpRequest) -> HttpResponse:
    """The blocklist. Adding a term is two steps: "Preview" (also what Enter presses) shows
    the latest posts it would have met, and "Block" adds the term so previewed."""
    form = BlockTermForm(request.POST or None)
    preview: list[Post] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            value = services.clean_term(kind=data["kind"], value=data["value"])
        except ValidationError as error:
            form.add_error("value", error)
        else:
            previewed = request.POST.get("previewed") == form.preview_key()
            if _pressed(request, "block") and previewed:
                term = services.block_term(
                    kind=data["kind"],
                    value=value,
                    match=data["match"],
                    action=data["action"],
                    moderator=_moderator(request),
                )
                blocked = (
                    _("Blocked the domain “%(value)s”.")
                    if term.kind == BlockedTerm.Kind.DOMAIN
                    else _("Blocked the word “%(value)s”.")
                )
                messages.success(request, blocked % {"value": term.value})
                return redirect("moderation-blocklist")
            preview = selectors.blocklist_preview(
                kind=data["kind"], value=value, match=data["match"]
            )
            if _pressed(request, "block"):
                messages.info(request, _("Nothing is blocked yet: see what it would meet first."))
    page = selectors.blocked_terms(request.GET.get("page"))
    return _page(
        request,
        "blocklist",
        "moderation/blocklist.html",
        _status(form),
        page=page,
        form=form,
        preview=preview,
        preview_key=form.preview_key() if preview is not None else "",
        preview_posts=selectors.PREVIEW_POSTS,
    )


@moderator_required
@require_POST
def unblock(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(BlockedTerm, pk=term_id)
    value = term.value
    removed = (
        _("Removed the domain “%(value)s” from the blocklist.")
        if term.kind == BlockedTerm.Kind.DOMAIN
        else _("Removed the word “%(value)s” from the blocklist.")
    )
    services.unblock_term(term=term, moderator=_moderator(request))
    messages.success(request, removed % {"value": value})
    return redirect("moderation-blocklist")


def _undo_page(
    request: HttpRequest,
    post: Post | None,
    entry: ModerationAction | None,
    form: UndoForm,
    status: int = 200,
) -> HttpResponse:
    back = back_to(request, reverse("moderation-log"))
    return _page(
        request,
        "log",
        "moderation/undo.html",
        status,
        post=post,
        entry=entry,
        form=form,
        back=back,
        outcome=undo_outcome(entry) if entry is not None else "",
    )


@moderator_required
@require_GET
def undo_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Undo on a post (from the thread): its latest decision still in force."""
    post = get_object_or_404(selectors.moderated_posts(), pk=post_id)
    entry = selectors.undoable_entry_for(post)
    return _undo_page(request, post, entry, UndoForm())


@moderator_required
@require_http_methods(["GET", "POST"])
def undo(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.log_entry(entry_id)
    if entry is None:
        raise Http404("No such log entry")
    form = UndoForm(request.POST or None)
    if request.method == "GET":
        return _undo_page(request, entry.post, entry, form)
    if not _pressed(request, "undo"):
        said = "Nothing is undone yet: press “Undo” to undo it."
        if _in_place(request):
            posts = [entry.post.pk] if entry.post is not None else []
            return _answer(request, reverse("moderation-queue"), [(messages.INFO, said)], posts)
        messages.info(request, said)
        return _undo_page(request, entry.post, entry, form)
    posts = [entry.post.pk] if entry.post is not None else []
    back = back_to(request, reverse("moderation-log"))
    if not form.is_valid():
        if _in_place(request):
            errors = [(messages.ERROR, str(e)) for e in form.errors.get("note", [])]
            return _answer(request, back, errors, posts, 400)
        return _undo_page(request, entry.post, entry, form, 400)
    try:
        services.undo(entry=entry, moderator=_moderator(request), note=form.cleaned_data["note"])
    except ValidationError as refusal:
        if _in_place(request):
            return _answer(request, back, [(messages.ERROR, str(refusal.message))], posts, 409)
        # The note stays in its box, and the page says why nothing happened.
        form.add_error(None, refusal)
        return _undo_page(request, entry.post, entry, form, 409)
    done = sentence(f"Undone: {undo_outcome(entry, done=True)}")
    return _answer(request, back, [(messages.SUCCESS, done)], posts)


@moderator_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    page = selectors.log_entries(request.GET.get("page"))
    return _page(request, "log", "moderation/log.html", page=page)


# The dashboard's series, in the order of the legend, with colours that keep 4.5:1 on white
# and stay apart for the common kinds of colour blindness.
DASHBOARD_SERIES = [
    ("posts", "Posts", "#0b5cad"),
    ("held", "Held", "#a35200"),
    ("approved", "Approved", "#00786b"),
    ("rejected", "Rejected", "#a4447a"),
]


@moderator_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    activity = selectors.daily_activity(days=30)
    first, last = activity.days[0].day, activity.days[-1].day
    chart = charts.bar_chart(
        title="Posts and moderation per day, last 30 days",
        description=(
            f"Daily posts, held posts, approvals and rejections from {long_date(first)} "
            f"to {long_date(last)}; the table below has every number."
        ),
        labels=[long_date(day.day).rsplit(" ", 1)[0] for day in activity.days],
        series=[
            charts.Series(label, activity.series(name), colour, key=name)
            for name, label, colour in DASHBOARD_SERIES
        ],
        chart_id="activity-chart",
    )
    totals = {name: activity.total(name) for name, _, _ in DASHBOARD_SERIES}
    work = workload.workload(days=30)
    return _page(
        request,
        "dashboard",
        "moderation/dashboard.html",
        activity=activity,
        chart=chart,
        totals=totals,
        work=work,
        columns=workload.COLUMNS,
        median_wait=workload.duration(work.median_wait),
    )


@require_http_methods(["GET", "POST"])
def report_post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Any reader may report a visible post to the moderators, once."""
    article = published_article_or_404(slug)
    post = Post.objects.visible().filter(article=article, number=number).first()
    if post is None:
        raise Http404("No such post")
    form = FlagForm(request.POST or None)
    reporter = request.user if isinstance(request.user, User) else None
    # A banned reader is told so, why, until when and how to appeal, before writing a word.
    suspension = standing(reporter, request_address(request)).banned
    if request.method == "POST" and suspension is None and form.is_valid():
        try:
            flag = services.flag_post(
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                reporter=reporter,
                address=request_address(request),
            )
        except Refused as refusal:
            if refusal.code == "banned":
                raise PermissionDenied(refusal.message) from None
            # Too many reports: said on the form, the note kept, for the reader to send later.
            form.add_error(None, refusal.message)
            return refusal.answer(_report_page(request, article, post, form, None, refusal.status))
        if flag is None:
            messages.info(
                request, _("You had already reported Post %(number)s.") % {"number": post.number}
            )
        else:
            messages.info(
                request,
                _("Thank you: a moderator will look at Post %(number)s.") % {"number": post.number},
            )
        return redirect(f"{article.get_absolute_url()}#{post.anchor}")
    status = 403 if suspension and request.method == "POST" else 200
    return _report_page(request, article, post, form, suspension, status)


def _report_page(
    request: HttpRequest,
    article: Article,
    post: Post,
    form: FlagForm,
    suspension: Ban | None,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "moderation/report_post.html",
        {
            "article": article,
            "post": post,
            "form": form,
            "suspension": suspension,
            "appeal_address": settings.DEFAULT_FROM_EMAIL,
        },
        status=status,
    )
