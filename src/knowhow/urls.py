"""Every public address of the site."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from knowhow.accounts import views as accounts
from knowhow.accounts.forms import AdminSignInForm, SignInForm, SiteAddressResetForm
from knowhow.api import errors as api_errors
from knowhow.api import v1 as api_v1
from knowhow.discussion import views as discussion
from knowhow.discussion.feeds import article_posts_feed
from knowhow.images.serving import media
from knowhow.moderation import appeal_pages as appeals
from knowhow.moderation import views as moderation
from knowhow.server import health
from knowhow.site import crawlers, feeds
from knowhow.site import views as site
from knowhow.widgets import oembed

# The admin's door counts wrong passwords with the site's (accounts.throttle).
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", site.home, name="home"),
    path("feed/", feeds.site_feed, name="site-feed"),
    path("robots.txt", crawlers.robots_txt, name="robots-txt"),
    path("sitemap.xml", crawlers.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", crawlers.sitemap_section, name="sitemap-section"),
    path("oembed", oembed.oembed, name="oembed"),
    path("articles/", site.article_list, name="article-list"),
    path("articles/<slug:slug>/", site.article, name="article"),
    path("articles/<slug:slug>/print/", site.article_print, name="article-print"),
    path("articles/<slug:slug>/posts/", site.post_comment, name="post-comment"),
    path("articles/<slug:slug>/posts/feed/", article_posts_feed, name="article-posts-feed"),
    path(
        "articles/<slug:slug>/posts/<int:number>/",
        discussion.post_permalink,
        name="post-permalink",
    ),
    path("articles/<slug:slug>/posts/<int:number>/edit/", discussion.edit_post, name="post-edit"),
    path(
        "articles/<slug:slug>/posts/<int:number>/delete/",
        discussion.delete_post,
        name="post-delete",
    ),
    path(
        "articles/<slug:slug>/posts/<int:number>/report/",
        moderation.report_post,
        name="post-report",
    ),
    path(
        "articles/<slug:slug>/posts/<int:number>/second-look/",
        appeals.second_look,
        name="post-second-look",
    ),
    path("appeal/", appeals.appeal, name="appeal"),
    path("search/", site.search, name="search"),
    # The interface language a reader chose (Django's view: a POST with CSRF, sets a cookie).
    path("language/", set_language, name="set-language"),
    path("topics/", site.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", site.topic, name="topic"),
    path("topics/<slug:slug>/feed/", feeds.topic_feed, name="topic-feed"),
    path("people/<slug:slug>/", site.person, name="person"),
    path("people/<slug:slug>/feed/", feeds.person_feed, name="person-feed"),
    path("facts/", site.fact_list, name="fact-list"),
    path("facts/<slug:slug>/", site.fact, name="fact"),
    path("on-this-day/", site.today, name="on-this-day-today"),
    path("on-this-day/<int:month>/<int:day>/", site.on_this_day, name="on-this-day"),
    path("widgets/", include("knowhow.widgets.urls")),
    path("readers/<str:username>/", accounts.reader, name="reader"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/signin-link/", accounts.ask_for_signin_link, name="signin-link-ask"),
    path(
        "accounts/signin-link/<str:uidb64>/<str:token>/",
        accounts.signin_link,
        name="signin-link",
    ),
    path("accounts/settings/", accounts.account_settings, name="account-settings"),
    path("accounts/settings/tokens/", accounts.create_api_token, name="api-token-create"),
    path(
        "accounts/settings/tokens/<int:token_id>/revoke/",
        accounts.revoke_api_token,
        name="api-token-revoke",
    ),
    path("accounts/data/", accounts.download_data, name="account-data"),
    path("accounts/delete/", accounts.delete_account, name="account-delete"),
    path(
        "accounts/login/",
        accounts.refusing_too_many(
            auth_views.LoginView.as_view(form_class=SignInForm, redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path(
        "accounts/password_change/",
        accounts.refusing_too_many(accounts.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=SiteAddressResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("moderation/", include("knowhow.moderation.urls")),
    path("newsroom/", include("knowhow.newsroom.urls")),
    path("ask/", include("knowhow.newsroom.ask_urls")),
    path("notifications/", include("knowhow.notifications.urls")),
    path("admin/login/", accounts.refusing_too_many(admin.site.login)),
    # The admin's own form would check the old password uncounted: the site's form instead.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api_v1.urls()),
    # Any other address under the API: its own 404 body, not the site's page.
    re_path(r"^api/", api_errors.not_found),
]

# Uploaded pictures, when no proxy in front serves MEDIA_ROOT itself (deploy/nginx does).
urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:name>", media, name="media"))

# A database failing outside a view gets the same styled 503 as one failing inside it.
handler500 = "knowhow.server.outage.server_error"
