# The worker, run by the Container Apps capture and media jobs (`job --once ...`, `media-job --once ...`, see infra/bicep/main.bicep).
# Build context: the worker folder that scripts/package-azure.sh writes.
FROM debian:bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app recording

COPY . /app
RUN rm /app/Dockerfile && chmod +x /app/Recording.Worker
USER recording
ENTRYPOINT ["/app/Recording.Worker"]
