using CoachBot;

// One executable, several modes (see README): the bot (default), the local console, and tools.
return await CoachBotApp.RunAsync(args);
