# The resource bot as a small image that runs as a non-root user.
#   docker build -t resource-bot .
#   docker run --env-file .env -v resource-bot-state:/app/var resource-bot
# or `docker compose up -d` (compose.yaml). See README, "Deploying".
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
# The locked versions with their hashes first, exactly as `make` and CI install them (the
# lock holds the test tools too: the image runs what the tests ran) ...
COPY requirements.lock ./
RUN /opt/venv/bin/python -m pip install --require-hashes -r requirements.lock
# ... then the project itself, without resolving its dependencies again.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN /opt/venv/bin/python -m pip install --no-deps . \
    && /opt/venv/bin/python -m bot --version

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin resource-bot \
    && mkdir -p /app/var \
    && chown resource-bot:resource-bot /app/var
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The default catalogue, read-only: the first start copies it into the state folder.
COPY data/ ./data/
USER resource-bot
# The state folder: the live catalogue, upload backups and the database.
VOLUME ["/app/var"]
# SIGTERM (docker stop) closes the gateway and the store; the bot exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
