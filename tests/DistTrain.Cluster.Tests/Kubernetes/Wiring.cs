using DistTrain.Launcher.Settings;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// The consistency checks a set of rendered manifests must pass. Each returns the problems it found,
/// one sentence each naming the objects and values involved; none means the wiring holds.
/// </summary>
internal sealed class Wiring(IReadOnlyList<Manifest> objects)
{
    private const string GpuResource = "nvidia.com/gpu";
    private static readonly string TokenVariable = RunFlags.Token.Variable;

    /// <summary>The rendered objects.</summary>
    public IReadOnlyList<Manifest> Objects => objects;

    private IEnumerable<Manifest> Services => objects.Where(o => o.Kind == "Service");

    private IEnumerable<Manifest> Workloads => objects.Where(o => o.Kind is "Deployment" or "Job" or "StatefulSet");

    /// <summary>The Indexed Job whose containers run <c>disttrain run</c>.</summary>
    public Manifest WorkerJob => objects.Single(o => o.Kind == "Job" && RunsDisttrain(o, "run"));

    /// <summary>The Deployment whose container runs <c>disttrain coordinator</c>; null when pod 0 hosts the coordinator.</summary>
    public Manifest? CoordinatorDeployment => objects.SingleOrDefault(o => o.Kind == "Deployment" && RunsDisttrain(o, "coordinator"));

    /// <summary>Every Service selects some workload's pods; every Deployment's selector matches its own template.</summary>
    public IReadOnlyList<string> SelectorProblems()
    {
        var problems = new List<string>();
        foreach (var service in Services)
        {
            var selector = Yaml.TextMap(service.Root, "spec", "selector");
            if (selector.Count == 0)
                problems.Add($"{service} has no selector.");
            else if (!Workloads.Any(w => Selects(selector, w)))
                problems.Add($"{service} selects {Show(selector)}, which no Deployment or Job's pod labels carry.");
        }

        foreach (var deployment in objects.Where(o => o.Kind == "Deployment"))
        {
            var matchLabels = Yaml.TextMap(deployment.Root, "spec", "selector", "matchLabels");
            if (matchLabels.Count == 0 || !Selects(matchLabels, deployment))
                problems.Add($"{deployment}'s selector {Show(matchLabels)} does not match its pod labels {Show(Yaml.TextMap(deployment.PodLabels))}.");
        }

        return problems;
    }

    /// <summary>Every Service port's targetPort (a name or a number) is a port a selected container declares.</summary>
    public IReadOnlyList<string> PortProblems()
    {
        var problems = new List<string>();
        foreach (var service in Services)
        {
            var selected = Workloads.Where(w => Selects(Yaml.TextMap(service.Root, "spec", "selector"), w)).ToList();
            foreach (var port in Yaml.Maps(service.Root, "spec", "ports"))
            {
                var target = Yaml.Find(port, "targetPort") as string ?? Yaml.Text(port, "port");
                if (!selected.Any(w => ContainerPort(w, target) is not null))
                    problems.Add($"{service} targets port {target}, which no container of {string.Join(", ", selected)} declares.");
            }
        }

        return problems;
    }

    /// <summary>
    /// With a coordinator Deployment: the workers' <c>--rdzv-endpoint host:port</c> names a Service and one of
    /// its ports, that Service selects the coordinator's pods, and its target is the port the coordinator
    /// listens on (<c>--port</c>). Without one: see <see cref="PodZeroProblems"/>.
    /// </summary>
    public IReadOnlyList<string> RendezvousProblems()
    {
        if (WorkerSettings.RdzvEndpoint is not { } endpoint)
            return [$"{WorkerJob} gives no --rdzv-endpoint host:port."];
        var host = endpoint.Host.Split('.')[0];
        var port = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (CoordinatorDeployment is null)
            return PodZeroProblems(endpoint, endpoint.Host.Split('.'), port);

        var service = Services.FirstOrDefault(s => s.Name == host);
        if (service is null)
            return [$"{WorkerJob}'s --rdzv-endpoint {endpoint} names no Service ({string.Join(", ", Services.Select(s => s.Name))})."];
        var servicePort = Yaml.Maps(service.Root, "spec", "ports").FirstOrDefault(p => Yaml.Text(p, "port") == port);
        if (servicePort is null)
            return [$"{service} has no port {port}, which {WorkerJob}'s --rdzv-endpoint {endpoint} uses."];
        if (!Selects(Yaml.TextMap(service.Root, "spec", "selector"), CoordinatorDeployment))
            return [$"{service} does not select the coordinator's pods ({CoordinatorDeployment})."];

        var target = Yaml.Find(servicePort, "targetPort") as string ?? port;
        var containerPort = ContainerPort(CoordinatorDeployment, target);
        var listens = CommandLine(CoordinatorDeployment).Option("--port") ?? "29400";
        return containerPort == listens
            ? []
            : [$"{service} port {port} reaches container port {containerPort ?? "(none)"} but the coordinator listens on --port {listens}."];
    }

    /// <summary>
    /// Without a coordinator Deployment, a worker pod hosts it: the endpoint is <c>&lt;job&gt;-&lt;index&gt;.&lt;subdomain&gt;</c>
    /// for an index the Job has, the worker container declares the endpoint's port, and the agents decide
    /// who hosts from the endpoint (coordinator mode auto or unset, not connect).
    /// </summary>
    private IReadOnlyList<string> PodZeroProblems(Endpoint endpoint, string[] labels, string port)
    {
        var problems = new List<string>();
        var subdomain = Yaml.Find(WorkerJob.PodSpec, "subdomain") as string;
        var completions = int.TryParse(Yaml.Find(WorkerJob.Root, "spec", "completions") as string, out var n) ? n : 1;
        var prefix = WorkerJob.Name + "-";
        if (labels.Length < 2 || labels[1] != subdomain || !labels[0].StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(labels[0][prefix.Length..], out var index) || index < 0 || index >= completions)
            problems.Add($"There is no coordinator Deployment, so {WorkerJob}'s --rdzv-endpoint {endpoint} must name one of its {completions} pods as {WorkerJob.Name}-<index>.{subdomain}.");
        if (ContainerPort(WorkerJob, port) is null)
            problems.Add($"{WorkerJob}'s pods host the coordinator on port {port}, which its container does not declare.");
        if (WorkerSettings.Coordinator == CoordinatorMode.Connect)
            problems.Add($"{WorkerJob} sets the coordinator mode to connect, so no pod hosts the coordinator its --rdzv-endpoint names.");
        return problems;
    }

    /// <summary>Every variable the pods set is one the launcher reads (<paramref name="recognised"/>).</summary>
    public IReadOnlyList<string> EnvironmentProblems(IReadOnlySet<string> recognised) =>
        Workloads.SelectMany(w => w.Containers.SelectMany(c => Yaml.Maps(c, "env").Select(e => (w, Name: Yaml.Text(e, "name")))))
            .Where(x => !recognised.Contains(x.Name))
            .Select(x => $"{x.w} sets {x.Name}, which the launcher does not read.")
            .ToList();

    /// <summary>The Job is Indexed, and completions, parallelism, the workers' and the coordinator's <c>--nnodes</c> agree.</summary>
    public IReadOnlyList<string> NodeCountProblems()
    {
        var spec = Yaml.Map(WorkerJob.Root, "spec");
        var counts = new Dictionary<string, string?>
        {
            ["completions"] = Yaml.Find(spec, "completions") as string,
            ["parallelism"] = Yaml.Find(spec, "parallelism") as string,
            ["the workers' --nnodes"] = WorkerSettings.Nnodes?.Max.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (CoordinatorDeployment is { } coordinator)
            counts["the coordinator's --nnodes"] = MaxNodes(CommandLine(coordinator).Option("--nnodes"));
        var problems = new List<string>();
        if (Yaml.Find(spec, "completionMode") as string != "Indexed")
            problems.Add($"{WorkerJob} is not completionMode: Indexed.");
        if (counts.Values.Distinct().Count() != 1)
            problems.Add($"The node counts disagree: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value ?? "(unset)"}"))}.");
        return problems;
    }

    /// <summary>
    /// The workers restart in place before their pod fails (<c>--max-restarts</c> of at least 1): the
    /// manifests' comments and docs/CLUSTERS.md promise that much.
    /// </summary>
    public IReadOnlyList<string> RestartProblems() =>
        WorkerSettings.MaxRestarts >= 1
            ? []
            : [$"{WorkerJob} gives --max-restarts {WorkerSettings.MaxRestarts}, so a worker's failure fails its pod at once instead of restarting the workers in place."];

    /// <summary>The Job's subdomain is a headless Service (clusterIP: None) that selects the Job's pods.</summary>
    public IReadOnlyList<string> HeadlessServiceProblems()
    {
        var subdomain = Yaml.Find(WorkerJob.PodSpec, "subdomain") as string;
        var service = Services.FirstOrDefault(s => s.Name == subdomain);
        if (service is null)
            return [$"{WorkerJob}'s subdomain '{subdomain}' names no Service."];
        var problems = new List<string>();
        if (Yaml.Find(service.Root, "spec", "clusterIP") as string != "None")
            problems.Add($"{service} is not headless (clusterIP: None).");
        if (!Selects(Yaml.TextMap(service.Root, "spec", "selector"), WorkerJob))
            problems.Add($"{service} does not select {WorkerJob}'s pods.");
        return problems;
    }

    /// <summary>
    /// GPU limits agree with <c>--nproc-per-node</c>: <c>gpu</c> needs a <c>nvidia.com/gpu</c> limit, a
    /// number equals it, and a pod without GPUs does not ask for one worker per GPU.
    /// </summary>
    public IReadOnlyList<string> GpuProblems()
    {
        var container = WorkerJob.Containers.Single(c => DisttrainCommandLine.Of(c)?.Subcommand == "run");
        var gpus = Yaml.Find(container, "resources", "limits", GpuResource) as string;
        var nproc = WorkerSettings.NprocPerNode?.ToString() ?? "1";
        return (nproc, gpus) switch
        {
            ("gpu", null) => [$"{WorkerJob} runs one worker per GPU (--nproc-per-node gpu) but has no {GpuResource} limit."],
            ("gpu" or "auto", _) when int.TryParse(gpus, out var n) && n >= 1 => [],
            ("gpu" or "auto", _) => [$"{WorkerJob}'s {GpuResource} limit '{gpus}' is not a positive number."],
            (_, null) => [],
            _ when nproc == gpus => [],
            _ => [$"{WorkerJob} has {gpus} GPUs ({GpuResource}) but --nproc-per-node {nproc}."],
        };
    }

    /// <summary>Every container's token comes from a Secret key (secretKeyRef) that exists.</summary>
    public IReadOnlyList<string> TokenProblems()
    {
        var problems = new List<string>();
        foreach (var workload in Workloads.Where(w => RunsDisttrain(w, "run") || RunsDisttrain(w, "coordinator")))
        {
            var token = workload.Containers.SelectMany(c => Yaml.Maps(c, "env")).FirstOrDefault(e => Yaml.Text(e, "name") == TokenVariable);
            var reference = Yaml.Find(token, "valueFrom", "secretKeyRef");
            if (reference is null)
            {
                problems.Add($"{workload} does not take {TokenVariable} from a Secret (secretKeyRef).");
                continue;
            }

            var (name, key) = (Yaml.Text(reference, "name"), Yaml.Text(reference, "key"));
            var secret = objects.FirstOrDefault(o => o.Kind == "Secret" && o.Name == name);
            if (secret is null)
                problems.Add($"{workload} takes its token from Secret {name}, which is not among the manifests.");
            else if (Yaml.Find(secret.Root, "stringData", key) is null && Yaml.Find(secret.Root, "data", key) is null)
                problems.Add($"{workload} takes its token from key '{key}' of {secret}, which has no such key.");
        }

        return problems;
    }

    /// <summary>
    /// The coordinator's readiness and liveness probes are gRPC health checks (<c>grpc.health.v1.Health</c>,
    /// which the coordinator serves without a token) on the port it listens on, given as a number
    /// (Kubernetes takes no port name for gRPC probes), asking for the server (no service) or for
    /// <paramref name="coordinatorService"/>; and the coordinator speaks cleartext, as those probes do.
    /// Without a coordinator Deployment nothing is probed.
    /// </summary>
    public IReadOnlyList<string> ProbeProblems(string coordinatorService)
    {
        if (CoordinatorDeployment is not { } coordinator)
            return [];
        var container = coordinator.Containers.Single(c => DisttrainCommandLine.Of(c)?.Subcommand == "coordinator");
        var command = CommandLine(coordinator);
        var listens = command.Option("--port") ?? "29400";
        var problems = new List<string>();
        if (command.Option("--tls-cert") is not null)
            problems.Add($"{coordinator} serves TLS (--tls-cert), but Kubernetes' gRPC probes speak cleartext only.");
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            if (Yaml.Find(container, probe, "grpc") is not Dictionary<object, object?> grpc)
            {
                problems.Add($"{coordinator}'s {probe} is not a gRPC health check (grpc: port: {listens}).");
                continue;
            }

            var port = Yaml.Find(grpc, "port") as string;
            if (port != listens)
                problems.Add($"{coordinator}'s {probe} checks port {port ?? "(none)"}, but the coordinator listens on --port {listens}.");
            var service = Yaml.Find(grpc, "service") as string ?? "";
            if (service.Length > 0 && service != coordinatorService)
                problems.Add($"{coordinator}'s {probe} asks for service '{service}', which the coordinator's health service does not report (use none, or {coordinatorService}).");
        }

        return problems;
    }

    private DisttrainCommandLine WorkerCommandLine => CommandLine(WorkerJob);

    /// <summary>What the launcher makes of the workers' command line (empty settings when it refuses it: <see cref="LauncherAcceptance"/> reports why).</summary>
    private RunSettings WorkerSettings => WorkerCommandLine.RunSettings().Settings ?? new RunSettings();

    private static DisttrainCommandLine CommandLine(Manifest workload) =>
        workload.Containers.Select(DisttrainCommandLine.Of).First(c => c is not null)!;

    private static bool RunsDisttrain(Manifest workload, string subcommand) =>
        workload.Containers.Any(c => DisttrainCommandLine.Of(c)?.Subcommand == subcommand);

    private static bool Selects(IReadOnlyDictionary<string, string> selector, Manifest workload)
    {
        var labels = Yaml.TextMap(workload.PodLabels);
        return selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
    }

    /// <summary>The number of the container port named or numbered <paramref name="target"/>, or null.</summary>
    private static string? ContainerPort(Manifest workload, string target) =>
        workload.Containers.SelectMany(c => Yaml.Maps(c, "ports"))
            .Where(p => Yaml.Find(p, "name") as string == target || Yaml.Text(p, "containerPort") == target)
            .Select(p => Yaml.Text(p, "containerPort"))
            .FirstOrDefault();

    /// <summary><c>N</c> or the MAX of <c>MIN:MAX</c>: the pods the Job must start.</summary>
    private static string? MaxNodes(string? nnodes) => nnodes?.Split(':')[^1];

    private static string Show(IReadOnlyDictionary<string, string> labels) =>
        "{" + string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}")) + "}";
}
