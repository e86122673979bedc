using DistTrain.Launcher.Cli;

// disttrain run [options] -- <program> [args]   |   disttrain coordinator [options]   |   disttrain status [options]
return await LauncherCommand.InvokeAsync(args).ConfigureAwait(false);
