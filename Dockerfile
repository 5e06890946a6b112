# gamefleet's own image: the control plane, not a gameserver.
#
#   docker build -t gamefleet .
#   docker run --rm -v "$PWD/examples/deploy/fleet.yaml:/etc/gamefleet/fleet.yaml:ro" \
#     -p 8000:8000 -p 8001:8001 gamefleet
#
# Stage 1 builds with the official Swift image; stage 2 runs the binary on that image's slim variant
# (the Swift runtime libraries, no compiler) as an unprivileged user. Not built on the machine the
# repository is developed on (it has no container runtime): see README, "Running two replicas".

FROM swift:6.3-noble AS build
WORKDIR /src
# Dependencies first, so a source change does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product gamefleet \
 && mkdir /out \
 && cp "$(swift build -c release --show-bin-path)/gamefleet" /out/gamefleet

FROM swift:6.3-noble-slim
# ca-certificates: the AWS endpoints are HTTPS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin gamefleet
COPY --from=build /out/gamefleet /usr/local/bin/gamefleet
USER 10001:10001
# 8000: the public allocation endpoint; 8001: the admin face (status, /v1/*, /metrics, and the
# leader's allocation endpoint for follower replicas).
EXPOSE 8000 8001
ENTRYPOINT ["/usr/local/bin/gamefleet"]
CMD ["serve", "--config", "/etc/gamefleet/fleet.yaml", "--log-format", "json"]
