// Sim — a generic, deterministic discrete-event simulation engine.
//
// The module knows nothing of tasks or HTTP. Its parts:
// - Kernel: simulated time, events, the future-event list and the scheduler;
// - Random: named random streams and distributions on GSL;
// - Statistics: tallies, time-weighted averages, percentiles, confidence intervals;
// - Resources: multi-server queues, token pools, stores;
// - Network: queueing-network scenarios (stations, routes, open and closed classes) and
//   replications run in parallel with results in order;
// - Process: production-style async code on simulated time (a deterministic executor, server
//   pools and connection pools for processes).
