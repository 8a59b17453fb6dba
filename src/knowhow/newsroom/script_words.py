"""The words the newsroom's scripts show (the writing surface and its link picker, the
live preview, the autosave), translated on the server: the editor page hands them to the
scripts as one JSON element, keyed by the English text, so no script holds a language."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

WORDS = (
    # The writing surface (newsroom-editor/src/writing.js).
    gettext_noop("link text"),
    gettext_noop("Address of the link (https://…, or #source-1 for the first source):"),
    gettext_noop("bold text"),
    gettext_noop("italic text"),
    gettext_noop("Bold"),
    gettext_noop("Italic"),
    gettext_noop("Link"),
    gettext_noop("Heading"),
    gettext_noop("Subheading"),
    gettext_noop("Bulleted list"),
    gettext_noop("Numbered list"),
    gettext_noop("Quote"),
    gettext_noop("Table"),
    gettext_noop("Undo"),
    gettext_noop("Redo"),
    gettext_noop("Text formatting"),
    gettext_noop(
        "Write the article here. Paste from Word or Google Docs keeps its headings, lists, "
        "tables and links."
    ),
    gettext_noop("Markdown mode"),
    gettext_noop("The picture is in the text, where the cursor was."),
    # The link picker (newsroom-editor/src/link-picker.js).
    gettext_noop("Link to an article or an address"),
    gettext_noop("Type words of a published article's title, or paste an https:// address."),
    gettext_noop("Find an article, or an address"),
    gettext_noop("Link to the address typed"),
    gettext_noop("Published articles"),
    gettext_noop("Cancel"),
    gettext_noop("Link to %(address)s"),
    gettext_noop("%(count)s article found. Arrow down to choose."),
    gettext_noop("%(count)s articles found. Arrow down to choose."),
    gettext_noop("%(count)s article: the newest published. Type to find others."),
    gettext_noop("%(count)s articles: the newest published. Type to find others."),
    gettext_noop("No published article matches “%(words)s”."),
    gettext_noop("No article is published yet."),
    gettext_noop("Press Enter to link to this address."),
    gettext_noop("Links go to the site's articles or to an https:// address."),
    gettext_noop("Could not look for articles just now; an https:// address still works."),
    # The live preview, outline and autosave (newsroom/static/newsroom/editor.js).
    gettext_noop("Preview updated."),
    gettext_noop("No headings yet: ## starts one."),
    gettext_noop("Unsaved changes kept for you at %(time)s. Save to make them a revision."),
    gettext_noop(
        "Your session ended: your text is still here; saving asks you to sign in and keeps it."
    ),
    gettext_noop(
        "A newer copy of your text, from another page, is kept; this page's text is not "
        "autosaved. Save it to keep it."
    ),
    gettext_noop("Could not keep a copy just now; your text is still here."),
)


def script_words() -> dict[str, str]:
    """English -> the active language, for the words that language translates."""
    return {english: gettext(english) for english in WORDS if gettext(english) != english}
