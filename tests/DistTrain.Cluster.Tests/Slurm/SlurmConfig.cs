namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// The slurm.conf of a one-node test cluster that runs without systemd or cgroups (the settings in
/// shared/notes/slurm-local-cluster.md): every path inside one temp folder, munge reached through a
/// private socket, and free ports so that it never meets another cluster on the machine.
/// </summary>
/// The node declares <see cref="Gpus"/> GPUs backed by plain files, so that sbatch accepts the GPU
/// scripts' requests (<c>--gpus-per-node</c>); nothing can compute on them.
/// Job ids start at <see cref="FirstJobId"/>: the scripts' coordinator listens on 29400 + job id % 1000,
/// so two test clusters on one machine (two checkouts' test runs at once) would both start with port
/// 29401 if every cluster began at job 1.
internal sealed record SlurmConfig(string Root, string NodeName, int Cpus, int Gpus, int ControllerPort, int NodePort, int FirstJobId)
{
    public string ConfPath => Path.Combine(Root, "slurm.conf");
    public string MungeSocket => Path.Combine(Root, "munge-run", "munge.socket");
    public string ControllerPidFile => Path.Combine(Root, "slurmctld.pid");
    public string NodePidFile => Path.Combine(Root, "slurmd.pid");
    public string LogDirectory => Path.Combine(Root, "log");

    /// <summary>gres.conf, which slurmd reads beside slurm.conf.</summary>
    public string GresConfPath => Path.Combine(Root, "gres.conf");

    /// <summary>The files standing in for GPU devices (slurmd logs that they are not devices, and counts them).</summary>
    public IEnumerable<string> FakeGpuFiles => Enumerable.Range(0, Gpus).Select(i => Path.Combine(Root, "gpu", $"nvidia{i}"));

    /// <summary>gres.conf's text.</summary>
    public string RenderGres() => $"NodeName={NodeName} Name=gpu File={Path.Combine(Root, "gpu", "nvidia")}[0-{Gpus - 1}]\n";

    /// <summary>The file's text.</summary>
    public string Render() => string.Join('\n',
    [
        "ClusterName=disttrain-test",
        $"SlurmctldHost={NodeName}(127.0.0.1)",
        $"SlurmctldPort={ControllerPort}",
        $"SlurmdPort={NodePort}",
        "SlurmUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        // cred_expire: a requeued job becomes eligible again after it (+1 s); SLURM's default is 120 s.
        $"AuthInfo=socket={MungeSocket},cred_expire=10",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "SwitchType=switch/none",
        "MpiDefault=none",
        "MailProg=/bin/true",
        "SelectType=select/cons_tres",
        // The main scheduling pass every 2 s instead of 60, and backfill every second instead of 30:
        // a requeued job starts as soon as it is eligible again.
        "SchedulerParameters=batch_sched_delay=0,sched_interval=2,bf_interval=1",
        "SlurmdParameters=config_overrides",
        "ReturnToService=2",
        "MinJobAge=600",
        $"FirstJobId={FirstJobId}",
        $"StateSaveLocation={Path.Combine(Root, "state")}",
        $"SlurmdSpoolDir={Path.Combine(Root, "spool")}",
        $"SlurmctldPidFile={ControllerPidFile}",
        $"SlurmdPidFile={NodePidFile}",
        $"SlurmctldLogFile={Path.Combine(LogDirectory, "slurmctld.log")}",
        $"SlurmdLogFile={Path.Combine(LogDirectory, "slurmd.log")}",
        "GresTypes=gpu",
        $"NodeName={NodeName} CPUs={Cpus} Gres=gpu:{Gpus} State=UNKNOWN",
        "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
        "",
    ]);
}
