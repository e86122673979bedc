#!/usr/bin/env bash
# One line naming the CPU the benchmarks ran on and the SIMD it offers: LibTorch's kernels pick their code
# path by it, so a ratio measured on one CPU model need not hold on another.
model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
simd=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_tile|avx_vnni)$' | tr '\n' ' ')
echo "cpu: ${model:-unknown} (${simd% })"
