"""The newsroom's forms: the article editor and the workflow's buttons. They check what was
typed; the rules of who may do what live in knowhow.articles.roles and .services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowhow import languages, markup
from knowhow.articles import roles
from knowhow.articles.models import (
    REVIEW_IN_FUTURE,
    Article,
    Person,
    Topic,
    site_language,
    validate_review,
)
from knowhow.images.models import PICTURE_NAMES, Image
from knowhow.images.services import NO_ALT
from knowhow.row_ids import RowIdField


class ImageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.alt} ({obj.width}×{obj.height})"


class DescribedField(BoundField):
    """A field whose input names its help and, once refused, its errors in
    aria-describedby, so a screen reader reads why (partials/field.html gives the ids)."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors and self.auto_id:
            described = [f"{self.auto_id}_helptext"] if self.help_text else []
            attrs["aria-describedby"] = " ".join([*described, f"{self.auto_id}_errors"])
        return attrs


class ReviewerField(forms.CharField):
    """The expert reviewer typed by name (the page suggests known reviewers), resolved to
    the person on save; an unknown name is refused with what to do about it."""

    def to_python(self, value: Any) -> Person | None:  # type: ignore[override]
        name = " ".join(str(super().to_python(value) or "").split())
        ProhibitNullCharactersValidator()(name)  # before the name reaches the database
        if not name:
            return None
        person = Person.objects.filter(name__iexact=name).first()
        if person is None:
            raise forms.ValidationError(
                _(
                    "No one named “%(name)s” is among the site's people. Check the spelling, "
                    "or ask an administrator to add the reviewer first."
                ),
                code="unknown",
                params={"name": name},
            )
        return person

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Person):
            return value.name
        if isinstance(value, int):
            person = Person.objects.filter(pk=value).first()
            return person.name if person else ""
        return value


class OriginalField(forms.CharField):
    """The original an article translates, typed as its address (the last part of
    /articles/…/ or the whole address), resolved to the article; empty: an original."""

    def to_python(self, value: Any) -> Article | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip()[:300]
        ProhibitNullCharactersValidator()(text)
        slug = text.rstrip("/").rsplit("/", 1)[-1]
        if not slug:
            return None
        article = Article.objects.filter(slug=slug).only("pk", "slug", "title").first()
        if article is None:
            raise forms.ValidationError(
                _(
                    "No article has the address “%(slug)s”: copy the original's address from "
                    "its page or the newsroom's list."
                ),
                code="unknown",
                params={"slug": slug},
            )
        return article

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Article):
            return value.slug
        if isinstance(value, int):
            return Article.objects.filter(pk=value).values_list("slug", flat=True).first() or ""
        return value


class ArticleForm(forms.Form):
    """An article's editable fields, as the writer sees them; `base` is the revision the
    form was opened at, so a save from an old form is refused instead of overwriting."""

    bound_field_class = DescribedField

    title = forms.CharField(
        max_length=200, help_text=gettext_lazy("The question the article answers.")
    )
    slug = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The last part of the article's address, /articles/…/: letters, digits and "
            "hyphens. Once readers have seen the article, every old address keeps leading here."
        ),
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), empty_label=gettext_lazy("Choose a topic")
    )
    language = forms.ChoiceField(
        choices=languages.choices,
        initial=site_language,
        # Not sent (an older page): the article keeps its language.
        required=False,
        help_text=gettext_lazy("The language the article is written in."),
    )
    translation_of = OriginalField(
        label=gettext_lazy("Translation of"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 300}),
        help_text=gettext_lazy(
            "The address of the original article this one translates (for example "
            "what-is-a-black-hole); empty: this article is an original."
        ),
    )
    synopsis = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One or two sentences for lists, feeds and search."),
    )
    body = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "body-input"}),
        help_text=gettext_lazy(
            "Markdown: a blank line between paragraphs, ## for a heading, "
            "[text](address) for a link, [1](#source-1) to cite the first source, "
            '![alt](picture:42 "caption") for picture 42 of the library (“Put in the text” '
            "below writes it for you)."
        ),
    )
    sources = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One source per line (Markdown); shown as numbered citations at the end."
        ),
    )
    reviewed_by = ReviewerField(
        label=gettext_lazy("Reviewed By"),
        required=False,
        widget=forms.TextInput(
            attrs={"list": "known-reviewers", "autocomplete": "off", "maxlength": 150}
        ),
        help_text=gettext_lazy(
            "The name of an expert who checked the article (earlier reviewers are "
            "suggested as you type); give the date of the review too. Empty: no expert review."
        ),
    )
    reviewed_on = forms.DateField(
        label=gettext_lazy("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lead_image = ImageChoice(
        queryset=Image.objects.all(),
        required=False,
        empty_label=gettext_lazy("No lead image"),
        help_text=gettext_lazy("A picture already uploaded, shown at the top of the article."),
    )
    image_search = forms.CharField(
        label=gettext_lazy("Find an uploaded picture by its words"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Searches the alt text and captions of every picture."),
    )
    new_image = forms.ImageField(
        label=gettext_lazy("Or upload a new picture"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("{names}. It becomes the lead image, or goes in the text."),
            names=PICTURE_NAMES,
        ),
    )
    new_image_place = forms.ChoiceField(
        label=gettext_lazy("Where the new picture goes"),
        choices=[
            ("lead", gettext_lazy("As the lead image")),
            ("text", gettext_lazy("In the text, at the end")),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial="lead",
    )
    picture_caption = forms.CharField(
        label=gettext_lazy("Caption of a picture put in the text (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Shown under the picture; empty: the picture's own caption, if it has one."
        ),
    )
    new_image_alt = forms.CharField(
        label=gettext_lazy("Alt text of the new picture"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "What the picture shows, for readers who cannot see it. Required with a new picture."
        ),
    )
    copyright_holder = forms.CharField(max_length=200, required=False)
    search_title = forms.CharField(
        label=gettext_lazy("Search headline"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The link search engines and shared posts show, when it should differ from "
            "the title; about 60 characters are shown. Empty: the title."
        ),
    )
    search_description = forms.CharField(
        label=gettext_lazy("Search description"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "The words under that link, about 155 characters. Empty: the summary, or "
            "the body's first words."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Revision note"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("What you changed and why, for the history."),
    )
    minor = forms.BooleanField(
        label=gettext_lazy(
            "Minor change (a typo, comma or formatting fix): readers' “Last Modified "
            "Date” and “Edited By” stay"
        ),
        required=False,
    )
    base = RowIdField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, new: bool = False, assigns: User | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.new = new
        if new:  # a first revision has nothing to be minor to, nor a revision it started from
            del self.fields["minor"]
            del self.fields["base"]
            del self.fields["slug"]  # made from the title; changed on the editor page later
        if new and assigns:  # an editor starts an article for any writer
            # An editor without a byline yet gets one made from their name on saving.
            has_byline = Person.objects.filter(user_id=assigns.pk).exists()
            self.fields["written_by"] = forms.ModelChoiceField(
                label=gettext_lazy("Written By"),
                queryset=roles.writers(),
                required=has_byline,
                empty_label=None if has_byline else _("You, under your account's name"),
                help_text=gettext_lazy(
                    "The writer who writes it and is named on it; you, unless you choose another."
                ),
            )

    def clean_body(self) -> str:
        body = str(self.cleaned_data.get("body") or "")
        named = markup.picture_ids(body)
        missing = sorted(
            set(named) - set(Image.objects.filter(pk__in=named).values_list("pk", flat=True))
        )
        if missing:
            raise ValidationError(
                _(
                    "The text shows a picture the library does not hold (picture:%(ids)s): "
                    "put it in again from the pictures below, or take the reference out."
                ),
                code="unknown_picture",
                params={"ids": ", picture:".join(str(pk) for pk in missing)},
            )
        return body

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_image") and not (data.get("new_image_alt") or "").strip():
            self.add_error("new_image_alt", NO_ALT)
        if "reviewed_by" not in self.errors:  # an unknown name says so already
            try:
                validate_review(data.get("reviewed_by"), data.get("reviewed_on"))
            except ValidationError as refused:
                # The field to fix: the date when it is ahead or alone missing.
                dated = refused.code == REVIEW_IN_FUTURE or data.get("reviewed_by")
                self.add_error("reviewed_on" if dated else "reviewed_by", refused)
        return data

    def address(self) -> str | None:
        """The address typed, or None when the field was left empty (the address stays)."""
        return str(self.cleaned_data.get("slug") or "").strip() or None

    def suggest_address(self, article: Any) -> None:
        """Tell, under the address, which one the title on screen suggests (not taken)."""
        if "slug" not in self.fields:
            return
        title = self.data.get("title") if self.is_bound else self.initial.get("title")
        self.initial.setdefault("slug", article.slug)
        suggested = article.suggested_slug(str(title or ""))
        if suggested:
            suggests = _("The title suggests “%(slug)s”: type it here to take it.")
            self.fields[
                "slug"
            ].help_text = f"{self.fields['slug'].help_text} {suggests % {'slug': suggested}}"

    def content(self) -> dict[str, Any]:
        """The revised fields as a revision keeps them (ids, ISO dates)."""
        data = self.cleaned_data
        reviewed_on: dt.date | None = data.get("reviewed_on")
        return {
            "title": data["title"].strip(),
            "topic": data["topic"].pk,
            "synopsis": data.get("synopsis") or "",
            "body": data.get("body") or "",
            "sources": data.get("sources") or "",
            "reviewed_by": data["reviewed_by"].pk if data.get("reviewed_by") else None,
            "reviewed_on": reviewed_on.isoformat() if reviewed_on else None,
            "lead_image": data["lead_image"].pk if data.get("lead_image") else None,
            "copyright_holder": data.get("copyright_holder") or "",
            "search_title": data.get("search_title") or "",
            "search_description": data.get("search_description") or "",
            **({"language": data["language"]} if data.get("language") else {}),
            "translation_of": data["translation_of"].pk if data.get("translation_of") else None,
        }


def initial_from(content: dict[str, Any], base: int) -> dict[str, Any]:
    """The editor form's starting values from a revision's content."""
    return {
        **{k: v for k, v in content.items() if k != "reviewed_on"},
        "reviewed_on": dt.date.fromisoformat(content["reviewed_on"])
        if content.get("reviewed_on")
        else None,
        "base": base,
    }


class NoteForm(forms.Form):
    """A workflow button's note (comment, reason for changes); optional unless the step
    needs one (the service says so)."""

    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    bound_field_class = DescribedField

    at = forms.DateTimeField(
        label=gettext_lazy("Publish on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_at(self) -> dt.datetime:
        at: dt.datetime = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or publish now instead."))
        return at
