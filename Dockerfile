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

# Runtime stage: slim Debian with only the shared libraries the binary links.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app clippings \
    && mkdir -p /app /data \
    && chown clippings /data
COPY --from=build /clippings /usr/local/bin/clippings
COPY seeds /app/seeds
WORKDIR /app
ENV CLIPPINGS_HOST=0.0.0.0 \
    CLIPPINGS_PORT=8080 \
    CLIPPINGS_DB=/data/clippings.sqlite \
    CLIPPINGS_SEEDS=/app/seeds
VOLUME ["/data"]
EXPOSE 8080
USER clippings
ENTRYPOINT ["clippings"]
CMD ["serve"]
