using Cortex.Examples;

return ExampleRunner.Run(args);
