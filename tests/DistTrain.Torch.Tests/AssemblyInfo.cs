// libtorch's default generator is one per process: a test that seeds it and compares the draws with
// PyTorch's would see another test's draws in between if classes ran in parallel. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
