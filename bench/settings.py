"""Settings for the load bench: the portal's settings unchanged, with a URLconf that adds two
bench-only routes, so the app and the bare view run in the same server with the same settings."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
