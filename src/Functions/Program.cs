using Recording.Functions.Hosting;

// One executable: `dotnet Recording.Functions.dll` serves on 127.0.0.1:7071, or on FUNCTIONS_CUSTOMHANDLER_PORT under the Functions host.
var app = RecordingServiceApp.Build(args);
await app.RunAsync();
