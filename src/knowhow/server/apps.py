from django.apps import AppConfig


class ServerConfig(AppConfig):
    """Running the site: `knowhow serve`, the task worker, health, checks, logs."""

    name = "knowhow.server"
    label = "server"

    def ready(self) -> None:
        from knowhow.server import checks  # noqa: F401 - registers the deploy checks
