#!/usr/bin/env bash
# One shard of a superopt night as a task of a Slurm array job:
#   sbatch --array=0-N-1 cluster/slurm-shard.sh nightly --store URL [options]
# runs `superopt nightly --store URL [options] --shard K/N` with K and N from
# the task's SLURM_ARRAY_TASK_ID and the array's size (SLURM_ARRAY_TASK_COUNT,
# or SLURM_ARRAY_TASK_MIN..MAX).  SUPEROPT names the binary (default
# build/superopt, from the directory sbatch was called in).
#SBATCH --job-name=superopt-shard
#SBATCH --cpus-per-task=1
set -euo pipefail
if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  echo "slurm-shard: SLURM_ARRAY_TASK_ID is not set (submit with sbatch --array=0-N-1)" >&2
  exit 2
fi
min=${SLURM_ARRAY_TASK_MIN:-0}
if [ -n "${SLURM_ARRAY_TASK_COUNT:-}" ]; then
  n=$SLURM_ARRAY_TASK_COUNT
elif [ -n "${SLURM_ARRAY_TASK_MAX:-}" ]; then
  n=$((SLURM_ARRAY_TASK_MAX - min + 1))
else
  echo "slurm-shard: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set" >&2
  exit 2
fi
k=$((SLURM_ARRAY_TASK_ID - min))
exec "${SUPEROPT:-build/superopt}" "$@" --shard "$k/$n"
