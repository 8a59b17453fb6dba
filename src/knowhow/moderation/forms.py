"""The fields each moderation form accepts, and readers' report form; the rules behind them
live in services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.discussion.models import Post
from knowhow.moderation import decisions
from knowhow.moderation.actions import ACTIONS, BULK_ACTIONS
from knowhow.moderation.models import Appeal, CannedReason, Flag
from knowhow.row_ids import RowsField

NOTE_MAX = 1000

EXPIRY_CHOICES = [
    ("1", gettext_lazy("1 day")),
    ("7", gettext_lazy("7 days")),
    ("30", gettext_lazy("30 days")),
    ("never", gettext_lazy("Never")),
]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def text_box(
    label: StrOrPromise, *, rows: int, max_length: int = NOTE_MAX, help_text: StrOrPromise = ""
) -> forms.CharField:
    """A text box that may be left empty, of at most max_length characters: a textarea, so
    Enter starts a new line and never sends the form. Whether it may be empty for a given
    step is the service's to say."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def with_reason(reason: CannedReason | None, typed: str) -> str:
    """A chosen reason and the words typed beside it, as one: "Rudeness: calls names"."""
    typed = typed.strip()
    if reason is None:
        return typed
    return f"{reason.label}: {typed}" if typed else reason.label


class CannedReasonField(forms.ModelChoiceField):
    """A choice of the moderators' set reasons (CannedReason), or none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Set reason")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "None: only what I type")
        kwargs.setdefault(
            "help_text", "The author is told the reason, with anything you type beside it."
        )
        super().__init__(queryset=CannedReason.objects.all(), **kwargs)


class _WithReason(forms.Form):
    """A decision form whose note takes in the set reason chosen with it."""

    reason_field = "note"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.reason_field in data and "canned" in data:
            data[self.reason_field] = with_reason(data["canned"], data[self.reason_field])
        return data


class PostActionForm(_WithReason):
    action = forms.ChoiceField(
        choices=[
            (decisions.KEEP, gettext_lazy("Keep")),
            *((a.name, a.label) for a in ACTIONS.values()),
        ]
    )
    canned = CannedReasonField()
    note = forms.CharField(required=False, max_length=NOTE_MAX)


class BulkActionForm(_WithReason):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[
            ("", gettext_lazy("Choose an action")),
            *((a.name, a.label) for a in BULK_ACTIONS),
        ],
        error_messages={"required": gettext_lazy("Choose an action to apply.")},
    )
    post = RowsField(
        queryset=Post.objects.select_related("article").order_by("created_at", "pk"),
        error_messages={"required": gettext_lazy("Select at least one post.")},
    )
    canned = CannedReasonField()
    note = forms.CharField(
        label=gettext_lazy("Note for the log (optional)"),
        help_text=gettext_lazy("It goes into the log with each of the selected posts."),
        required=False,
        max_length=NOTE_MAX,
    )


class EditPostForm(_WithReason):
    # Neither field is checked here: edit_post says what is wrong, in the site's words.
    body = forms.CharField(
        label=gettext_lazy("Post text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    canned = CannedReasonField()
    note = forms.CharField(
        label=gettext_lazy("Why are you editing?"),
        required=False,
        max_length=NOTE_MAX,
        # Marked required for assistive technology; the form is sent unchecked (novalidate).
        widget=forms.TextInput(attrs={"required": True}),
        help_text=gettext_lazy(
            "Required. It goes into the moderation log with the text before and after."
        ),
    )
    personal_data = forms.BooleanField(
        label=gettext_lazy("This edit removes personal data"),
        required=False,
        help_text=gettext_lazy(
            "The log then keeps only that you redacted the post, and why: no copy of "
            "the removed words, here or in the post's earlier log entries."
        ),
    )
    close_reports = forms.BooleanField(
        label=gettext_lazy("Close its open reports"),
        required=False,
        initial=True,
        help_text=gettext_lazy("The edit dealt with what readers reported."),
    )


def expiry_from(choice: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment a ban chosen to last `choice` days ends, or None for "never"."""
    if choice == "never":
        return None
    return (now or timezone.now()) + dt.timedelta(days=int(choice))


class _BanTerms(_WithReason):
    reason_field = "reason"
    canned = CannedReasonField(
        help_text=gettext_lazy(
            "Goes into the log, and is what the reader is shown if you write nothing "
            "for them below."
        )
    )
    reason = text_box(
        "Reason",
        rows=3,
        help_text=gettext_lazy("For the other moderators; the reader is not shown it."),
    )
    reader_reason = text_box(
        "Reason the reader is shown (optional)",
        rows=2,
        help_text=gettext_lazy(
            "Shown above the post form to the banned reader, with when the ban ends "
            "and how to appeal."
        ),
    )
    expires = forms.ChoiceField(
        label=gettext_lazy("Ends after"),
        choices=EXPIRY_CHOICES,
        initial="7",
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("canned") is not None and not data.get("reader_reason", "").strip():
            data["reader_reason"] = data["canned"].label
        return data

    def clean_expires(self) -> dt.datetime | None:
        return expiry_from(self.cleaned_data["expires"])

    def length(self) -> str | None:
        """How long the ban lasts, in words ("7 days"); None for a ban until lifted."""
        chosen = self.data.get(self.add_prefix("expires"), "")
        return None if chosen == "never" else str(dict(EXPIRY_CHOICES).get(chosen, ""))


class _RemovesPosts(forms.Form):
    remove_posts = forms.BooleanField(
        label=gettext_lazy("Also remove their posts"),
        required=False,
        help_text=gettext_lazy(
            "Published posts are removed (their numbers stay, marked), held ones "
            "rejected. You are asked to confirm, with the count, before anything happens."
        ),
    )


class PostBanForm(_BanTerms, _RemovesPosts):
    """A ban made from a post: its account (if it has one), or where it came from."""

    kind = forms.ChoiceField(label=gettext_lazy("Ban"), widget=forms.RadioSelect)

    field_order = ["kind", "canned", "reason", "reader_reason", "expires", "remove_posts"]

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        if post.author is not None:
            name = post.author.username
            choices += [
                (Ban.Kind.ACCOUNT.value, f"The account {name}: it may not post"),
                (Ban.Kind.SHADOW.value, f"Shadow-hide {name}: their posts are shown only to them"),
            ]
        if post.ip_hash:
            choices += [
                (Ban.Kind.ADDRESS.value, f"The address Post {post.number} came from"),
                (Ban.Kind.NETWORK.value, "Its network (the /24 or /64 around that address)"),
            ]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = choices
        if choices:
            kind.initial = choices[0][0]


class NameBanForm(_BanTerms, _RemovesPosts):
    """A ban by account name, whether or not the reader has posts in the queue."""

    username = forms.CharField(label=gettext_lazy("Account name"), max_length=150)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Ban"),
        widget=forms.CheckboxSelectMultiple,
        initial=[Ban.Kind.ACCOUNT.value],
        choices=[
            (Ban.Kind.ACCOUNT.value, gettext_lazy("The account: it may not post")),
            (
                Ban.Kind.SHADOW.value,
                gettext_lazy("Or shadow-hide the account: its posts are shown only to it"),
            ),
            (Ban.Kind.ADDRESS.value, gettext_lazy("The address of its latest post")),
            (
                Ban.Kind.NETWORK.value,
                gettext_lazy("The network of its latest post (the /24 or /64 around it)"),
            ),
        ],
        error_messages={"required": gettext_lazy("Choose what to ban.")},
    )

    field_order = [
        "username",
        "kinds",
        "canned",
        "reason",
        "reader_reason",
        "expires",
        "remove_posts",
    ]

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip().lstrip("@")
        user = User.objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError(
                _("No account is named “%(name)s”.") % {"name": name}, code="no_such_account"
            )
        return user


class RangeBanForm(_BanTerms):
    cidr = forms.CharField(
        label=gettext_lazy("Address range"),
        max_length=64,
        help_text=gettext_lazy("In CIDR notation, such as 203.0.113.0/24 or 2001:db8::/48."),
    )

    field_order = ["cidr", "canned", "reason", "reader_reason", "expires"]


class UndoForm(forms.Form):
    note = text_box(
        "Note for the log (optional)",
        rows=2,
        help_text=gettext_lazy("Why it is undone; it goes into the log with the undo."),
    )


class BlockTermForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Block a"),
        choices=BlockedTerm.Kind.choices,
        initial=BlockedTerm.Kind.WORD,
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label=gettext_lazy("Word, phrase or domain"),
        max_length=200,
        help_text=gettext_lazy(
            "A word is found as a whole word with its plural and other endings "
            "(“casino” also finds “casinos”), unless it is to be found inside words too."
        ),
    )
    match = forms.ChoiceField(
        label=gettext_lazy("Find a word"),
        choices=BlockedTerm.Match.choices,
        initial=BlockedTerm.Match.WORDS,
        widget=forms.RadioSelect,
    )
    action = forms.ChoiceField(
        label=gettext_lazy("A post that has it"),
        choices=BlockedTerm.Outcome.choices,
        initial=BlockedTerm.Outcome.HOLD,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Refused: the reader is told which word and keeps the text. Published: a "
            "report puts the post in the queue while it stays up."
        ),
    )

    def preview_key(self) -> str:
        """What was previewed, so "Block" adds only a term the moderator has seen tried."""
        data = self.cleaned_data
        return f"{data['kind']}:{data['match']}:{data['value'].strip().lower()}"


class FlagForm(forms.Form):
    """A reader's report of a post: why, and a note for the moderator."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Why are you reporting this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = text_box("Anything a moderator should know (optional)", rows=3, max_length=500)


class ReaderBanForm(NameBanForm):
    """The ban form of a reader's page: the reader is the page's, so the name rides along."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget = forms.HiddenInput()


class ReaderNoteForm(forms.Form):
    body = text_box(
        "Note on this reader",
        rows=3,
        help_text=gettext_lazy("For the other moderators; the reader never sees it."),
    )


class MessageReaderForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=200)
    body = text_box(
        "Message",
        rows=6,
        max_length=5000,
        help_text=gettext_lazy(
            "Emailed to the reader, and kept on this page for the other moderators."
        ),
    )


class CannedReasonForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("New set reason"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Short, as the author will read it: “Rudeness”, “Advertising”."),
    )


class AppealForm(forms.Form):
    """A banned reader's appeal: why, and (without an account address) where to answer."""

    summary_field = "text"

    text = text_box("Why should the moderators think again?", rows=5, max_length=2000)
    email = forms.CharField(
        label=gettext_lazy("Your email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=gettext_lazy("Only to answer you; it is not shown to anyone."),
    )


class SecondLookForm(forms.Form):
    text = text_box(
        "Why should the moderators look again?",
        rows=5,
        max_length=2000,
        help_text=gettext_lazy("A post gets one second look; a moderator reads this and decides."),
    )


class DecideAppealForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("keep", gettext_lazy("Not yet")), *Appeal.Outcome.choices]
    )
    answer = forms.CharField(required=False, max_length=NOTE_MAX)
