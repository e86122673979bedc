// Multi-process tests start several processes each on a shared, loaded machine, and the in-process tests
// use torch's process-wide random generator (seeds) and thread settings: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
