// TaskSystem — the task-management system of `shared/seed/scalability-patterns.md`: its domain
// and services (real code, written against ports) and the simulated infrastructure they run on.
