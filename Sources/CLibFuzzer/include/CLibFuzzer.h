#ifndef HANDSET_CLIBFUZZER_H
#define HANDSET_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 11+), linked in only by builds with `-sanitize=fuzzer`: the fuzz executables call it
/// from their own `main` (SwiftPM names every executable's entry point itself), and only in such builds.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
