"""The package's build backend: setuptools', with every wheel built from a fresh build folder.

setuptools copies the sources into build/lib and never removes what is no longer there, so
installing a newer version from a checkout that was installed from before (`pip install
--upgrade .`, as docs/operators/upgrading.md says) would put modules since removed back into
the site.
"""

from __future__ import annotations

import shutil
from typing import Any

from setuptools import build_meta
from setuptools.build_meta import (  # noqa: F401 - the other hooks, as setuptools has them
    build_editable,
    build_sdist,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    # Hooks run in the source tree (PEP 517): its build/ holds only what the last build left.
    shutil.rmtree("build", ignore_errors=True)
    return str(build_meta.build_wheel(wheel_directory, config_settings, metadata_directory))
