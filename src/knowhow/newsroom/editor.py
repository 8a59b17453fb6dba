"""The newsroom's editor pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
