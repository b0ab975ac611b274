# syntax=docker/dockerfile:1
# CoachBot image: restore (project files only, so the layer is cached) → build → test → publish → runtime.
# Build:  docker build -t coachbot .
# Run:    docker run -d --name coachbot -e Discord__Token=... -v coachbot-data:/data coachbot

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS restore
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig CoachBot.sln ./
COPY src/CoachBot.Core/CoachBot.Core.csproj src/CoachBot.Core/
COPY src/CoachBot.Discord/CoachBot.Discord.csproj src/CoachBot.Discord/
COPY src/CoachBot/CoachBot.csproj src/CoachBot/
COPY tests/CoachBot.Core.Tests/CoachBot.Core.Tests.csproj tests/CoachBot.Core.Tests/
COPY tests/CoachBot.Discord.Tests/CoachBot.Discord.Tests.csproj tests/CoachBot.Discord.Tests/
COPY tests/CoachBot.Discord.Testing/CoachBot.Discord.Testing.csproj tests/CoachBot.Discord.Testing/
COPY tests/CoachBot.Tests/CoachBot.Tests.csproj tests/CoachBot.Tests/
COPY tests/.editorconfig tests/
RUN dotnet restore CoachBot.sln

FROM restore AS build
COPY src/ src/
COPY tests/ tests/
COPY pathways/ pathways/
RUN dotnet build CoachBot.sln -c Release --no-restore

# The tests run as a stage of their own: an image is only published from a build whose tests pass.
FROM build AS test
RUN dotnet test CoachBot.sln -c Release --no-build

FROM test AS publish
RUN dotnet publish src/CoachBot/CoachBot.csproj -c Release --no-build -o /app

FROM mcr.microsoft.com/dotnet/runtime:${DOTNET_VERSION} AS runtime
# tzdata: members' IANA time zones; ICU is in the base image (culture-aware formatting stays on).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    ConnectionStrings__CoachBot="Data Source=/data/coachbot.db" \
    Pathways__Directory=/app/pathways
WORKDIR /app
COPY --from=publish /app ./
COPY pathways/ /app/pathways/
# The image's built-in non-root user owns the data volume.
RUN mkdir -p /data && chown "$APP_UID" /data
USER $APP_UID
VOLUME ["/data"]
ENTRYPOINT ["dotnet", "/app/CoachBot.dll"]
