# syntax=docker/dockerfile:1
# Production image: gunicorn serving portal.wsgi, static files via WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).

FROM python:3.12-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# fonts-noto-cjk: Chinese glyphs in WeasyPrint PDFs; pango/harfbuzz: WeasyPrint; gettext: compilemessages.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt /app/requirements.txt
RUN pip install -r /app/requirements.txt


# Copy the checkout and drop everything that is local state, so the final image
# gets only the source (works with or without a .dockerignore).
FROM base AS source
COPY . /src
RUN cd /src \
    && rm -rf .git .venv .ci var media staticfiles artifacts .pytest_cache .ruff_cache \
    && find . -name __pycache__ -type d -prune -exec rm -rf {} + \
    && find . -name '*.mo' -delete


FROM base

ENV DEBUG=0 \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    VAR_DIR=/data/var \
    STATIC_ROOT=/app/staticfiles

COPY --from=source /src /app

# Translations (.mo files are not committed) and static files are built into the image.
# The SECRET_KEY here only satisfies settings at build time; it is not kept in the image.
RUN SECRET_KEY=build-time-only-not-a-secret python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput -v 0

RUN useradd --system --uid 1000 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin portal \
    && mkdir -p /data/media /data/private /data/var \
    && chown -R portal:portal /data

USER portal
EXPOSE 8000

# The access log leaves out query strings: a search there may carry a name or an ID number.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(B)s %(M)sms"]
