"""The newsroom's questions pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
