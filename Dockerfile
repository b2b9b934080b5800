# Build stage: a release binary with the Swift runtime linked in statically.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product clippings \
    && cp "$(swift build -c release --show-bin-path)/clippings" /clippings

# Runtime stage: slim Debian with only the shared libraries the binary links (scripts/check-container
# checks this list against the release binary).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 zlib1g libstdc++6 libgcc-s1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 clippings \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app clippings \
    && mkdir -p /app /data \
    && chown 10001:10001 /data
COPY --from=build /clippings /usr/local/bin/clippings
COPY seeds /app/seeds
WORKDIR /app
ENV CLIPPINGS_HOST=0.0.0.0 \
    CLIPPINGS_PORT=8080 \
    CLIPPINGS_DB=/data/clippings.sqlite \
    CLIPPINGS_SEEDS=/app/seeds
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001
# No curl in the slim image: the binary checks /health itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["clippings", "health"]
ENTRYPOINT ["clippings"]
CMD ["serve"]
