"""The widgets' addresses, under /widgets/."""

from django.urls import path

from knowhow.widgets import views

urlpatterns = [
    path("", views.gallery, name="widget-gallery"),
    path("embed.js", views.script, name="widget-script"),
    path("<slug:kind>/", views.frame, name="widget-frame"),
    path("<slug:kind>/data/", views.data, name="widget-data"),
]
