# The recording service: the Azure Functions host with our custom handler and ffmpeg for the post-processing
# activities. Build context: the service folder that scripts/package-azure.sh writes.
ARG FUNCTIONS_BASE=mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated8.0-appservice
FROM ${FUNCTIONS_BASE}

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The host reads host.json and the function.json folders here and starts Recording.Functions (self-contained, so the
# image's own .NET does not matter) on FUNCTIONS_CUSTOMHANDLER_PORT.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    FUNCTIONS_WORKER_RUNTIME=custom
COPY . /home/site/wwwroot
RUN rm /home/site/wwwroot/Dockerfile && chmod +x /home/site/wwwroot/Recording.Functions
