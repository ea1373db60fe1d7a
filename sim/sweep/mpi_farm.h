// `mpirun -np N neurochip sweep FILE --mpi --out DIR` (README "Design-space exploration"): an MPI
// task farm. Rank 0 runs the sweep — reads the database, prepares each point, records every result
// — and hands each point that needs a process to an idle rank; ranks 1..N−1 each run one point at a
// time (as `neurochip run` child processes, under the sweep's limits, into DIR/points/<id>/ on a
// file system every rank sees) and send back its result. With one rank, rank 0 runs `-j` points
// itself. The database is the one a local run would write.
#pragma once

#include "sweep/sweep_runner.h"

namespace neurochip::sim {

/// Initialises MPI, runs this rank's part and finalises MPI. Rank 0 fills `summary` and returns
/// true; the other ranks return false.
bool run_sweep_mpi(int* argc, char*** argv, const SweepSpec& spec, const SweepRunOptions& opts, SweepSummary& summary);

}  // namespace neurochip::sim
