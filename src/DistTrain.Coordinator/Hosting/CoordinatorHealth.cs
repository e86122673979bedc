using DistTrain.Protocol.V1;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Hosting;

/// <summary>
/// Whether the coordinator serves, as the standard gRPC health service (<c>grpc.health.v1.Health</c>,
/// what Kubernetes' gRPC probes and grpc_health_probe ask) reports it for the server (<c>""</c>) and for
/// <c>disttrain.v1.Coordinator</c>: SERVING once the host has started, NOT_SERVING from the moment it
/// begins to stop. Right after NOT_SERVING, <see cref="Stopping"/> fires, which ends every open call.
/// </summary>
internal sealed class CoordinatorHealth : IHostedService, IDisposable
{
    private static readonly string[] Services = ["", GeneratedCoordinator.Descriptor.FullName];

    private readonly HealthServiceImpl _health;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenRegistration _onStarted;
    private CancellationTokenRegistration _onStopping;

    /// <summary>Creates the health state over the health service the host maps.</summary>
    public CoordinatorHealth(HealthServiceImpl health, IHostApplicationLifetime lifetime)
    {
        _health = health;
        _lifetime = lifetime;
        Set(ServingStatus.NotServing);
    }

    /// <summary>Fires when the host begins to stop, after the health service says NOT_SERVING.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>What the health service reports for the coordinator now.</summary>
    public ServingStatus Status { get; private set; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _onStarted = _lifetime.ApplicationStarted.Register(() => Set(ServingStatus.Serving));
        _onStopping = _lifetime.ApplicationStopping.Register(() =>
        {
            Set(ServingStatus.NotServing);
            _stopping.Cancel();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        _onStarted.Dispose();
        _onStopping.Dispose();
        _stopping.Dispose();
    }

    private void Set(ServingStatus status)
    {
        Status = status;
        foreach (var service in Services)
        {
            _health.SetStatus(service, status);
        }
    }
}
