"""The newsroom's pages, under /newsroom/: each part of it keeps its own patterns."""

from knowhow.newsroom import editor, questions, reviews, translations

urlpatterns = [
    *editor.urlpatterns,
    *reviews.urlpatterns,
    *questions.urlpatterns,
    *translations.urlpatterns,
]
