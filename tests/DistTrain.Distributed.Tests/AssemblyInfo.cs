// Multi-process tests start several processes each on a shared, loaded machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
