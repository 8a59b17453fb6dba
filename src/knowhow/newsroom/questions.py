"""The pages of reader questions: the public "Ask a question" form (mounted at /ask/ by
ask_urls.py) and the editors' queue under /newsroom/questions/. Views parse, call a service
of question_services, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knowhow.antiabuse.addresses import request_address
from knowhow.antiabuse.checks import Refused
from knowhow.articles import services as workflow
from knowhow.articles.models import Article
from knowhow.newsroom import question_services as services
from knowhow.newsroom.access import editors_only, newsroom_staff
from knowhow.newsroom.models import Question
from knowhow.newsroom.question_forms import AskForm, DraftForm, MergeForm

PAGE_SIZE = 20
OWN_QUESTIONS = "asked_questions"


# Asking ---------------------------------------------------------------------------------


def _asked_from(slug: str | None) -> Article | None:
    if not slug or not slug_re.fullmatch(slug):
        return None
    return Article.objects.published().filter(slug=slug).first()


def _ask_page(request: HttpRequest, form: AskForm, status: int = 200) -> HttpResponse:
    slug = form["article"].value()
    context = {"form": form, "asked_from": _asked_from(slug if isinstance(slug, str) else None)}
    return render(request, "newsroom/ask.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial = {"article": request.GET.get("article", "")[:200]}
        if request.user.is_authenticated:
            initial["email"] = getattr(request.user, "email", "")
        return _ask_page(request, AskForm(initial=initial))
    form = AskForm(request.POST)
    if not form.is_valid():
        return _ask_page(request, form.renewed(), status=400)
    data = form.cleaned_data
    try:
        asked = services.ask_question(
            text=data["text"],
            asker=request.user,
            asker_name=data.get("name") or "",
            email=data.get("email") or "",
            asked_from=_asked_from(data.get("article")),
            address=request_address(request),
            form_age=data["form_age"],
            form_nonce=data["form_nonce"],
            user_agent=request.headers.get("User-Agent", "")[:500],
            referrer=request.headers.get("Referer", "")[:500],
            own_question_ids=request.session.get(OWN_QUESTIONS, []),
        )
    except Refused as refusal:
        return refusal.answer(_ask_page(request, form.refused(refusal), status=refusal.status))
    question = asked.question
    if not request.user.is_authenticated:
        # This browser's anonymous questions, so sending one twice returns the first.
        own = [*request.session.get(OWN_QUESTIONS, []), question.pk][-20:]
        request.session[OWN_QUESTIONS] = own
    if asked.duplicate:
        messages.info(request, _("You had already sent this question: the editors have it."))
    else:
        messages.info(
            request,
            _(
                "Thank you: your question reached the editors. They read every question; the "
                "best become articles."
            ),
        )
        if question.email:
            messages.info(
                request,
                _(
                    "If an article answering it is published, we will email %(email)s "
                    "once, with its link."
                )
                % {"email": question.email},
            )
    back = reverse("ask")
    if question.asked_from is not None:
        back += f"?article={question.asked_from.slug}"
    return redirect(back)


# The editors' queue ------------------------------------------------------------------------


editor_required = editors_only("Only editors may see readers' questions.")


def _editor(request: HttpRequest) -> User:
    assert isinstance(request.user, User), "editor_required lets only editors through"
    return request.user


def _listed(state: str, *order: str) -> Any:
    return (
        Question.objects.filter(state=state)
        .select_related("asker", "asked_from", "draft__written_by", "handled_by")
        .annotate(merged=Count("duplicates", filter=Q(duplicates__state=Question.State.MERGED)))
        .order_by(*(order or ("created_at", "pk")))
    )


def _queue_page(
    request: HttpRequest, *, errors: dict[int, list[str]] | None = None,
    typed: dict[int, str] | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    new = Paginator(_listed(Question.State.NEW), PAGE_SIZE).get_page(request.GET.get("page"))
    drafted = Paginator(_listed(Question.State.DRAFTED), PAGE_SIZE).get_page(
        request.GET.get("drafted")
    )
    answered = Paginator(
        _listed(Question.State.ANSWERED, "-answered_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("answered"))
    for question in new.object_list:
        question.merge_errors = (errors or {}).get(question.pk, [])
        question.merge_typed = (typed or {}).get(question.pk, "")
    context = {"new": new, "drafted": drafted, "answered": answered, "section": "questions"}
    return render(request, "newsroom/question_queue.html", context, status=status)


@editor_required
@require_http_methods(["GET", "HEAD"])
def question_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    return redirect(reverse("question-queue") + (f"?page={page}" if page.isdigit() else ""))


@editor_required
@require_POST
def question_merge(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    form = MergeForm(request.POST)
    typed = {pk: str(request.POST.get("into", ""))[:20]}
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("into", ["Give the number of a question."])]
        return _queue_page(request, errors={pk: errors}, typed=typed, status=400)
    try:
        services.merge_question(
            question=question, into=form.cleaned_data["into"], by=_editor(request)
        )
    except workflow.NotAllowed as refusal:
        return _queue_page(request, errors={pk: [str(refusal)]}, typed=typed, status=400)
    messages.info(
        request,
        _("%(question)s is merged into %(into)s; its asker will hear of the answer too.")
        % {"question": question.label, "into": form.cleaned_data["into"].label},
    )
    return _back_to_queue(request)


@editor_required
@require_POST
def question_decline(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    try:
        services.decline_question(question=question, by=_editor(request))
    except workflow.NotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.info(request, _("%(question)s is declined.") % {"question": question.label})
    return _back_to_queue(request)


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_draft(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("asker", "asked_from"), pk=pk)
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                article = services.turn_into_draft(
                    question=question,
                    by=_editor(request),
                    title=form.cleaned_data["title"],
                    topic=form.cleaned_data["topic"],
                    writer=form.cleaned_data["writer"],
                )
            except workflow.NotAllowed as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.info(
                    request,
                    _("%(question)s is now the draft “%(title)s”, written by %(writer)s.")
                    % {
                        "question": question.label,
                        "title": article.title,
                        "writer": article.written_by.name,
                    },
                )
                return redirect("question-queue")
        status = 400
    else:
        title = Truncator(" ".join(question.text.split())).chars(200)
        form = DraftForm(initial={"title": title})
        status = 200
    context = {"question": question, "form": form, "section": "questions"}
    return render(request, "newsroom/question_draft.html", context, status=status)


@newsroom_staff
@require_http_methods(["GET", "HEAD"])
def question_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One question as the writer answering it reads it: its words, never who asked."""
    question = get_object_or_404(Question.objects.select_related("draft"), pk=pk)
    if not question.readable_by(request.user):
        raise PermissionDenied("Editors, and the writer of the draft that answers it, read it.")
    context = {"question": question, "section": "questions"}
    return render(request, "newsroom/question.html", context)


urlpatterns = [
    path("questions/", question_queue, name="question-queue"),
    path("questions/<int:pk>/", question_page, name="question"),
    path("questions/<int:pk>/merge/", question_merge, name="question-merge"),
    path("questions/<int:pk>/decline/", question_decline, name="question-decline"),
    path("questions/<int:pk>/draft/", question_draft, name="question-draft"),
]
