namespace DistTrain.Protocol.Launch;

/// <summary>Who gives a worker a <see cref="LaunchVariable"/>.</summary>
public enum VariableSource
{
    /// <summary><c>disttrain run</c> sets it for every worker from the worker's <see cref="LaunchIdentity"/> (<see cref="LaunchIdentityWriter"/>).</summary>
    Launcher,

    /// <summary>
    /// The user, to tune or select something; optional. <c>disttrain run</c> passes it on from its own
    /// environment (the variable's meaning says where it fills in a value of its own).
    /// </summary>
    User,
}
