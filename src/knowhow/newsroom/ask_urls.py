"""The public "Ask a question" page, mounted at /ask/ (views in questions.py)."""

from django.urls import path

from knowhow.newsroom.questions import ask

urlpatterns = [path("", ask, name="ask")]
