"""An Atom feed of each article's discussion: its 50 newest visible posts. Two queries,
and none while the page cache keeps it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from knowhow import pagecache
from knowhow.articles.models import Article
from knowhow.articles.selectors import published_article_or_404
from knowhow.discussion.models import Post
from knowhow.links import on_site

FEED_SIZE = 50
SUMMARY_CHARS = 200


class PostsAtomFeed(Atom1Feed):
    """Atom with each post's HTML as <content>, and xml:base so its relative links resolve."""

    def root_attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = super().root_attributes()
        attributes["xml:base"] = self.feed["link"]
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticlePostsFeed(Feed):
    feed_type = PostsAtomFeed

    def get_object(self, request: HttpRequest, article: Article) -> Article:
        return article

    def title(self, article: Article) -> str:
        return _("Posts on %(title)s") % {"title": article.title}

    def subtitle(self, article: Article) -> str:
        return _("The newest posts in the discussion of “%(title)s”.") % {"title": article.title}

    def link(self, article: Article) -> str:
        return on_site(article.get_absolute_url())

    def feed_url(self, article: Article) -> str:
        return on_site(reverse("article-posts-feed", args=[article.slug]))

    def items(self, article: Article) -> list[Post]:
        posts = list(
            Post.objects.visible()
            .filter(article=article)
            .select_related("author")
            .only(
                "number",
                "body_html",
                "created_at",
                "edited_at",
                "article_id",
                "author__username",
                "author_name",
            )
            .order_by("-number")[:FEED_SIZE]
        )
        for post in posts:
            post.article = article  # the article is loaded already: no query per post
        return posts

    def item_title(self, post: Post) -> str:
        return _("Post %(number)s on %(title)s") % {
            "number": post.number,
            "title": post.article.title,
        }

    def item_link(self, post: Post) -> str:
        return on_site(post.get_absolute_url())

    def item_description(self, post: Post) -> str:
        # A short text <summary> for readers that list entries; the post is in <content>.
        return Truncator(strip_tags(post.body_html).strip()).chars(SUMMARY_CHARS)

    def item_extra_kwargs(self, post: Post) -> dict[str, Any]:
        # Sanitised when the post was stored (markup.render_post): safe to pass on as HTML.
        return {"content": post.body_html}

    def item_author_name(self, post: Post) -> str:
        if post.author is not None:
            return post.author.username
        return post.author_name or pgettext("post author", "anonymous")

    def item_pubdate(self, post: Post) -> dt.datetime:
        return post.created_at

    def item_updateddate(self, post: Post) -> dt.datetime:
        return post.edited_at or post.created_at


_posts_feed = ArticlePostsFeed()


@require_safe
def article_posts_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The feed, kept by the page cache until the article or its discussion changes."""
    article = published_article_or_404(slug)
    response = _posts_feed(request, article=article)
    # The same for every visitor (only visible posts): anyone may keep it, asking again.
    patch_cache_control(response, public=True, no_cache=True)
    return pagecache.mark(request, response, [article.cache_tag, article.thread_tag])
