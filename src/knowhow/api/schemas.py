"""What the API sends and takes, as its OpenAPI document describes it.

The reads build their JSON in knowhow.api.shapes; tests check each shape against these.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class Error(Schema):
    code: str
    message: str
    errors: dict[str, list[str]]


class Named(Schema):
    slug: str
    name: str
    url: str


class ArticleSummary(Schema):
    id: int
    slug: str
    title: str
    url: str
    api_url: str
    summary: str
    topic: Named
    written_by: Named
    published_at: dt.datetime
    last_modified: dt.date
    reading_minutes: int
    # The language its words are in (en, es, ar...), and the id of the article it
    # translates (null for an original).
    language: str
    translation_of: int | None


class Review(Schema):
    reviewed_by: Named
    reviewed_on: dt.date


class Article(ArticleSummary):
    edited_by: Named | None
    review: Review | None
    copyright_holder: str
    body_markdown: str
    body_html: str
    sources_html: str
    posts_url: str
    related_url: str


class ArticleList(Schema):
    items: list[ArticleSummary]
    next: str | None


class Topic(Named):
    description: str
    articles_url: str


class TopicList(Schema):
    items: list[Topic]
    next: str | None


class Person(Named):
    bio: str
    articles_url: str


class PersonList(Schema):
    items: list[Person]
    next: str | None


class Post(Schema):
    number: int
    url: str
    status: str = Field(
        description="published; removed (by a moderator) or deleted (by its author), whose "
        "text is gone; held or hidden only in answers to its own author"
    )
    author: str | None
    author_name: str
    reply_to: int | None
    body_html: str | None
    created_at: dt.datetime | None
    edited_at: dt.datetime | None
    held: bool = Field(description="Awaiting a moderator: only in answers to its own author")
    held_note: str | None = Field(
        description="What the site tells the author of a held post, else null"
    )


class PostList(Schema):
    items: list[Post]
    next: str | None


class Fact(Schema):
    slug: str
    text: str
    source: str
    url: str
    topic: Named | None


class FactList(Schema):
    items: list[Fact]
    next: str | None


class FactDetail(Fact):
    related: list[ArticleSummary]


class Event(Schema):
    year: int
    month: int
    day: int
    text: str
    topic: Named | None
    related: list[Named]


class EventList(Schema):
    label: str
    items: list[Event]
    next: str | None


class SearchResults(Schema):
    q: str
    suggestion: str
    items: list[ArticleSummary]
    next: str | None


class Me(Schema):
    username: str | None
    scopes: list[str]
    token: str | None = Field(description="The token's name, when a token is used")


class NewPost(Schema):
    body: str = Field(description="The post's text, in the Markdown posts take")
    reply_to: int | None = None
    anonymous: bool = Field(
        False, description="Post as an anonymous reader though a token or session is used"
    )


class PostEdit(Schema):
    body: str


class Report(Schema):
    reason: str = Field(description="spam, abuse, harmful, off_topic or other")
    note: str = Field("", max_length=500)


class PostWritten(Post):
    duplicate: bool


class Reported(Schema):
    reported: bool
    message: str


class OpenReport(Schema):
    reason: str
    note: str
    created_at: dt.datetime


class Moderated(Schema):
    article: str
    number: int
    url: str
    status: str
    shadow: bool
    author: str | None
    body: str
    body_html: str
    held_because: str
    created_at: dt.datetime
    reports: list[OpenReport]


class ModeratedList(Schema):
    items: list[Moderated]
    next: str | None


class Decision(Schema):
    decision: str = Field(description="approve, reject, spam, remove or dismiss")
    note: str = Field("", max_length=1000)


class Draft(Schema):
    id: int
    slug: str
    title: str
    body: str
    topic: str
    status: str
    stage: str
    revision: int | None
    published_at: dt.datetime | None
    api_url: str


class NewDraft(Schema):
    title: str = Field(max_length=200)
    topic: str = Field(description="The topic's address (slug)")
    body: str = ""


class DraftEdit(Schema):
    base: int = Field(description="The revision the change was made from")
    title: str | None = Field(None, max_length=200)
    body: str | None = None
    synopsis: str | None = None
    note: str = Field("", max_length=1000)


class Step(Schema):
    action: str = Field(
        description="submit, comment, request_changes, approve, publish, schedule, unpublish"
    )
    note: str = Field("", max_length=2000)
    revision: int | None = None
    at: dt.datetime | None = Field(None, description="For schedule: when, with its offset")


class LoggedPost(Schema):
    article: str
    number: int


class LoggedBan(Schema):
    kind: str
    reader: str | None
    expires_at: dt.datetime | None


class LogEntry(Schema):
    id: int
    action: str
    moderator: str | None
    created_at: dt.datetime
    note: str
    post: LoggedPost | None
    ban: LoggedBan | None


class LogList(Schema):
    items: list[LogEntry]
    next: str | None


class PostRef(Schema):
    article: str = Field(description="The article's address (slug)")
    number: int


class NewBan(Schema):
    username: str | None = Field(None, description="The reader to ban, by account name")
    post: PostRef | None = Field(None, description="Or the post whose author or address to ban")
    cidr: str = Field("", max_length=64, description="Or a range, such as 203.0.113.0/24")
    kind: str = Field(
        "",
        description="account (may not post), shadow (posts shown only to itself), address "
        "or network (of the post, or of the reader's latest post), range (with cidr); "
        "empty: account, or range with cidr",
    )
    reason: str = Field("", max_length=1000, description="For the moderators' log")
    reader_reason: str = Field("", max_length=1000, description="What the reader is told")
    days: int | None = Field(None, ge=1, le=3650, description="Empty: until lifted")
    remove_posts: bool = False
    replace: bool = Field(
        False, description="Change the ban in force on the same reader or place to these terms"
    )


class BanRecord(Schema):
    id: int
    kind: str
    target: str = Field(description="Who or what the ban keeps out, in words")
    reader: str | None
    cidr: str
    reason: str
    reader_reason: str
    created_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    lifted_at: dt.datetime | None
    in_force: bool


class BanMade(Schema):
    kinds: list[str]
    reader: str | None
    expires_at: dt.datetime | None
    bans: list[BanRecord]


class BanList(Schema):
    items: list[BanRecord]
    next: str | None


class Lift(Schema):
    note: str = Field("", max_length=1000, description="For the moderators' log")


class ModeratorEdit(Schema):
    body: str = Field(description="The post's new text")
    note: str = Field(max_length=1000, description="Why: required, it goes into the log")
    personal_data: bool = Field(
        False,
        description="The edit removes personal data: the log keeps that it was redacted and "
        "why, and no copy of the removed words",
    )
    close_reports: bool = Field(True, description="Close the post's open reports")


class AppealShown(Schema):
    id: int
    kind: str = Field(description="ban (against a ban) or post (a second look at a removal)")
    reader: str | None
    text: str
    created_at: dt.datetime
    ban: BanRecord | None
    post: LoggedPost | None
    outcome: str
    answer: str
    decided_at: dt.datetime | None


class AppealList(Schema):
    items: list[AppealShown]
    next: str | None


class AppealDecision(Schema):
    outcome: str = Field(description="upheld or lifted (a ban), kept or restored (a post)")
    answer: str = Field("", max_length=1000, description="Emailed to the reader")


class PictureUploaded(Schema):
    id: int
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    url: str
    lead_of: Draft | None = Field(description="The article it became the lead picture of")


class NewAppeal(Schema):
    text: str = Field(max_length=2000, description="Why the moderators should think again")
    email: str = Field(
        "", max_length=254, description="Where to answer, for a reader without an account email"
    )


class SecondLook(Schema):
    text: str = Field(max_length=2000, description="Why the moderators should look again")


class AppealSent(Schema):
    message: str
