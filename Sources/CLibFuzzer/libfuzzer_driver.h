// libFuzzer's entry point for a program that keeps its own `main` (clang's
// libclang_rt.fuzzer, linked by `-sanitize=fuzzer`). See docs/fuzzing.md.
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`/`argv` on `callback`; returns its exit status.
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));
