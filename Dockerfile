# syntax=docker/dockerfile:1
# CoachBot image: restore (project files only, so the layer is cached) → build → test → publish → runtime.
# Build:  docker build -t coachbot .
# Run:    docker run -d --name coachbot --restart unless-stopped -e Discord__Token=... -v coachbot-data:/data coachbot
# Own pathways: add -v "$PWD/my-pathways:/app/pathways:ro" (the folder replaces the baked-in one).
# tests/CoachBot.Tests/Operations/DockerfileTests.cs checks that every path copied here exists, that every project
# of CoachBot.sln is restored and built, and that the HEALTHCHECK command runs the health mode of the published dll.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS restore
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig CoachBot.sln ./
COPY src/CoachBot.Core/CoachBot.Core.csproj src/CoachBot.Core/
COPY src/CoachBot.Discord/CoachBot.Discord.csproj src/CoachBot.Discord/
COPY src/CoachBot.Slack/CoachBot.Slack.csproj src/CoachBot.Slack/
COPY src/CoachBot/CoachBot.csproj src/CoachBot/
COPY tests/CoachBot.Core.Tests/CoachBot.Core.Tests.csproj tests/CoachBot.Core.Tests/
COPY tests/CoachBot.Discord.Tests/CoachBot.Discord.Tests.csproj tests/CoachBot.Discord.Tests/
COPY tests/CoachBot.Discord.Testing/CoachBot.Discord.Testing.csproj tests/CoachBot.Discord.Testing/
COPY tests/CoachBot.Slack.Tests/CoachBot.Slack.Tests.csproj tests/CoachBot.Slack.Tests/
COPY tests/CoachBot.Slack.Testing/CoachBot.Slack.Testing.csproj tests/CoachBot.Slack.Testing/
COPY tests/CoachBot.Tests/CoachBot.Tests.csproj tests/CoachBot.Tests/
COPY tests/CoachBot.Testing/CoachBot.Testing.csproj tests/CoachBot.Testing/
COPY tests/CoachBot.Benchmarks.Tests/CoachBot.Benchmarks.Tests.csproj tests/CoachBot.Benchmarks.Tests/
COPY tests/CoachBot.BrowserTests/CoachBot.BrowserTests.csproj tests/CoachBot.BrowserTests/
COPY tests/.editorconfig tests/
COPY bench/CoachBot.Benchmarks/CoachBot.Benchmarks.csproj bench/CoachBot.Benchmarks/
RUN dotnet restore CoachBot.sln

FROM restore AS build
COPY src/ src/
COPY tests/ tests/
COPY bench/ bench/
COPY pathways/ pathways/
# The Dockerfile tests read these two.
COPY Dockerfile .dockerignore ./
RUN dotnet build CoachBot.sln -c Release --no-restore

# The tests run as a stage of their own, and publish builds on it: an image only comes from a build whose tests pass.
FROM build AS test
RUN dotnet test CoachBot.sln -c Release --no-build

FROM test AS publish
RUN dotnet publish src/CoachBot/CoachBot.csproj -c Release --no-build -o /app

# ASP.NET Core's runtime: the organisers' dashboard (Dashboard__Urls) runs in the same process.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# tzdata for members' IANA time zones, ICU for culture data (whichever libicuNN the base distro ships). The base image
# usually has both; installing them here keeps that true, and the check fails the build if either is missing.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tzdata \
        $(apt-cache search --names-only '^libicu[0-9]+$' | cut -d' ' -f1) \
    && rm -rf /var/lib/apt/lists/* \
    && test -e /usr/share/zoneinfo/Europe/Berlin \
    && ldconfig -p | grep -q libicuuc
# The pictures (/progress card, digest chart) need no system fonts and no fontconfig: Skia's NoDependencies build and
# HarfBuzz link only libc and libstdc++, which this image has, and the fonts are embedded in CoachBot.dll.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    ConnectionStrings__CoachBot="Data Source=/data/coachbot.db" \
    Pathways__Directory=/app/pathways \
    Health__File=/tmp/coachbot-healthy
WORKDIR /app
COPY --from=publish /app ./
COPY pathways/ /app/pathways/
# The image's built-in non-root user ($APP_UID) owns the data volume; it only reads /app.
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
VOLUME ["/data"]
# The dashboard, when Dashboard__Urls=http://0.0.0.0:8080 is set (with Dashboard__PublicUrl): publish it on loopback
# behind a reverse proxy (docs/operations.md, "The dashboard behind a reverse proxy").
EXPOSE 8080
# Healthy while Discord acknowledges the gateway's heartbeats (every ~41 s); unhealthy after 120 s without one.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/CoachBot.dll", "health", "--max-age", "120"]
ENTRYPOINT ["dotnet", "/app/CoachBot.dll"]
