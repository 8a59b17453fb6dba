"""The newsroom's editor pages: the desk, the article editor with its preview, autosave and
workflow buttons (which carry the text on screen), and an article's history with diffs and
restore. Views parse, call a service in knowhow.articles.services (every newsroom write of
an article), newsroom.autosaves or a read in desk, and render."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowhow import markup
from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.addresses import client_ip
from knowhow.articles import roles, steps
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Revision, site_language
from knowhow.articles.revisions import content_of
from knowhow.articles.services import NotAllowed, StaleEdit
from knowhow.dates import clock_time
from knowhow.images import in_bodies
from knowhow.images.models import Image
from knowhow.images.services import ImageRejected, upload_image
from knowhow.links import absolute
from knowhow.newsroom import autosaves, desk, reading, telling
from knowhow.newsroom.access import View, newsroom_staff, staff_user
from knowhow.newsroom.forms import ArticleForm, NoteForm, ScheduleForm, initial_from
from knowhow.newsroom.models import Question
from knowhow.newsroom.readability import readability_of
from knowhow.newsroom.script_words import script_words
from knowhow.request_size import takes_upload

Stage = Article.Stage
Status = Article.Status


# The desk ------------------------------------------------------------------------------


@newsroom_staff
@require_GET
def desk_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    lists = [("mine", "Your articles", desk.articles_of(user))]
    if roles.is_editor(user):
        lists += [
            ("review", "Waiting for review", desk.review_queue()),
            ("drafts", "Drafts", desk.drafts()),
            ("scheduled", "Scheduled", desk.scheduled()),
            ("published", "Recently published", desk.recently_published()),
        ]
    sections = [
        {"key": key, "title": title, "page": desk.page_of(items, request.GET.get(key))}
        for key, title, items in lists
    ]
    notes = desk.page_of(desk.notes_for(user), request.GET.get("notes"))
    context = {"section": "desk", "sections": sections, "notes": notes}
    return render(request, "newsroom/desk.html", context)


@newsroom_staff
@require_POST
def notes_read(request: HttpRequest) -> HttpResponse:
    telling.mark_notes_read(user=staff_user(request))
    return redirect("newsroom-desk")


# The editor ----------------------------------------------------------------------------


# The workflow buttons, in the page's order: the steps of the table that are buttons.
BUTTONS: dict[str, steps.Step] = {key: s for key, s in steps.STEPS.items() if s.button}


def buttons_for(user: Any, article: Article) -> list[steps.Step]:
    """The workflow steps shown to this person now; the services check again when pressed."""
    return [step for step in steps.open_to(user, article) if step.button]


def _article_for(request: HttpRequest, article_id: int) -> Article:
    article = get_object_or_404(
        Article.objects.select_related(
            "topic", "written_by", "edited_by", "latest_revision", "live_revision"
        ),
        pk=article_id,
    )
    if not roles.may_view(request.user, article):
        raise PermissionDenied("Writers see their own articles; ask an editor for this one.")
    return article


def _latest(article: Article) -> tuple[dict[str, Any], int]:
    """The content the editor edits (the newest revision) and its number."""
    if article.latest_revision is not None:
        return dict(article.latest_revision.content), article.latest_revision.number
    return content_of(article), 0


def preview_of(data: QueryDict | Mapping[str, Any]) -> dict[str, Any]:
    """The article as readers would see it: rendered and sanitised like the public page, and
    drawn as a page of its own with the public body partial and stylesheet (`document`)."""
    shown: dict[str, Any] = {
        "title": str(data.get("title") or ""),
        "synopsis": str(data.get("synopsis") or ""),
        "body_html": markup.render_article(str(data.get("body") or ""), pictures=in_bodies.draw),
        "sources_html": markup.render_sources(str(data.get("sources") or "")),
        "lead_image": _picture(data.get("lead_image")),
    }
    shown["document"] = render_to_string("newsroom/preview_page.html", {"preview": shown})
    return shown


def _picture(chosen: Any) -> Image | None:
    """The lead image a form or a revision names (by id), if it exists."""
    if isinstance(chosen, Image):
        return chosen
    value = str(chosen or "")
    return Image.objects.filter(pk=int(value)).first() if value.isdigit() else None


def search_preview(form: ArticleForm, article: Article | None) -> dict[str, Any]:
    """How a search result and a shared link show the article as typed: its search title
    and description, else the title and summary (Article's own rules, as the public page's
    head uses them)."""
    values = form.data if form.is_bound else form.initial
    typed = Article(
        title=str(values.get("title") or ""),
        slug=article.slug if article is not None else slugify(str(values.get("title") or "")),
        synopsis=str(values.get("synopsis") or ""),
        search_title=str(values.get("search_title") or ""),
        search_description=str(values.get("search_description") or ""),
        body_html=markup.render_article(str(values.get("body") or "")),
    )
    image = None
    chosen = str(values.get("lead_image") or "")
    if chosen.isdigit():
        picture = Image.objects.filter(pk=int(chosen)).first()
        copies = picture.sized() if picture is not None else []
        # A copy wide enough for the card's width here, not the largest one sites fetch.
        image = next((c for c in copies if c.width >= 600), copies[-1] if copies else None)
    return {
        "title": typed.title_for_search,
        "description": typed.description_for_search(),
        "address": absolute(typed.get_absolute_url()) if typed.slug else "",
        "site_name": settings.SITE_NAME,
        "image": image,
    }


def _with_upload(request: HttpRequest, form: ArticleForm) -> ArticleForm:
    """Store a newly uploaded picture and choose it as lead image: afterwards the form is
    rebuilt without the file (a browser cannot send it again) but with the picture chosen.
    When the upload is refused, the same form with the reason on it (no longer valid)."""
    upload = form.cleaned_data.get("new_image")
    if not upload:
        return form
    try:
        image = upload_image(
            file=upload,
            alt=form.cleaned_data["new_image_alt"],
            by=staff_user(request),
            copies_now=False,  # the worker makes the copies; the writer does not wait
        )
    except ImageRejected as refused:
        form.add_error("new_image", str(refused))
        return form
    data = request.POST.copy()
    data["new_image_alt"] = ""
    if form.cleaned_data.get("new_image_place") == "text":
        data["body"] = _with_picture(data.get("body"), image, data.get("picture_caption"))
        data["picture_caption"] = ""
        uploaded = _(
            "Uploaded the picture “%(alt)s”; it is at the end of the text, as a reference the "
            "page draws."
        )
        messages.success(request, uploaded % {"alt": image.alt})
    else:
        data["lead_image"] = str(image.pk)
        messages.success(
            request, _("Uploaded the picture “%(alt)s”; it is the lead image.") % {"alt": image.alt}
        )
    rebuilt = ArticleForm(data, new=form.new, **_assigns(request))
    rebuilt.is_valid()
    return rebuilt


def _editor(request: HttpRequest, article: Article | None, form: ArticleForm | None, *,
            status: int = 200, **context: Any) -> HttpResponse:  # fmt: skip
    user = staff_user(request)
    if form is not None:
        context.update(_pickers(form))
        # The preview shows the text in the form from the first look, not only once asked.
        context.setdefault("preview", preview_of(form.data if form.is_bound else form.initial))
        values = form.data if form.is_bound else form.initial
        context["text_facts"] = reading.facts_of(str(values.get("body") or ""))
        language = str(values.get("language") or (article.language if article else site_language()))
        context["readability"] = readability_of(str(values.get("body") or ""), language)
        context["search_preview"] = search_preview(form, article)
        context["script_words"] = script_words()
        if article is not None:
            form.suggest_address(article)
    if article is None:
        context["can_edit"] = True
        context["autosave_url"] = reverse("newsroom-new-autosave")
    else:
        if steps.may_take(steps.REASSIGN, user, article):
            writers = list(roles.writers())
            if article.written_by not in writers:  # a writer who lost the role stays shown
                writers.insert(0, article.written_by)
            context["writers"] = writers
        context.setdefault("can_edit", roles.may_edit(user, article))
        context["autosave_url"] = reverse("newsroom-autosave", args=[article.pk])
        context.update(
            buttons=buttons_for(user, article),
            state=desk.state_in_words(article),
            log=desk.page_of(desk.article_log(article), request.GET.get("log")),
            schedule_form=context.get("schedule_form") or ScheduleForm(),
            asked=desk.changes_asked(article),
            conversation=desk.conversation(article),
            address=request.build_absolute_uri(article.get_absolute_url()),
            questions=list(Question.objects.filter(draft=article).only("pk")[:20]),
        )
        # The steps are buttons of the editor form, so the text goes with them (edit.html).
        steps_form = "editor-form" if form is not None and context["can_edit"] else "workflow-form"
        context["schedule_form"].fields["at"].widget.attrs["form"] = steps_form
        if not context["can_edit"]:
            context.setdefault("why_not", roles.why_not_edit(user, article))
            context.setdefault("preview", preview_of(_latest(article)[0]))
            context.setdefault(
                "text_facts", reading.facts_of(str(_latest(article)[0].get("body") or ""))
            )
            context.setdefault(
                "readability",
                readability_of(str(_latest(article)[0].get("body") or ""), article.language),
            )
    # A form sent back (refused, previewed, pictures found) holds text not saved yet.
    context.setdefault("unsaved", request.method == "POST")
    if context["can_edit"] and "offer" not in context and request.method == "GET":
        context.update(_offer(user, article))
    return render(
        request,
        "newsroom/edit.html",
        {
            "section": "new" if article is None else "edit",
            "article": article,
            "form": form,
            **context,
        },  # fmt: skip
        status=status,
    )


def _offer(user: Any, article: Article | None) -> dict[str, Any]:
    """The person's autosave offered back, with how it differs from a newer revision."""
    offer = autosaves.offer_for(user, article)
    if offer is None:
        return {}
    diffs = []
    if offer.changed_since and offer.newest is not None:
        diffs = desk.diff_for_people(offer.newest.content, {**offer.newest.content, **offer.text})
    return {"offer": offer, "offer_diffs": diffs}


def _from_autosave(request: HttpRequest, article: Article | None,
                   **kwargs: Any) -> ArticleForm | None:  # fmt: skip
    """The form filled with the person's autosave when they chose to restore it (or with
    the text kept from a save sent after their session ended, now theirs); else None."""
    user = staff_user(request)
    autosave = None
    if request.GET.get("kept"):
        autosave = autosaves.claim_kept(user=user, token=request.GET["kept"], article=article)
        if autosave is not None:
            messages.info(request, _("Your text from before you signed in is back in the form: "
                                     "save it to keep it."))  # fmt: skip
    elif request.GET.get("autosave") == "restore":
        autosave = autosaves.autosave_of(user, article)
    if autosave is None:
        return None
    # Fields the autosave lacks (sent by another client) stay as the newest revision has them.
    start = initial_from(*_latest(article)) if article is not None else {}
    initial = {**start, **autosave.fields, "base": autosave.base,
               "minor": autosave.fields.get("minor")}  # fmt: skip
    latest = article.latest_revision if article is not None else None
    if latest is not None and latest.number != autosave.base:
        messages.warning(
            request,
            _(
                "Revision %(latest)s was saved after your text was typed over revision "
                "%(base)s. Saving shows both, so you can merge them."
            )
            % {"latest": latest.number, "base": autosave.base},
        )
    return ArticleForm(initial=initial, **kwargs)


def _pickers(form: ArticleForm) -> dict[str, Any]:
    """The lead-image choices (newest uploads, or those the search found) and the known
    reviewers the Reviewed By field suggests."""
    values = form.data if form.is_bound else form.initial
    chosen = values.get("lead_image")
    query = str(values.get("image_search") or "")
    found = desk.pictures(query, chosen)
    current = next((i for i in found.images if str(i.pk) == str(chosen or "")), None)
    return {"pictures": found, "current_picture": current, "reviewers": desk.known_reviewers()}


def _as_typed(request: HttpRequest, **kwargs: Any) -> ArticleForm:
    """The form as typed, not checked yet: for finding pictures without being told off
    for a field still empty."""
    return ArticleForm(initial={**request.POST.dict(), "new_image_alt": ""}, **kwargs)


def _with_picture(body: Any, image: Image, caption: Any) -> str:
    """The body with a reference to a library picture at its end, as a paragraph of its own."""
    reference = markup.picture_reference(image.pk, image.alt, str(caption or ""))
    text = str(body or "").rstrip()
    return f"{text}\n\n{reference}\n" if text else f"{reference}\n"


def _putting_picture(request: HttpRequest, **kwargs: Any) -> ArticleForm | None:
    """The form as typed with a library picture put at the end of the text, when "Put in the
    text" was pressed for one; else None."""
    do = str(request.POST.get("do") or "")
    if not do.startswith("put-") or not do[4:].isdigit():
        return None
    image = Image.objects.filter(pk=int(do[4:])).first()
    form = _as_typed(request, **kwargs)
    if image is None:
        messages.error(request, _("That picture is no longer in the library."))
        return form
    form.initial["body"] = _with_picture(form.initial.get("body"), image,
                                         form.initial.get("picture_caption"))  # fmt: skip
    form.initial["picture_caption"] = ""
    put = _(
        "Put the picture “%(alt)s” at the end of the text: move it where it belongs, then save."
    )
    messages.success(request, put % {"alt": image.alt})
    return form


def _finding_pictures(request: HttpRequest) -> bool:
    """Whether the press was for finding pictures: the "Find pictures" button, or Enter
    (the form's first, unseen button) while the search box holds words not searched yet."""
    do = request.POST.get("do")
    if do == "enter":
        typed = " ".join(str(request.POST.get("image_search") or "").split())
        return typed != " ".join(str(request.POST.get("searched") or "").split())
    return do == "images"


def _assigns(request: HttpRequest) -> dict[str, Any]:
    """An editor starting an article chooses its writer; the writer's own byline first."""
    user = staff_user(request)
    if not roles.is_editor(user):
        return {}
    return {"assigns": user}


def _keeps_text_when_signed_out(view: View) -> View:
    """A save sent after the session ended keeps its text on the server, and the sign-in
    page leads back to the editor, which gives it back (a signed token says which text)."""

    @functools.wraps(view)
    def keeping(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        article_id = kwargs.get("article_id")
        article = Article.objects.filter(pk=article_id).first() if article_id else None
        try:
            fields = autosaves.typed_fields(request.POST)
        except NotAllowed:
            return view(request, *args, **kwargs)
        if (article_id and article is None) or not (fields.get("title") or fields.get("body")):
            return view(request, *args, **kwargs)
        if ratelimit.hit(f"kept-text:{client_ip(request)}", KEPT_TEXT_RATES) is not None:
            return view(request, *args, **kwargs)  # a flood from one address is not stored
        token = autosaves.keep_signed_out(
            article=article, fields=fields, base=str(request.POST.get("base") or "")
        )
        back = reverse("newsroom-edit", args=[article.pk]) if article else reverse("newsroom-new")
        return redirect_to_login(f"{back}?{urlencode({'kept': token})}")

    return keeping


# A writer sends at most one autosave every 15 s from a page; a few pages open at once fit.
AUTOSAVE_RATES = [(12, 60), (300, 3600)]
# A writer whose session ended saves a few times at most; a flood from one address is not kept.
KEPT_TEXT_RATES = [(10, 3600)]


@_keeps_text_when_signed_out
@newsroom_staff
@require_http_methods(["GET", "POST"])
@takes_upload
def new_article(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    assigns = _assigns(request)
    if request.method == "GET":
        restored = _from_autosave(request, None, new=True, **assigns)
        if restored is not None:
            return _editor(request, None, restored, offer=None, unsaved=True)
        me = Person.objects.filter(user=user).values_list("pk", flat=True).first()
        return _editor(request, None, ArticleForm(new=True, initial={"written_by": me}, **assigns))
    if _finding_pictures(request):
        return _editor(request, None, _as_typed(request, new=True, **assigns))
    if (putting := _putting_picture(request, new=True, **assigns)) is not None:
        return _editor(request, None, putting, unsaved=True)
    form = ArticleForm(request.POST, request.FILES, new=True, **assigns)
    preview = preview_of(request.POST)
    if not form.is_valid() or not (form := _with_upload(request, form)).is_valid():
        return _editor(request, None, form, status=400, preview=preview)
    if request.POST.get("do") == "preview":
        return _editor(request, None, form, preview=preview)
    data = form.cleaned_data
    try:
        article = workflow.create_article(
            by=staff_user(request),
            title=data["title"],
            topic=data["topic"],
            body=data.get("body") or "",
            note=data.get("note") or "",
            synopsis=data.get("synopsis") or "",
            sources=data.get("sources") or "",
            reviewed_by=data.get("reviewed_by"),
            reviewed_on=data.get("reviewed_on"),
            lead_image=data.get("lead_image"),
            copyright_holder=data.get("copyright_holder") or "",
            search_title=data.get("search_title") or "",
            search_description=data.get("search_description") or "",
            written_by=data.get("written_by"),
            language=data.get("language") or site_language(),
            translation_of=data.get("translation_of"),
        )
    except NotAllowed as refused:
        return _editor(request, None, form, status=400, refusal=str(refused), preview=preview)
    autosaves.discard_autosave(user=user, article=None)
    messages.success(
        request, _("Started “%(title)s” as a draft (revision 1).") % {"title": article.title}
    )
    return redirect("newsroom-edit", article.pk)


@_keeps_text_when_signed_out
@newsroom_staff
@require_http_methods(["GET", "POST"])
@takes_upload
def edit_article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_for(request, article_id)
    content, number = _latest(article)
    if request.method == "GET":
        restored = (
            _from_autosave(request, article) if roles.may_edit(request.user, article) else None
        )
        if restored is not None:
            return _editor(request, article, restored, offer=None, unsaved=True)
        form = ArticleForm(initial=initial_from(content, number))
        return _editor(request, article, form)
    action = str(request.POST.get("do") or "").removeprefix("step:")
    if action in steps.STEPS:  # a workflow step, pressed with the text on screen
        return _take_step(request, article, action)
    if _finding_pictures(request):
        return _editor(request, article, _as_typed(request), can_edit=True)
    if (putting := _putting_picture(request)) is not None:
        return _editor(request, article, putting, can_edit=True, unsaved=True)
    bound = ArticleForm(request.POST, request.FILES)
    preview = preview_of(request.POST)
    if not bound.is_valid() or not (bound := _with_upload(request, bound)).is_valid():
        return _editor(request, article, bound, status=400, preview=preview, can_edit=True)
    if request.POST.get("do") == "preview":
        return _editor(request, article, bound, preview=preview, can_edit=True)
    base = bound.cleaned_data.get("base") or 0
    try:
        revision, moved = workflow.save_edits(
            article=article,
            by=staff_user(request),
            content=bound.content(),
            base=base,
            note=bound.cleaned_data.get("note") or "",
            minor=bool(bound.cleaned_data.get("minor")),
            address=bound.address(),
        )
    except StaleEdit as stale:
        return _stale(request, article, bound, stale)
    except NotAllowed as refused:
        if refused.code == "unchanged" and not bound.cleaned_data.get("note"):
            # Only line endings or spaces differed: nothing is lost by not saving.
            messages.info(
                request,
                _("Nothing changed since revision %(base)s: no new revision.") % {"base": base},
            )
            return redirect("newsroom-edit", article.pk)
        return _editor(request, article, bound, status=400, can_edit=True,
                       refusal=str(refused), preview=preview)  # fmt: skip
    autosaves.discard_autosave(user=staff_user(request), article=article)
    article.refresh_from_db()
    if moved:
        done = steps.STEPS[steps.MOVE].done.format(address=article.get_absolute_url())
        messages.success(request, done)
    if revision is not None:
        if article.status == Status.PUBLISHED:
            saved_words = _("Saved revision %(number)s. Readers see it once it is published.")
        else:
            saved_words = _("Saved revision %(number)s.")
        messages.success(request, saved_words % {"number": revision.number})
    return redirect("newsroom-edit", article.pk)


def _stale(request: HttpRequest, article: Article, bound: ArticleForm, stale: StaleEdit,
           **context: Any) -> HttpResponse:  # fmt: skip
    """A save from an older revision than the newest, refused: the form comes back as typed,
    now based on the newest revision, with what changed meanwhile and how the text differs."""
    data = request.POST.copy()
    data["base"] = str(stale.latest.number)
    if bound.cleaned_data.get("lead_image"):
        data["lead_image"] = str(bound.cleaned_data["lead_image"].pk)
    data["new_image_alt"] = ""
    old = Revision.objects.filter(article=article, number=stale.base).first()
    yours = {**stale.latest.content, **bound.content()}
    return _editor(
        request,
        article,
        ArticleForm(data),
        status=409,
        can_edit=True,
        refusal=str(stale),
        stale={
            "base": stale.base,
            "latest": stale.latest,
            "theirs": desk.diff_for_people(old.content if old else {}, stale.latest.content),
            "yours": desk.diff_for_people(stale.latest.content, yours),
        },
        **context,
    )


def _take_step(request: HttpRequest, article: Article, action: str) -> HttpResponse:
    """A workflow step pressed on the editor page. When the page showed the text, it goes
    with the step: saved first, then the step taken; a refusal of either keeps the text in
    the form with the reason, and nothing is saved."""
    step = steps.STEPS[action]
    user = staff_user(request)
    step_note = str(request.POST.get(f"note_{action}") or "")
    schedule_form = ScheduleForm(request.POST if action == steps.SCHEDULE else None)
    carried = "title" in request.POST  # the editor form was on the page
    bound = ArticleForm(request.POST, request.FILES) if carried else None
    shown = bound or ArticleForm(initial=initial_from(*_latest(article)))
    refusal = {"action": action, "message": "", "note": step_note}
    kept: dict[str, Any] = {"status": 400, "action_error": refusal, "schedule_form":
                            schedule_form if action == steps.SCHEDULE else None}  # fmt: skip
    if carried:  # even a person who lost the right to edit meanwhile gets their text back
        kept.update(can_edit=True, preview=preview_of(request.POST))
    try:
        if bound is not None and (
            not bound.is_valid() or not (bound := _with_upload(request, bound)).is_valid()
        ):
            shown = bound
            raise NotAllowed(f"“{step.label}” was not taken: correct the form first. Your text "
                             "is still in the form, not saved yet.")  # fmt: skip
        shown = bound or shown  # with a picture just uploaded, if one was
        if len(step_note) > 2000:
            raise NotAllowed("The note is too long: 2000 characters at most.")
        if action == steps.SCHEDULE and not schedule_form.is_valid():
            raise NotAllowed(
                " ".join(str(e) for e in schedule_form.errors.get("at", ["Choose a time."]))
            )
        writer = None
        if action == steps.REASSIGN:
            chosen = str(request.POST.get("reassign_to") or "")
            writer = Person.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        text: dict[str, Any] = {"content": None, "base": _revision_seen(request)}
        if bound is not None:
            data = bound.cleaned_data
            text = {"content": bound.content(), "base": data.get("base") or 0,
                    "note": data.get("note") or "", "minor": bool(data.get("minor")),
                    "address": bound.address()}  # fmt: skip
        saved = workflow.save_and_take_step(
            action=action,
            article=article,
            by=user,
            step_note=step_note,
            at=schedule_form.cleaned_data["at"] if action == steps.SCHEDULE else None,
            writer=writer,
            **text,
        )
    except StaleEdit as stale:
        assert bound is not None
        refusal["message"] = _("“%(step)s” was not taken: your text was not saved.") % {
            "step": step.label
        }
        return _stale(request, article, bound, stale, action_error=refusal)
    except NotAllowed as refused:
        refusal["message"] = refusal["message"] or str(refused)
        if carried:
            kept["refusal"] = _("Your text is still in the form, not saved: %(why)s") % {
                "why": refused
            }
        return _editor(request, article, shown, **kept)
    if carried:
        autosaves.discard_autosave(user=user, article=article)
    done = step.done.format(writer=writer.name if writer else "", title=article.title)
    if saved:
        done = _("Saved revision %(number)s. %(done)s") % {"number": saved.number, "done": done}
    messages.success(request, done)
    return redirect("newsroom-edit", article.pk)


@newsroom_staff
@require_POST
def autosave(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    """Keep the editor's text as typed (the page's script sends it when typing pauses)."""
    user = staff_user(request)
    article = _article_for(request, article_id) if article_id is not None else None
    limited = ratelimit.hit(f"autosave:{user.pk}", AUTOSAVE_RATES)
    if limited is not None:
        response = JsonResponse({"code": "slow_down"}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    try:
        kept = autosaves.keep_autosave(user=user, article=article, base=request.POST.get("base"),
                                       fields=autosaves.typed_fields(request.POST))  # fmt: skip
    except NotAllowed as refused:
        status = {"not_yours": 403, "older_page": 409, "too_long": 413}.get(refused.code, 400)
        return JsonResponse({"code": refused.code, "message": str(refused)}, status=status)
    at = timezone.localtime(kept.saved_at)
    return JsonResponse({"code": "kept", "saved_at": at.isoformat(), "time": clock_time(at)})


@newsroom_staff
@require_POST
def discard_autosave(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    article = _article_for(request, article_id) if article_id is not None else None
    autosaves.discard_autosave(user=staff_user(request), article=article)
    messages.success(request, _("Discarded your unsaved changes."))
    return redirect("newsroom-edit", article.pk) if article else redirect("newsroom-new")


@newsroom_staff
@require_GET
def link_search(request: HttpRequest) -> HttpResponse:
    """The editor's link picker asks here, as the writer types, for published articles to
    link to: their titles and addresses."""
    found = desk.articles_to_link(str(request.GET.get("q") or "")[:200])
    articles = [
        {"title": a.title, "address": a.get_absolute_url(), "topic": a.topic.name} for a in found
    ]
    return JsonResponse({"articles": articles})


@newsroom_staff
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The live preview's endpoint: the typed fields drawn as the public page would, a whole
    page that the editor's script puts in the preview frame."""
    return HttpResponse(preview_of(request.POST)["document"])


def _revision_seen(request: HttpRequest) -> int | None:
    """The revision number the editor page showed when its step was pressed."""
    value = request.POST.get("revision")
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise NotAllowed("This step came from a damaged page: open the article again.")
    return int(value)


@newsroom_staff
@require_POST
def article_action(request: HttpRequest, article_id: int, action: str) -> HttpResponse:
    """A step taken on its own, with no text: the editor page sends its steps with the text
    on screen instead (_take_step); this address stays for pages opened before that."""
    article = _article_for(request, article_id)
    button = BUTTONS.get(action)
    if button is None:
        raise PermissionDenied("The newsroom has no such step.")
    user = staff_user(request)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else str(request.POST.get("note", ""))
    schedule_form = ScheduleForm(request.POST if action == "schedule" else None)
    try:
        if not form.is_valid():  # the note comes back as typed, with the reason
            raise NotAllowed(" ".join(str(e) for e in form.errors.get("note", [])))
        seen = _revision_seen(request)
        if action == "schedule" and not schedule_form.is_valid():
            raise NotAllowed(
                " ".join(str(e) for e in schedule_form.errors.get("at", ["Choose a time."]))
            )
        at = schedule_form.cleaned_data["at"] if action == "schedule" else None
        workflow.take_step(action=action, article=article, by=user, note=note, revision=seen,
                           at=at)  # fmt: skip
    except NotAllowed as refused:
        article.refresh_from_db()
        content, number = _latest(article)
        return _editor(
            request,
            article,
            ArticleForm(initial=initial_from(content, number)),
            status=400,
            action_error={"action": action, "message": str(refused), "note": note},
            schedule_form=schedule_form if action == "schedule" else None,
        )
    messages.success(request, button.done)
    return redirect("newsroom-edit", article.pk)


@newsroom_staff
@require_POST
def reassign(request: HttpRequest, article_id: int) -> HttpResponse:
    """An editor gives an unpublished article to another writer."""
    article = _article_for(request, article_id)
    writer = Person.objects.filter(pk=request.POST.get("written_by") or 0).first() if (
        str(request.POST.get("written_by") or "").isdigit()) else None  # fmt: skip
    try:
        if writer is None:
            raise NotAllowed("Choose the writer to give the article to.")
        workflow.reassign_writer(article=article, by=staff_user(request), writer=writer)
    except NotAllowed as refused:
        article.refresh_from_db()
        content, number = _latest(article)
        return _editor(request, article, ArticleForm(initial=initial_from(content, number)),
                       status=400, reassign_error=str(refused))  # fmt: skip
    done = steps.STEPS[steps.REASSIGN].done
    messages.success(request, done.format(writer=writer.name, title=article.title))
    return redirect("newsroom-edit", article.pk)


# History -------------------------------------------------------------------------------


@newsroom_staff
@require_GET
def history(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_for(request, article_id)
    revisions = desk.page_of(desk.revisions_of(article), request.GET.get("page"), per_page=50)
    return render(
        request,
        "newsroom/history.html",
        {
            "section": "edit",
            "article": article,
            "revisions": revisions,
            "can_edit": roles.may_edit(request.user, article),
            "state": desk.state_in_words(article),
        },
    )


@newsroom_staff
@require_GET
def compare(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_for(request, article_id)
    try:
        numbers = sorted({int(request.GET["from"]), int(request.GET["to"])})
        if not all(0 < n < 2**31 for n in numbers):  # no revision number is that large
            raise ValueError
    except (KeyError, ValueError):
        messages.error(request, _("Choose two revisions to compare."))
        return redirect("newsroom-history", article.pk)
    found = {
        r.number: r
        for r in Revision.objects.filter(article=article, number__in=numbers).select_related(
            "created_by__person"
        )
    }
    if len(numbers) != 2 or len(found) != 2:
        messages.error(request, _("Choose two different revisions of this article to compare."))
        return redirect("newsroom-history", article.pk)
    older, newer = found[numbers[0]], found[numbers[1]]
    return render(
        request,
        "newsroom/compare.html",
        {
            "section": "edit",
            "article": article,
            "older": older,
            "newer": newer,
            "diffs": desk.diff_for_people(older.content, newer.content),
        },
    )


@newsroom_staff
@require_POST
def restore(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    article = _article_for(request, article_id)
    try:
        revision = workflow.restore_revision(article=article, by=staff_user(request), number=number)
    except NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("newsroom-history", article.pk)
    article.refresh_from_db()
    if article.status == Status.PUBLISHED:
        restored = _("Restored revision %(old)s as revision %(new)s. Publish it to show readers.")
    else:
        restored = _("Restored revision %(old)s as revision %(new)s.")
    messages.success(request, restored % {"old": number, "new": revision.number})
    return redirect("newsroom-edit", article.pk)


urlpatterns = [
    path("", desk_page, name="newsroom-desk"),
    path("notes/read/", notes_read, name="newsroom-notes-read"),
    path("articles/new/", new_article, name="newsroom-new"),
    path("articles/<int:article_id>/edit/", edit_article, name="newsroom-edit"),
    path("articles/<int:article_id>/history/", history, name="newsroom-history"),
    path("articles/<int:article_id>/history/compare/", compare, name="newsroom-compare"),
    path(
        "articles/<int:article_id>/history/<int:number>/restore/",
        restore,
        name="newsroom-restore",
    ),
    path(
        "articles/<int:article_id>/do/<slug:action>/",
        article_action,
        name="newsroom-action",
    ),
    path("preview/", preview, name="newsroom-preview"),
    path("links/", link_search, name="newsroom-link-search"),
    path("articles/<int:article_id>/writer/", reassign, name="newsroom-reassign"),
    path("articles/<int:article_id>/autosave/", autosave, name="newsroom-autosave"),
    path("articles/new/autosave/", autosave, name="newsroom-new-autosave"),
    path(
        "articles/<int:article_id>/autosave/discard/",
        discard_autosave,
        name="newsroom-discard-autosave",
    ),
    path("articles/new/autosave/discard/", discard_autosave, name="newsroom-new-discard-autosave"),
]
