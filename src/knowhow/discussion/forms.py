"""The "Post your comments" form: the only fields a reader may send."""

from __future__ import annotations

from django import forms

from knowhow.discussion.services import validate_body


class PostForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        required=False,  # validate_body says what is wrong in the site's own words
        widget=forms.Textarea(attrs={"rows": 7, "cols": 60}),
        help_text="Separate paragraphs with a blank line; *emphasis* and [links](https://…) work.",
    )
    anonymous = forms.BooleanField(required=False)

    def clean_body(self) -> str:
        return validate_body(self.cleaned_data.get("body") or "")
