using Cortex.Cli;

return CommandLine.Run(args);
