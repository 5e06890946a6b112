# gamefleet's own image: the control plane, not a gameserver.
#
#   docker build -t gamefleet .
#   docker run --rm -v "$PWD/examples/deploy/fleet.yaml:/etc/gamefleet/fleet.yaml:ro" \
#     -p 8000:8000 -p 8001:8001 gamefleet
#
# Stage 1 builds with the official Swift image, linking the Swift runtime and Foundation into the
# binary (--static-swift-stdlib); stage 2 runs it on plain Ubuntu 24.04, the release the Swift image
# is built on (same C library), as an unprivileged user: no Swift image at run time.
# Linted with hadolint (scripts/lint-deploy.sh). Not built on the machine the repository is
# developed on (it has no container runtime): see docs/deploy.md.

FROM swift:6.3-noble AS build
WORKDIR /src
# Dependencies first, at the versions Package.resolved pins, so a source change does not fetch them again.
COPY Package.swift Package.resolved ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product gamefleet --static-swift-stdlib \
 && mkdir /out \
 && cp "$(swift build -c release --show-bin-path)/gamefleet" /out/gamefleet

FROM ubuntu:24.04
# ca-certificates: the AWS endpoints are HTTPS. Not pinned to a version (hadolint DL3008): the
# release's security updates should come with each rebuild.
# hadolint ignore=DL3008
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
